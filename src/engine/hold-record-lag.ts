/**
 * A hold's side of a lagging deployment record (RecordLagWatch, health-monitor-types.ts): whether
 * the hold may end while the record lags, and its end once the record has lagged for the stale
 * limit. What the hold says meanwhile is record-lag-notice.ts. Apart from the hold's loop
 * (health-monitor.ts), which asks it at each poll.
 */

import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { HealthMonitorOptions, RecordLagWatch } from './health-monitor-types.js';
import { LAG_RETRY_WAIT_MS, waitAtMost } from './mark-wait.js';
import { type LagEnd, RecordLagNotice } from './record-lag-notice.js';

export class HoldRecordLag {
  /** What the hold says while its record lags, and its end past the limit (record-lag-notice.ts). */
  readonly notice: RecordLagNotice;

  constructor(
    private readonly deps: { clock: Clock; events: EventSink },
    private readonly opts: Pick<HealthMonitorOptions, 'record'>,
  ) {
    this.notice = new RecordLagNotice(deps);
  }

  /**
   * Whether the record still lags once tried again (RecordLagWatch): found by a hostile pass, a
   * runner whose TagResource failed walked 20% → 70% while `lshift status` elsewhere read STALE
   * and `--resume` refused (ALIAS_AHEAD_OF_RECORD). Not under CodeDeploy, whose shift is its own.
   */
  async holdsForRecord(pollIntervalMs: number): Promise<boolean> {
    const record = this.opts.record;
    if (!record) return false;
    // The heartbeat first if a poll owed it (a poll interval past its due time): a hold starved
    // of its polls (ci217, load ~30: none from 17 s to 69 s) tried no write after its step's, and
    // moved traffic on with the store refusing writes, unaware. Not one a poll on time would not
    // have written: a healthy hold's end writes nothing more (its next step's record follows).
    if (!record.behind()) {
      await this.tryRecord(() => record.beatIfOverdue(pollIntervalMs));
      return record.behind() !== undefined;
    }
    const lag = record.behind();
    if (!lag) return false;
    // Unread: this poll's own record read (onPoll) tries again, and obeys what it finds.
    if (lag.kind === 'unread') return true;
    // A record write itself: no heartbeat beside it (that would be one more write in its queue).
    await this.retryRecord(record);
    return record.behind() !== undefined;
  }

  /**
   * Before the hold's end (no record gate, not paused) with traffic moved: said while the record
   * lags, and once it has lagged past the limit, the hold's end to wait for (lagTooLong). Without
   * a promise while the record keeps up: an await for nothing would let an auto-advancing test
   * clock move on meanwhile.
   */
  duringHold(percent: number): Promise<LagEnd | undefined> | undefined {
    const record = this.opts.record;
    if (!record) return undefined;
    this.notice.duringHold(record, percent);
    return this.lagPastLimit() ? this.lagTooLong(percent) : undefined;
  }

  /**
   * Before the hold's end (and not paused): the hold's end once no write of the record has landed
   * for the limit, tried once more first, or no read has (the last poll's read was the try)
   * (RecordLagWatch). Else the runner held its split until the hold's end — a 10-minute canary 9
   * minutes past the limit — while `lshift status`, `check` and another deploy took it for
   * abandoned, or while it could not see an operator's abort.
   */
  private async lagTooLong(percent: number): Promise<LagEnd | undefined> {
    const record = this.opts.record;
    if (!record || !this.lagPastLimit()) return undefined;
    // A record write itself: no heartbeat beside it (as holdsForRecord).
    if (record.behind()?.kind === 'unwritten') await this.retryRecord(record);
    return this.notice.endDuringHold(record, percent);
  }

  /**
   * The lagging record tried again, waited for LAG_RETRY_WAIT_MS at most (mark-wait.ts): a try
   * hung in TagResource held the poll, and a rollback past the stale limit, for the whole AWS
   * call bound. Still lagging then, the hold goes on (or, past the limit, rolls back); the try
   * lands or fails in its turn.
   */
  private async retryRecord(record: RecordLagWatch): Promise<void> {
    await this.tryRecord(record.retry);
  }

  /** A write of the record (a retry, a due heartbeat), waited for LAG_RETRY_WAIT_MS at most. */
  private async tryRecord(write: () => Promise<void>): Promise<void> {
    await waitAtMost(
      this.deps.clock,
      write().catch(() => undefined),
      LAG_RETRY_WAIT_MS,
    );
  }

  /** No write, or no read, of the record has landed for the limit (RecordLagWatch). */
  private lagPastLimit(): boolean {
    const record = this.opts.record;
    const lag = record?.behind();
    return record !== undefined && lag !== undefined && lag.sinceMs >= record.limitMs;
  }
}
