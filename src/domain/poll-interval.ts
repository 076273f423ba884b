/**
 * The health poll period (`--interval`): how often a running deployment reads its alarms and
 * metrics and, at the same poll, writes the heartbeat that shows it is alive.
 */
import { formatDuration } from './duration.js';
import { echoInput } from './echo.js';
import { type ErrorContext, UsageError } from './errors.js';
import type { Plan } from './plan.js';

/**
 * A record without a heartbeat for this long looks abandoned to `lshift status`, `check`,
 * `abort` and another deploy (which would offer to --resume or roll it back while it runs).
 * Only `lshift check --stale-after` can change it, and only upwards (checkStaleAfter).
 */
export const DEFAULT_STALE_AFTER_SECONDS = 120;

/** A heartbeat is written at a poll, at most this often (`HEARTBEAT_INTERVAL_MS`, src/engine/deploy-types.ts). */
export const HEARTBEAT_SPACING_SECONDS = 30;

/** Room for a poll's own reads and a heartbeat queued behind other requests. */
const HEARTBEAT_MARGIN_SECONDS = 30;

/**
 * Two heartbeats are at most a spacing and a poll interval apart, which must stay a margin below
 * the stale limit: 120 − 30 − 30 = 60 s. Lambda's metrics are per minute anyway, so a longer
 * period would only see them later.
 */
export const MAX_POLL_INTERVAL_SECONDS =
  DEFAULT_STALE_AFTER_SECONDS - HEARTBEAT_SPACING_SECONDS - HEARTBEAT_MARGIN_SECONDS;

/**
 * The longest a live runner goes between two heartbeats (a spacing and the longest poll
 * interval), as this machine's own time counts it: unlike a heartbeat's age, it does not depend
 * on the runner's clock agreeing with this one.
 */
export const LONGEST_HEARTBEAT_GAP_SECONDS = HEARTBEAT_SPACING_SECONDS + MAX_POLL_INTERVAL_SECONDS;

/**
 * Whole seconds in 1 s … 1 m; `given` is the text the user typed, echoed in the error, and
 * `source` where it came from (`--interval`, or the config file’s `interval`).
 */
export function checkPollInterval(
  seconds: number,
  context: ErrorContext = {},
  given?: string,
  source = '--interval',
): void {
  if (seconds > 0 && seconds <= MAX_POLL_INTERVAL_SECONDS) return;
  const shown = given === undefined ? String(seconds) : `\`${echoInput(given)}\``;
  const problem =
    seconds > 0
      ? `is longer than ${formatDuration(MAX_POLL_INTERVAL_SECONDS)}, the longest poll interval: the heartbeat written at each poll must come more often than every ${formatDuration(DEFAULT_STALE_AFTER_SECONDS)} (the stale limit), or the running deployment looks abandoned`
      : 'must be positive';
  throw new UsageError('INTERVAL_INVALID', `The poll interval (${source}) ${shown} ${problem}.`, {
    hint: `Give ${source} a value between 1s and 1m, like 10s (the default) or 30s.`,
    context,
  });
}

/**
 * `lshift check --stale-after`: a check with a shorter limit than the one deployments are built
 * for would take a running deployment whose heartbeat is merely a poll old for dead, and roll it
 * back. Deployments do not record their --interval, so the bound is the longest one allowed.
 */
export function checkStaleAfter(seconds: number, given?: string): void {
  if (seconds >= DEFAULT_STALE_AFTER_SECONDS) return;
  const shown = given === undefined ? formatDuration(seconds) : `\`${echoInput(given)}\``;
  const oldest = formatDuration(HEARTBEAT_SPACING_SECONDS + MAX_POLL_INTERVAL_SECONDS);
  throw new UsageError(
    'STALE_AFTER_INVALID',
    `--stale-after ${shown} is shorter than ${formatDuration(DEFAULT_STALE_AFTER_SECONDS)}, the stale limit deployments are built for: a running deployment writes its heartbeat at a health poll (--interval, up to ${formatDuration(MAX_POLL_INTERVAL_SECONDS)}), at most every ${formatDuration(HEARTBEAT_SPACING_SECONDS)}, so its heartbeat may be ${oldest} old while it is alive, and this check would roll it back.`,
    { hint: `Pass --stale-after ${formatDuration(DEFAULT_STALE_AFTER_SECONDS)} (the default) or longer.` },
  );
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
