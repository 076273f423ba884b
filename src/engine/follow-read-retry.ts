/**
 * `lshift wait` following a CodeDeploy deployment for an hour ended exit 4 (CODEDEPLOY_WAIT_LOST)
 * at the first GetDeployment that failed — a throttle past the SDK's own 3 attempts, one reset —
 * while CodeDeploy went on as before (found by a hostile pass, session 60, F9). A read that got
 * no answer, or one of AWS's own errors (NETWORK_ERROR, THROTTLED, AWS_ERROR), is now tried again
 * at the next poll, said as a warning, until none has answered for READ_BOUND_MS: only then does
 * the wait end exit 4 with `lshift wait <id>` to follow it again. A refusal (a permission, bad
 * credentials, an unknown deployment) still ends it at once: trying again changes nothing.
 * The bound is in the clock's time: what it waits for is CodeDeploy coming back, and a sandbox's
 * deployment moves at its `--speed` as well.
 */
import { formatDuration } from '../domain/duration.js';
import { describeError } from './emit.js';

/** How long the wait goes on trying once no read answers: 3 minutes, then CODEDEPLOY_WAIT_LOST. */
export const READ_BOUND_MS = 3 * 60_000;

export interface ReadFailures {
  /** When the last read answered (or the wait began): the bound counts from there. */
  since: number;
  /** Reads that failed in a row. */
  tries: number;
}

export function isReadBoundSpent(failures: ReadFailures, now: number): boolean {
  return now - failures.since >= READ_BOUND_MS;
}

export function describeReadRetry(id: string, error: unknown, failures: ReadFailures, now: number): string {
  const left = formatDuration(Math.max(0, Math.ceil((failures.since + READ_BOUND_MS - now) / 1000)));
  const tries = failures.tries === 1 ? '' : ` (${failures.tries} reads in a row)`;
  return `could not read deployment ${id} from AWS CodeDeploy${tries}: ${describeError(error).replace(/\.$/, '')}; trying again at the next poll, for ${left} more before the wait gives up`;
}

/** Said in CODEDEPLOY_WAIT_LOST once the bound is spent. */
export function describeBoundSpent(failures: ReadFailures | undefined, now: number): string {
  if (!failures || failures.tries < 2) return '';
  return ` No read answered for ${formatDuration(Math.round((now - failures.since) / 1000))} (${failures.tries} tries).`;
}
