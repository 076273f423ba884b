/**
 * The deployment recorder's reads of its own record (deployment-recorder.ts), and what a
 * heartbeat does when one fails: a heartbeat says nothing the store lacks, so written blind it
 * could only drop what the store holds that it could not see — an operator command sent since
 * the last read. It is put off to the next try (a poll later) instead, as long as the record
 * cannot look abandoned for it.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { HEARTBEAT_SPACING_SECONDS, MAX_POLL_INTERVAL_SECONDS } from '../domain/poll-interval.js';
import { isEnded } from './record-view.js';

/** The store could not be read (throttled, network, 5xx): what it holds now is unknown. */
export const UNREADABLE = 'unreadable';

/** A read of the store: the record, nothing (`null`; a corrupt record counts as none), or UNREADABLE. */
export type StoredRead = DeploymentRecord | null | typeof UNREADABLE;

/**
 * How old the last landed write may be once the put-off heartbeat's next try lands: the longest
 * gap heartbeats have without any failure (the spacing and the longest poll interval, 90 s), so
 * the margin below the stale limit (DEFAULT_STALE_AFTER_SECONDS, 120 s) stays whole.
 */
export const PUT_OFF_BEAT_LIMIT_MS = (HEARTBEAT_SPACING_SECONDS + MAX_POLL_INTERVAL_SECONDS) * 1000;

/**
 * A heartbeat whose read failed may wait for its next try, `retryInMs` later (the poll
 * interval), while the record is running (an ending one carries no command: it is written as
 * before) and its last landed write (`landedAgoMs`) leaves room for that try within the limit.
 */
export function mayPutOffBeat(record: DeploymentRecord, landedAgoMs: number, retryInMs: number): boolean {
  if (isEnded(record) || record.phase === 'rolling-back') return false;
  return landedAgoMs + retryInMs <= PUT_OFF_BEAT_LIMIT_MS;
}
