/**
 * Before a reader acts on a deployment whose runner looks dead — `deploy --resume` taking it over,
 * `lshift check` rolling it back — it watches the record itself: dead only once the record has
 * not changed for the stale period on this machine's clock (src/domain/heartbeat-sighting.ts).
 * The heartbeat's timestamp is the writer's clock, and two machines' clocks may disagree by
 * minutes; what this reader sees change (or not) does not depend on them agreeing.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isObservedStale, observeHeartbeat } from '../domain/heartbeat-sighting.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError } from './emit.js';

/** How often the record is read while watching: a live holder is seen within this of its write. */
export const HEARTBEAT_WATCH_POLL_MS = 10_000;

export type HeartbeatWatchEnd =
  /** Unchanged for the whole stale period, as this reader saw it. */
  | { kind: 'dead'; record: DeploymentRecord }
  /** Changed (a heartbeat, a new phase or owner, another deployment, or gone): someone writes it. */
  | { kind: 'alive'; record: DeploymentRecord | undefined }
  /** The record could not be read: nothing is known, so nothing is taken over. */
  | { kind: 'unreadable'; error: string };

export interface HeartbeatWatchDeps {
  store: StateStore;
  clock: Clock;
  signal?: AbortSignal;
}

/**
 * Reads `first`'s record until it changes or `staleMs` passed without a change. Time is counted
 * as the sum of this watch's own sleeps, not read from the wall clock: a sleep runs on a
 * monotonic timer (src/cli/clocks.ts), so a wall clock stepped back (NTP) cannot stretch it.
 */
export async function watchHeartbeat(
  deps: HeartbeatWatchDeps,
  target: { functionName: string; alias: string },
  first: DeploymentRecord,
  staleMs: number,
  pollMs = HEARTBEAT_WATCH_POLL_MS,
): Promise<HeartbeatWatchEnd> {
  let watched = 0;
  const sighting = observeHeartbeat(undefined, first, watched);
  while (!isObservedStale(sighting, watched, staleMs)) {
    const step = Math.min(pollMs, staleMs - watched);
    await deps.clock.sleep(step, deps.signal);
    watched += step;
    let record: DeploymentRecord | undefined;
    try {
      record = await deps.store.read(target.functionName, target.alias);
    } catch (error) {
      return { kind: 'unreadable', error: describeError(error) };
    }
    if (observeHeartbeat(sighting, record, watched) !== sighting) return { kind: 'alive', record };
  }
  return { kind: 'dead', record: first };
}
