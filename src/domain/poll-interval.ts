/**
 * The health poll period (`--interval`): how often a running deployment reads its alarms and
 * metrics and, at the same poll, writes the heartbeat that shows it is alive.
 */
import { formatDuration } from './duration.js';
import { echoInput } from './echo.js';
import { type ErrorContext, UsageError } from './errors.js';
import type { Plan } from './plan.js';

/**
 * A deployment's heartbeat is written at a poll, and a record without one for 2 minutes looks
 * abandoned to `lshift status`, `check` and another deploy (which would offer to --resume or roll
 * it back while it runs); Lambda's metrics are per minute, so a longer period only sees them later.
 */
export const MAX_POLL_INTERVAL_SECONDS = 60;

/** Whole seconds in 1 s … 1 m; `given` is the text the user typed, echoed in the error. */
export function checkPollInterval(seconds: number, context: ErrorContext = {}, given?: string): void {
  if (seconds > 0 && seconds <= MAX_POLL_INTERVAL_SECONDS) return;
  const shown = given === undefined ? String(seconds) : `\`${echoInput(given)}\``;
  const problem =
    seconds > 0
      ? `is longer than ${formatDuration(MAX_POLL_INTERVAL_SECONDS)}, the longest poll interval: the heartbeat written at each poll must come more often than every 2 minutes, or the running deployment looks abandoned`
      : 'must be positive';
  throw new UsageError('INTERVAL_INVALID', `The poll interval (--interval) ${shown} ${problem}.`, {
    hint: 'Pass --interval between 1s and 1m, like 10s (the default) or 30s.',
    context,
  });
}

/**
 * Said before the first write: holds no longer than the poll interval get no health poll before
 * their end (the end-of-step poll is their only one), so a failure in them is seen late.
 */
export function describeSparsePolls(
  plan: Plan,
  bakeSeconds: number,
  pollIntervalSeconds: number,
): string | undefined {
  const holds = [
    ...plan.steps.filter((s) => s.percent < 100 && s.holdSeconds > 0).map((s) => s.holdSeconds),
    ...(bakeSeconds > 0 ? [bakeSeconds] : []),
  ];
  if (holds.length === 0) return undefined;
  const shortest = Math.min(...holds);
  if (pollIntervalSeconds < shortest) return undefined;
  return `the poll interval (--interval ${formatDuration(pollIntervalSeconds)}) is not shorter than the shortest hold (${formatDuration(shortest)}): health is read only at the end of such a hold, so a failure during it is seen late (pass a shorter --interval)`;
}
