/**
 * Health verdicts are four-valued. Unknown health is never "pass": an unreadable signal is
 * `error`, too little data is `inconclusive`.
 */
export type VerdictOutcome = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface Verdict {
  outcome: VerdictOutcome;
  /** Which gate decided, e.g. `alarms`, `error-rate-increase`, `max-p99`. */
  gate: string;
  /** One human sentence with the numbers, e.g. "version 7 error rate 4.8% (48/1000) vs stable 1.0% …". */
  summary: string;
  /** The numbers behind the summary (sample sizes, rates, p-value, thresholds…), for --json. */
  details?: Record<string, unknown>;
  /** Clock time (epoch ms) of the evaluation. */
  at: number;
}
