/**
 * What this run has told CI so far (ci-failure-report.ts): whether its progress goes to stdout as
 * NDJSON (its end then gets a `run.failed` line), and whether its outcome is in the step summary
 * already (a finished deploy's, github-summary.ts), so an error after it is not said twice.
 */
export const ciRunSaid: { ndjson: boolean; outcome: boolean; lastEventAt?: number } = {
  ndjson: false,
  outcome: false,
};

/**
 * The `at` of the last event the NDJSON stream carried: a sandbox's events carry its simulated
 * clock, hours ahead of the machine's, and `run.failed` (wall time) went back before them (found
 * by a docs pass). It is said no earlier than that.
 */
export function markEventWritten(at: number): void {
  ciRunSaid.lastEventAt = Math.max(ciRunSaid.lastEventAt ?? at, at);
}

/** `--progress ndjson` writes events to stdout in this run. */
export function markNdjsonProgress(): void {
  ciRunSaid.ndjson = true;
}

/** The run's outcome is in the step summary. */
export function markOutcomeReported(): void {
  ciRunSaid.outcome = true;
}
