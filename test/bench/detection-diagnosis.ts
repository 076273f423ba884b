/**
 * BENCH_DIAG: why a detection run missed (or a null run rolled back). One JSON line per run:
 * the relative gates' evidence at the last poll before 100% (or at the failing poll), the time
 * of the 100% write, whether the settle wait ended on arrival or on its maximum, and each gate's
 * largest evidence over the whole run (maxLogE).
 */
import { appendFileSync } from 'node:fs';
import type { EngineEvent } from '../../src/domain/events.js';
import type { RunOutcome } from './detection-table.js';

interface DiagnosisInput {
  strategyText: string;
  delay: number;
  scenario: string;
  outcome: RunOutcome;
  events: EngineEvent[];
}

function gateSummary(verdicts: { gate: string; outcome: string; details?: Record<string, unknown> }[]) {
  const out: Record<string, unknown> = {};
  for (const v of verdicts) {
    const d = v.details ?? {};
    if (!('eValue' in d) && !('reason' in d)) continue;
    const target = d.target as { invocations?: number } | undefined;
    out[v.gate] = {
      outcome: v.outcome,
      reason: d.reason,
      logE: typeof d.logEValue === 'number' ? Number(d.logEValue.toFixed(2)) : undefined,
      n: target?.invocations,
      minutes: d.minutesOfEvidence,
      slower: d.targetSlower,
      exact: d.exactMinutes,
      diff: typeof d.differencePp === 'number' ? Number(d.differencePp.toFixed(2)) : d.increasePct,
      // The error gate's prior (error-prior.ts): the smallest odds ratio mixed over, and why.
      ...(Array.isArray(d.psiGrid) ? { psiFrom: d.psiGrid[0], prior: d.prior } : {}),
    };
  }
  return out;
}

/**
 * Each relative gate's largest log-evidence over every poll of the run, and when (s after the first
 * weight write): how close an equal-version run came to a rollback, not only where it ended.
 */
function maxEvidence(polls: Extract<EngineEvent, { type: 'health.polled' }>[], t0: number) {
  const out: Record<string, { logE: number; t: number; percent: number }> = {};
  for (const p of polls) {
    for (const v of p.verdicts) {
      const logE = v.details?.logEValue;
      if (typeof logE !== 'number') continue;
      const best = out[v.gate];
      if (!best || logE > best.logE)
        out[v.gate] = { logE: Number(logE.toFixed(2)), t: (p.at - t0) / 1000, percent: p.percent };
    }
  }
  return out;
}

export function writeDiagnosis(file: string, input: DiagnosisInput): void {
  const polls = input.events.filter(
    (e): e is Extract<EngineEvent, { type: 'health.polled' }> => e.type === 'health.polled',
  );
  const first = input.events.find((e) => e.type === 'step.started');
  const t0 = first && 'at' in first ? first.at : 0;
  const failing = polls.find((p) => p.verdicts.some((v) => v.outcome === 'fail'));
  const before = polls.filter((p) => p.percent < 100).at(-1);
  const at100 = input.events.find((e) => e.type === 'step.started' && 'percent' in e && e.percent === 100);
  const settle = input.events.find((e) => e.type === 'log' && e.message.startsWith('settle:'));
  const chosen = failing ?? before;
  const line = {
    strategy: input.strategyText,
    delay: input.delay,
    scenario: input.scenario,
    seed: input.outcome.seed,
    ending: input.outcome.ending,
    before100: input.outcome.before100,
    at100: at100 && 'at' in at100 ? (at100.at - t0) / 1000 : undefined,
    settle: settle && settle.type === 'log' ? settle.message : undefined,
    maxLogE: maxEvidence(polls, t0),
    poll: chosen
      ? { t: (chosen.at - t0) / 1000, percent: chosen.percent, ...gateSummary(chosen.verdicts) }
      : undefined,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
