/**
 * What this run has told CI so far (ci-failure-report.ts): whether its progress goes to stdout as
 * NDJSON (its end then gets a `run.failed` line), and whether its outcome is in the step summary
 * already (a finished deploy's, github-summary.ts), so an error after it is not said twice.
 */
export const ciRunSaid = { ndjson: false, outcome: false };

/** `--progress ndjson` writes events to stdout in this run. */
export function markNdjsonProgress(): void {
  ciRunSaid.ndjson = true;
}

/** The run's outcome is in the step summary. */
export function markOutcomeReported(): void {
  ciRunSaid.outcome = true;
}
