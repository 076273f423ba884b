/**
 * How long (real time: waitAtMost) a rollback waits for its `rolling-back` mark before it writes the
 * alias back anyway (settle-rollback-run.ts rollBack, release-settle.ts markRollingBack). The mark goes first so that a crash
 * between the two is finished as a rollback, never resumed forward; but record writes run one at
 * a time (recorder-queue.ts), and a heartbeat hung in TagResource held the mark behind it for the
 * whole AWS call bound (3 × LSHIFT_AWS_TIMEOUT + 1 s, 31 s by default), the mark then hung as long
 * itself: the alias went back to the stable version a minute after the rollback was decided. The
 * alias write (traffic back on the stable version) matters far more than the record: the mark is
 * waited for this long, then left to land in its turn (it stays queued, so it never passes an
 * older write nor lands after the close). Nothing is lost that a mark that failed outright does
 * not lose already: a crash before it lands leaves the record behind the alias, as then.
 */
import type { Clock } from '../ports/clock.js';

/**
 * The record store answers: a TagResource (with its ownership read) takes well under a second,
 * and the SDK's retries of a throttled one a few seconds at most.
 */
export const MARK_WAIT_MS = 5_000;

/** A write of the record failed since the last one landed (recordBehind): the mark most likely fails too. */
export const MARK_WAIT_BEHIND_MS = 1_000;

/**
 * How long a hold waits for its try of a lagging record (hold-record-lag.ts retryRecord) before it
 * judges the lag as it stands: past the stale limit, a try hung in TagResource held the rollback
 * for the call bound before the mark's wait even began.
 */
export const LAG_RETRY_WAIT_MS = 5_000;

/** How long a rollback waits for its mark: shorter once the record is known not to be written. */
export function markWaitMs(recordBehind: boolean): number {
  return recordBehind ? MARK_WAIT_BEHIND_MS : MARK_WAIT_MS;
}

export const STILL_PENDING = Symbol('still pending');

/**
 * `work`'s value, or STILL_PENDING once `ms` of real time passed without it ending (`work`
 * carries on). Real time: what it waits for is an AWS call, bounded in real time, which a
 * sandbox's `--speed` does not hurry (counted in clock time, 5 s was 50 ms at 100×, and a mark
 * that answered at once was given up: `clock.speed`). On Clock.every, a background timer that
 * never moves a test clock by itself: an auto-advancing test clock does not jump ahead of a write
 * that needed no waiting. A clock without it waits for `work`, however long.
 */
export async function waitAtMost<T>(
  clock: Clock,
  work: Promise<T>,
  ms: number,
): Promise<T | typeof STILL_PENDING> {
  if (!clock.every) return work;
  const clockMs = ms * Math.max(1, clock.speed ?? 1);
  let stop: (() => void) | undefined;
  const timedOut = new Promise<typeof STILL_PENDING>((resolve) => {
    stop = clock.every?.(clockMs, () => resolve(STILL_PENDING));
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    stop?.();
  }
}

/**
 * Sleeps `ms` of real time, as waitAtMost counts it: `ms` × the sandbox's `--speed` on its clock.
 * For a wait that covers another party's latency (an AWS call in flight reaching the service),
 * which a sandbox's speed does not hurry: counted in clock time, 2 s was 0.2 s at --speed 10.
 */
export function sleepRealTime(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return clock.sleep(ms * Math.max(1, clock.speed ?? 1), signal);
}
