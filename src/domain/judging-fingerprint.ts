/**
 * How a deployment judges health besides its alarms — the absolute gates (`--max-error-rate`,
 * `--max-p50/p90/p99`, `--max-throttles`) and the canary analysis' settings (`--confidence`,
 * `--max-error-rate-increase`, `--max-latency-increase`, `--min-invocations`,
 * `--on-inconclusive`, ignoring metric errors) — as a compact fingerprint the record keeps
 * (`jd=`, beside `gd=`: guard-fingerprint.ts). Without it a resume copy-pasted without the first
 * run's `--max-error-rate 2%` finished a shift whose only health gate that was with no gate at all:
 * the guard fingerprint counts alarms, hooks, bake and whether the analysis is on, not the gates'
 * thresholds. Pure.
 *
 * A key of its own rather than more fields in `gd=`: an older lshift reads a `gd=` it does not
 * know as a corrupt record, and ignores keys it does not know (record-encode.ts).
 */
import type { AnalysisConfig } from './analysis/config.js';
import { DEFAULT_ANALYSIS_CONFIG } from './analysis/config.js';
import { shortHash } from './fnv1a.js';

export interface JudgingFingerprint {
  /** How many absolute gates are on (an error rate, one latency percentile, throttles: 0–3). */
  absoluteGates: number;
  /** 7 base-36 characters: the settings' canonical form hashed (fnv1a.ts). */
  hash: string;
}

/** The settings that decide a verdict, in a fixed order; a gate that is off is `null`. */
export function fingerprintJudging(config: AnalysisConfig): JudgingFingerprint {
  const latencyIncrease =
    config.maxLatencyIncreasePct === undefined
      ? null
      : { pct: config.maxLatencyIncreasePct, at: config.latencyIncreasePercentile };
  const canonical = JSON.stringify([
    config.maxErrorRate ?? null,
    config.maxLatency ? { at: config.maxLatency.percentile, ms: config.maxLatency.ms } : null,
    config.maxThrottles ?? null,
    config.maxErrorRateIncreasePp ?? null,
    latencyIncrease,
    config.confidence,
    config.minInvocations,
    config.onInconclusive,
    config.ignoreMetricErrors,
  ]);
  return { absoluteGates: absoluteGatesOf(config), hash: shortHash(canonical) };
}

function absoluteGatesOf(config: AnalysisConfig): number {
  return [config.maxErrorRate, config.maxLatency, config.maxThrottles].filter((g) => g !== undefined).length;
}

/** `1.k3j9x2a`: absolute gates, hash. */
export function encodeJudging(fp: JudgingFingerprint): string {
  return `${fp.absoluteGates}.${fp.hash}`;
}

const ENCODED = /^([0-3])\.([0-9a-z]{7})$/;

/** The fingerprint of a `jd=` value, or undefined when it is not one (a hand-edited tag). */
export function decodeJudging(text: string): JudgingFingerprint | undefined {
  const match = ENCODED.exec(text);
  if (!match) return undefined;
  return { absoluteGates: Number(match[1]), hash: match[2] as string };
}

export function sameJudging(a: JudgingFingerprint, b: JudgingFingerprint): boolean {
  return a.absoluteGates === b.absoluteGates && a.hash === b.hash;
}

/**
 * The judging of a deployment started with no analysis flag (the defaults, no absolute gate), and
 * of one with only `--no-analysis`: what nobody needs to repeat on a resume.
 */
const PLAIN_JUDGING: readonly JudgingFingerprint[] = [
  fingerprintJudging({ ...DEFAULT_ANALYSIS_CONFIG }),
  fingerprintJudging({
    ...DEFAULT_ANALYSIS_CONFIG,
    maxErrorRateIncreasePp: undefined,
    maxLatencyIncreasePct: undefined,
  }),
];

export function judgesByDefaults(fp: JudgingFingerprint): boolean {
  return PLAIN_JUDGING.some((plain) => sameJudging(fp, plain));
}

const ABSOLUTE_FLAGS = '--max-error-rate, --max-p50/p90/p99 or --max-throttles';
const SETTING_FLAGS =
  '--confidence, --max-error-rate-increase, --max-latency-increase, --min-invocations or --on-inconclusive';

/**
 * `judges by 1 absolute gate` / `judges with analysis settings other than the defaults`; undefined
 * for the defaults (with or without `--no-analysis`, which the guards say).
 */
export function describeJudging(fp: JudgingFingerprint, tense: 'past' | 'present'): string | undefined {
  const verb = tense === 'past' ? 'judged' : 'judges';
  if (fp.absoluteGates > 0) return `${verb} by ${countOf(fp.absoluteGates, 'absolute gate')}`;
  return judgesByDefaults(fp) ? undefined : `${verb} with analysis settings other than the defaults`;
}

/**
 * `the first run judged by 1 absolute gate (--max-error-rate, …); this resume by none` or, with
 * as many gates, that a threshold or an analysis setting differs.
 */
export function describeJudgingDifference(first: JudgingFingerprint, now: JudgingFingerprint): string {
  if (first.absoluteGates !== now.absoluteGates) {
    const was =
      first.absoluteGates === 0 ? 'no absolute gate' : countOf(first.absoluteGates, 'absolute gate');
    const is = now.absoluteGates === 0 ? 'none' : String(now.absoluteGates);
    return `the first run judged by ${was} (${ABSOLUTE_FLAGS}); this resume by ${is}`;
  }
  return `the first run judged health with other thresholds or analysis settings than this resume (${ABSOLUTE_FLAGS}; ${SETTING_FLAGS}; fingerprints ${first.hash} and ${now.hash})`;
}

/** The kinds of flag a resume must repeat for its judging; none when the first run used none. */
export function judgingFlagsToRepeat(fp: JudgingFingerprint): string[] {
  if (judgesByDefaults(fp)) return [];
  return fp.absoluteGates > 0 ? ['absolute gate', 'analysis'] : ['analysis'];
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
