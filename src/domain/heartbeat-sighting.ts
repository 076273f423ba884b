/**
 * Is the process that holds a deployment record still alive? Its heartbeat (`heartbeatAt`) is
 * epoch ms from the WRITER's clock; comparing it with the reader's own clock assumes the two
 * machines agree. They may not (a CI runner without NTP, a laptop after sleep): a reader whose
 * clock runs 3 minutes ahead sees every live heartbeat as 3 minutes old, one running behind
 * sees a dead one as fresh.
 *
 * So a reader that can wait judges by what it SAW, on its own clock only: the holder is dead
 * once the record has not changed for the stale period since the reader first read it. A live
 * holder writes its heartbeat more often than that (poll-interval.ts bounds the gap), so it is
 * never taken for dead, whatever the two clocks say. A reader that cannot wait (`check`'s
 * report, `status`) reads the timestamp by the one rule of heartbeat-age.ts.
 */
import type { DeploymentRecord } from './deployment-record.js';

/** What a reader saw of a record, and since when (the reader's clock) it has looked like that. */
export interface HeartbeatSighting {
  /** Everything a live holder changes when it writes: id, owner, phase and heartbeat. */
  mark: string;
  /** The reader's time of the first read that saw this mark. */
  since: number;
}

/** The part of a record any write by a live holder changes (a heartbeat changes `heartbeatAt`). */
export function markOf(record: DeploymentRecord | undefined): string {
  if (!record) return 'none';
  return [record.id, record.owner, record.phase, record.heartbeatAt].join('\u0000');
}

/** The sighting after reading `record` at `now`: unchanged, it keeps its first time. */
export function observeHeartbeat(
  previous: HeartbeatSighting | undefined,
  record: DeploymentRecord | undefined,
  now: number,
): HeartbeatSighting {
  const mark = markOf(record);
  return previous && previous.mark === mark ? previous : { mark, since: now };
}

/** The holder is dead when this reader has seen its record unchanged for `staleMs` itself. */
export function isObservedStale(sighting: HeartbeatSighting, now: number, staleMs: number): boolean {
  return now - sighting.since >= staleMs;
}
