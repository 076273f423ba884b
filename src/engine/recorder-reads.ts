/**
 * The deployment recorder's reads of its own record (deployment-recorder.ts), and what a
 * heartbeat does when one fails: a heartbeat says nothing the store lacks, so written blind it
 * could only drop what the store holds that it could not see — an operator command sent since
 * the last read. It is put off to the next try (a poll later) instead, as long as the record
 * cannot look abandoned for it. StoredRecordReads makes the reads themselves (moved here from
 * the recorder): what a failed or corrupt read means for the write that follows.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, type LshiftError } from '../domain/errors.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../domain/poll-interval.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError, logWarn } from './emit.js';
import { isEnded } from './record-view.js';

/** The store could not be read (throttled, network, 5xx): what it holds now is unknown. */
export const UNREADABLE = 'unreadable';

/** A read of the store: the record, nothing (`null`; a corrupt record counts as none), or UNREADABLE. */
export type StoredRead = DeploymentRecord | null | typeof UNREADABLE;

/**
 * How old the last landed write may be once the put-off heartbeat's next try lands: the longest
 * gap heartbeats have at polls without any failure (a 30 s spacing written at polls at most the
 * longest poll interval, 60 s, apart), so that a try which then hangs in its write until its
 * bound (46 s at most: src/aws/time-bounds.ts) still lands by 106 s, below the stale limit
 * (DEFAULT_STALE_AFTER_SECONDS, 120 s). It was 90 s: a put-off beat written blind at 90 s whose
 * write hung left the record 136 s old. A release's heartbeat (due at 45–55 s) is thus mostly
 * written blind: a command it drops is written again by its sender (operator-send.ts).
 */
export const PUT_OFF_BEAT_LIMIT_MS = MAX_POLL_INTERVAL_SECONDS * 1000;

/**
 * A heartbeat whose read failed may wait for its next try, `retryInMs` later (the poll
 * interval), while the record is running (an ending one carries no command: it is written as
 * before) and its last landed write (`landedAgoMs`) leaves room for that try within the limit.
 */
export function mayPutOffBeat(record: DeploymentRecord, landedAgoMs: number, retryInMs: number): boolean {
  if (isEnded(record) || record.phase === 'rolling-back') return false;
  return landedAgoMs + retryInMs <= PUT_OFF_BEAT_LIMIT_MS;
}

/** The recorder's reads of the record of one function alias (deployment-recorder.ts). */
/**
 * The record's latest read failed (throttled, denied, network): since when no read has landed and
 * why (StoredRecordReads.unread). A runner that cannot read its record cannot see an operator's
 * `abort` or `pause`, nor another lshift taking the deployment over: a hold before a weight write
 * does not end while it lasts (health-monitor-types.ts, RecordLagWatch).
 */
export interface UnreadRecord {
  sinceReadMs: number;
  error: string;
}

/**
 * What a hold before a weight write waits for (health-monitor-types.ts, RecordLagWatch): a record write
 * of ours that failed since the last that landed (others cannot see where the deployment is), or
 * else a read that failed since the last that landed (this runner cannot see an operator's command
 * or a takeover); `sinceMs` since the last that landed.
 */
export interface RecordLag {
  kind: 'unwritten' | 'unread';
  sinceMs: number;
  error: string;
}

export class StoredRecordReads {
  /** Problems of unreadable records already warned about (noteUnreadable). */
  private readonly unreadableSeen = new Set<string>();
  /** When the last read that landed ended (`clock.now()`). */
  private lastReadAt = Number.NEGATIVE_INFINITY;
  /** The reads failed since the last that landed: the first failure's time, the latest's words. */
  private failedSinceRead?: { at: number; error: string };

  constructor(
    private readonly deps: { store?: StateStore; clock: Clock; events: EventSink },
    private readonly functionName: string,
    private readonly alias: string,
  ) {}

  /**
   * The stored record (`known`: as read moments ago), UNREADABLE, or undefined: none, corrupt
   * (written over: noteUnreadable), or no store. A read that throws is judged by `afterFailure`
   * (the recorder's: it also notes a deleted function).
   */
  async read(
    known?: StoredRead,
    urgent = false,
    afterFailure: (error: unknown) => null | typeof UNREADABLE = (error) => this.afterFailedRead(error),
  ): Promise<DeploymentRecord | typeof UNREADABLE | undefined> {
    const store = this.deps.store;
    if (!store) return undefined;
    if (known !== undefined) return known ?? undefined;
    try {
      const stored = urgent
        ? await store.read(this.functionName, this.alias, { urgent })
        : await store.read(this.functionName, this.alias);
      this.noteRead();
      return stored ?? undefined;
    } catch (error) {
      return afterFailure(error) ?? undefined;
    }
  }

  /** Undefined while the latest read landed (or none was made); else since when none has. */
  unread(): UnreadRecord | undefined {
    const failed = this.failedSinceRead;
    if (!failed) return undefined;
    const readAt = Number.isFinite(this.lastReadAt) ? this.lastReadAt : failed.at;
    return { sinceReadMs: this.deps.clock.now() - readAt, error: failed.error };
  }

  private noteRead(): void {
    this.lastReadAt = this.deps.clock.now();
    this.failedSinceRead = undefined;
  }

  /**
   * What a read that threw says about the store, for `stored` (operator-control.ts reads at each
   * poll): a corrupt record is as good as none — ours is written back over it (said once) —
   * anything else (throttled, network) leaves what it holds unknown.
   */
  afterFailedRead(error: unknown, gone = false): null | typeof UNREADABLE {
    if (isLshiftError(error) && error.code === 'RECORD_CORRUPT') {
      // Read: what the store holds is known (nothing of ours, no command), only not decodable.
      this.noteRead();
      this.noteUnreadable(error);
      return null;
    }
    // A function found deleted is no record waiting to be read: the next weight write meets the
    // deletion (a hold waited for a read that never came, then said RECORD_UNREAD: suite under load).
    if (gone) return UNREADABLE;
    this.failedSinceRead = {
      at: this.failedSinceRead?.at ?? this.deps.clock.now(),
      error: describeError(error),
    };
    return UNREADABLE;
  }

  /**
   * A record that cannot be decoded (RECORD_CORRUPT: edited by hand or by another tool) is
   * written over by this live runner's next write, as a missing one is: say so once per distinct
   * problem, so the overwrite is never silent. A read that failed for any other reason (throttled,
   * network) is only retried by the next poll (afterFailedRead).
   */
  private noteUnreadable(error: LshiftError): void {
    const problem = describeError(error);
    if (this.unreadableSeen.has(problem)) return;
    this.unreadableSeen.add(problem);
    logWarn(
      this.deps,
      `the deployment record of ${this.functionName} alias ${this.alias} was changed into a value lshift cannot decode (${problem}); this deployment is still running and writes its own record back over it`,
      'record',
    );
  }
}
