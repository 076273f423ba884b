/**
 * The analysis evidence in words, for `lshift status` (docs/analysis.md#reading-the-evidence):
 * "error rate: evidence 12 of the 100 needed to roll back (99% confidence)".
 */
import type { AnalysisConfig } from '../../domain/analysis/config.js';
import {
  fingerprintJudging,
  type JudgingFingerprint,
  sameJudging,
} from '../../domain/judging-fingerprint.js';
import type { Verdict } from '../../domain/verdict.js';

const GATE_WORDS: Record<string, string> = {
  'error-rate-increase': 'error rate',
  'latency-increase': 'latency',
};

function formatE(e: number): string {
  if (!Number.isFinite(e)) return 'overwhelming';
  if (e >= 1e5) return e.toExponential(1);
  if (e >= 10) return e.toFixed(0);
  return String(Number(e.toFixed(2)));
}

/**
 * Whether the settings `status` recomputed with are the deployment's: the record keeps a
 * fingerprint of them (`jd=`, judging-fingerprint.ts), not the settings themselves (a tag holds
 * 256 characters), so `status` can only say whether its own (the config file's, or the defaults)
 * are the same. `unknown`: a record of an older lshift.
 */
export type SettingsMatch = 'same' | 'other' | 'unknown';

/** Whether `status` recomputes with the deployment's own settings (its record's `jd=`). */
export function settingsMatchOf(
  recorded: JudgingFingerprint | undefined,
  analysis: AnalysisConfig,
): SettingsMatch {
  if (!recorded) return 'unknown';
  return sameJudging(recorded, fingerprintJudging(analysis)) ? 'same' : 'other';
}

const MATCH_WORDS: Record<SettingsMatch, string> = {
  same: "the config file's or the defaults, the same as the deployment's: its record's fingerprint matches",
  other:
    "the config file's or the defaults, perhaps NOT the deployment's: its record says it was started with other absolute gates, thresholds or analysis settings, so the evidence it needs may differ from this",
  unknown:
    "the config file's or the defaults; a deployment started with other analysis flags judges by its own, which its record (of an older lshift) does not say",
};

/**
 * One line per relative gate with its e-value, then the other gates' summaries. `settings`: the
 * analysis settings the evidence was recomputed with — this command's; whether they are the
 * deployment's is said, not hidden.
 */
export function renderEvidence(
  verdicts: readonly Verdict[],
  settings?: AnalysisConfig,
  match: SettingsMatch = 'unknown',
): string[] {
  if (verdicts.length === 0) return [];
  const lines = ['  canary analysis (recomputed now from CloudWatch):'];
  if (settings) lines.push(`    ${describeSettings(settings, match)}`);
  for (const v of verdicts) {
    const e = v.details?.eValue;
    const needed = v.details?.eValueNeeded;
    const name = GATE_WORDS[v.gate] ?? v.gate;
    if (typeof e === 'number' && typeof needed === 'number') {
      const share = Math.min(100, Math.round((Math.log(Math.max(e, 1)) / Math.log(needed)) * 100));
      lines.push(
        `    ${name}: evidence ${formatE(e)} of the ${formatE(needed)} needed to roll back (${share}% of the way) — ${v.outcome}`,
      );
    } else {
      lines.push(`    ${name}: ${v.outcome} — ${v.summary}`);
    }
  }
  return lines;
}

function describeSettings(config: AnalysisConfig, match: SettingsMatch): string {
  const percent = (n: number) => `${Number((n * 100).toPrecision(6))}%`;
  const gates = [
    config.maxErrorRateIncreasePp === undefined ? undefined : `errors +${config.maxErrorRateIncreasePp} pp`,
    config.maxLatencyIncreasePct === undefined
      ? undefined
      : `${config.latencyIncreasePercentile} +${config.maxLatencyIncreasePct}%`,
  ].filter((g) => g !== undefined);
  return `settings: ${[`${percent(config.confidence)} confidence`, ...gates].join(', ')} (${MATCH_WORDS[match]})`;
}
