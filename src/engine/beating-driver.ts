/**
 * A traffic driver whose alias writes and reads keep the deployment record moving while they
 * run. One UpdateAlias (or GetAlias) may hang until its bound (src/aws/time-bounds.ts: 3 × the
 * request timeout + 1 s); the record's heartbeat used to wait for it, so a hung write left a live
 * runner silent for longer than the 120 s after which `lshift check` takes it for abandoned and
 * rolls back under it (docs/exit-codes.md#time-bounds). Beside each call, the recorder is asked
 * for a heartbeat every BEAT_BESIDE_CALL_MS: it writes one only once its last write is a
 * heartbeat interval old and no other write of the record is in flight (DeploymentRecorder
 * .heartbeat), so a call that answers in time changes nothing, and two writes of the record
 * never overlap: tags have no conditional write, and the queue keeps a beat from landing after
 * a later write.
 */
import type { Clock } from '../ports/clock.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { runBeside, runBesideSettled } from './keep-beating.js';

/** How often a hung call asks for a heartbeat: a beat lands at most this long after it is due. */
export const BEAT_BESIDE_CALL_MS = 10_000;

/**
 * `inner`, its calls beside `beat`. A driver that follows a service on its own schedule
 * (CodeDeploy) too: it beats at each of its polls (`onPoll`), but not while one call of a poll
 * hangs — a StopDeployment held after a Ctrl-C left the `rolling-back` record unbeaten for
 * minutes, and `lshift wait` on another machine took the live run for gone and rolled back
 * beside it (found by a hostile pass, session 60). CreateDeployment, GetDeployment,
 * ListDeployments, StopDeployment and the driver's alias reads and writes all run inside
 * `setWeight`, so all of them beat.
 */
export function beatingDriver(inner: TrafficDriver, clock: Clock, beat: () => Promise<void>): TrafficDriver {
  return {
    name: inner.name,
    ...(inner.ownSchedule ? { ownSchedule: true } : {}),
    setWeight: (cursor, percent, opts) =>
      runBeside(clock, () => inner.setWeight(cursor, percent, opts), beat, BEAT_BESIDE_CALL_MS),
    observe: (cursor) => runBeside(clock, () => inner.observe(cursor), beat, BEAT_BESIDE_CALL_MS),
    ...(inner.describeMove ? { describeMove: inner.describeMove.bind(inner) } : {}),
    ...(inner.succeeded ? { succeeded: inner.succeeded.bind(inner) } : {}),
    ...(inner.leaveToMove
      ? {
          leaveToMove: (cursor) =>
            runBeside(clock, () => inner.leaveToMove!(cursor), beat, BEAT_BESIDE_CALL_MS),
        }
      : {}),
  };
}

/**
 * `run` beside `beat` (none: `run` alone), the beat in flight waited for once `run` settles: a
 * claimed rollback's restore (step-restore.ts), whose beat is the claim's (check-claim.ts
 * keepClaimFresh), which writes the store itself and must not land over the close that follows.
 * One call of the restore — CodeDeploy's StopDeployment, its GetDeployment, an alias read or
 * write — may hang until its AWS bound, past the stale limit after which a check or a wait on
 * another machine takes the live rollback for abandoned.
 */
export function besideBeat<T>(
  clock: Clock,
  beat: (() => Promise<void>) | undefined,
  run: () => Promise<T>,
): Promise<T> {
  return beat ? runBesideSettled(clock, run, beat, BEAT_BESIDE_CALL_MS) : run();
}
