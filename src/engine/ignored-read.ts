/**
 * A gate's unreadable metrics under `--ignore-metric-errors`: `inconclusive`, said as ignored,
 * instead of `error`. The flag reached the canary analysis only, so the asynchronous-delivery and
 * provisioned-concurrency gates' errors still counted toward the health-error limit and rolled
 * back a function with neither (found by a hostile pass: "--ignore-metric-errors" could not work).
 */
import type { Verdict } from '../domain/verdict.js';

export interface GateReadOptions {
  /** `--ignore-metric-errors`: an unreadable read is inconclusive, not an error. */
  ignoreMetricErrors?: boolean;
}

export function unreadableVerdict(opts: GateReadOptions, verdict: Omit<Verdict, 'outcome'>): Verdict {
  if (!opts.ignoreMetricErrors) return { ...verdict, outcome: 'error' };
  return {
    ...verdict,
    outcome: 'inconclusive',
    summary: `${verdict.summary}, ignored (--ignore-metric-errors)`,
  };
}
