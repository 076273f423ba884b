/**
 * What a hold says while the deployment record lags (health-monitor-types.ts, RecordLagWatch), and how
 * it ends once it has lagged for the stale limit. A hold waits for its record at two kinds of
 * spot: as its end was to let something happen that others must be able to stop or see (a
 * `gate`: the next weight write, or the deployment declared promoted at the end of a bake or
 * before its promotion), and all along while an operator paused it (`paused`: the operator holds
 * the split on purpose and must be able to end the pause; a runner that cannot read its record
 * cannot see `lshift resume` or `abort`, and one that cannot write it is refused them as stale).
 */
import { formatDuration } from '../domain/duration.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import { logInfo, logWarn } from './emit.js';
import { describeRecordLag } from './recorder-loss.js';
import type { RecordLag } from './recorder-reads.js';

/**
 * What the end of a hold lets happen, which it does not while the record lags: the next weight
 * write, or the deployment declared promoted (a bake's end, the wait before the promotion).
 * `when` and `after` word it: `as the hold at 50% was to end` and `the hold at 50% ends` by default.
 */
export interface RecordGate {
  next: 'weight' | 'promotion';
  when?: string;
  after?: string;
}

/** Where a hold found its record lagging: as its end came (`gate`), or while paused. */
export type LagSpot =
  | { kind: 'gate'; gate: RecordGate; percent: number }
  | { kind: 'paused'; percent: number };

/** The hold's end past the limit (health-monitor.ts, `unrecorded`). */
export interface LagEnd {
  reason: string;
  seconds: number;
  lag: RecordLag['kind'];
  /** The deployment was paused by an operator as the limit passed. */
  paused?: true;
}

/** The record a hold waits for (health-monitor-types.ts, RecordLagWatch). */
export interface LaggingRecord {
  behind: () => RecordLag | undefined;
  limitMs: number;
  target: { functionName: string; alias: string };
}

/** How a hold says what its record lacks. */
const WORDS = {
  unwritten: {
    verb: 'write',
    done: 'written',
    noun: 'write',
    blind: 'others cannot see this deployment',
    blindPaused:
      'others cannot see this deployment (`lshift resume` and `abort` refuse a record that stops changing)',
    unseen: 'unseen',
  },
  unread: {
    verb: 'read',
    done: 'read',
    noun: 'read',
    blind: "it cannot see an operator's abort or pause, or another lshift taking this deployment over",
    blindPaused:
      "lshift cannot see an operator's resume or abort, or another lshift taking this deployment over",
    unseen: 'without seeing them',
  },
} as const;

/** What the hold does not do while the record lags, by gate. */
const WITHHELD = {
  weight: 'lshift moves no more traffic',
  promotion: 'lshift does not declare the deployment promoted',
} as const;

/** What lshift did instead, past the limit, by gate. */
const INSTEAD = {
  weight: 'move more traffic',
  promotion: 'declare the deployment promoted',
} as const;

/** How often a hold that waits for its record says so again. */
const REMINDER_MS = 30_000;

export class RecordLagNotice {
  private saidAtMs: number | undefined;
  /** The lag and spot last warned about: a new one is warned about again. */
  private saidKey: string | undefined;
  /** An unread record was said before the hold's end (duringHold), and is still unread. */
  private unreadSaidDuringHold = false;
  /** The lag the hold last said it waits for (`again`). */
  private kindSaid: RecordLag['kind'] | undefined;

  constructor(private readonly deps: { clock: Clock; events: EventSink }) {}

  /**
   * Past the limit, the hold's end; else undefined, warned as the lag (or its spot) begins and
   * reminded every 30 s while it lasts.
   */
  check(record: LaggingRecord, spot: LagSpot, first: boolean): LagEnd | undefined {
    const lag = record.behind();
    if (!lag) return undefined;
    const words = WORDS[lag.kind];
    const limit = formatDuration(record.limitMs / 1000);
    const { functionName, alias } = record.target;
    if (lag.sinceMs >= record.limitMs) {
      const seconds = Math.round(lag.sinceMs / 1000);
      if (spot.kind === 'paused') {
        const done = `rolled back rather than stay paused ${words.unseen}`;
        const reason = describeRecordLag(record.target, lag, seconds, done, { pausedAt: spot.percent });
        return { reason, seconds, lag: lag.kind, paused: true };
      }
      const done = `rolled back rather than ${INSTEAD[spot.gate.next]} ${words.unseen}`;
      return { reason: describeRecordLag(record.target, lag, seconds, done), seconds, lag: lag.kind };
    }
    const key = `${lag.kind}:${spot.kind}`;
    const tail = `rolls back if nothing is ${words.done} ${limit} after the last ${words.noun} that landed`;
    if (first || key !== this.saidKey) {
      this.saidAtMs = lag.sinceMs;
      this.saidKey = key;
      this.kindSaid = lag.kind;
      const record = `the deployment record of ${functionName} alias ${alias}`;
      const message =
        spot.kind === 'paused'
          ? `could not ${words.verb} ${record} while paused at ${spot.percent}% (${lag.error}): it stays paused at ${spot.percent}%, but ${words.blindPaused}; lshift ${tail}`
          : `could not ${words.verb} ${record} ${whenOf(spot)} (${lag.error}): holding ${spot.percent}% until it is ${words.done}; ${WITHHELD[spot.gate.next]} while ${words.blind}, and ${tail}`;
      logWarn(this.deps, message, 'record');
    } else if (lag.sinceMs - (this.saidAtMs ?? 0) >= REMINDER_MS) {
      // Up to 2 minutes past the hold's end with one warning, the health lines going on as usual,
      // read as a stuck step (found by a hostile pass): said again every 30 s while it lasts.
      this.saidAtMs = lag.sinceMs;
      // Whole seconds gone, never rounded up to the limit itself ("unread 2m …; rolls back at 2m").
      const since = formatDuration(Math.floor(lag.sinceMs / 1000));
      const still =
        spot.kind === 'paused' ? `still paused at ${spot.percent}%` : `still holding ${spot.percent}%`;
      logInfo(
        this.deps,
        `${still}: the deployment record is un${words.done} ${since} after the last ${words.noun} that landed (${lag.error}); rolls back at ${limit}`,
      );
    }
    return undefined;
  }

  /**
   * During a hold, before its end and not paused: its end once no write has landed for the limit
   * (tried once more first: health-monitor.ts), or no read has, else undefined. Found by a hostile
   * pass: with TagResource failing from minute 1 of a 10-minute canary, the runner kept its split
   * for the whole hold while `lshift status` said STALLED and `check` "no live owner". An unread
   * record (its writes land, so others see the deployment) was left to the hold's end too: an
   * operator's abort went unseen for the rest of a 30-minute canary, and timed out (4 December 2026).
   */
  endDuringHold(record: LaggingRecord, percent: number): LagEnd | undefined {
    const lag = record.behind();
    if (!lag || lag.sinceMs < record.limitMs) return undefined;
    const seconds = Math.round(lag.sinceMs / 1000);
    const done = `rolled back rather than hold ${percent}% ${WORDS[lag.kind].unseen}`;
    return { reason: describeRecordLag(record.target, lag, seconds, done), seconds, lag: lag.kind };
  }

  /**
   * Before the hold's end: an unread record said once as it begins (a failed write says so itself:
   * recorder-loss.ts). Nothing was said of it until the hold's end, up to its whole length later.
   */
  duringHold(record: LaggingRecord, percent: number): void {
    const lag = record.behind();
    if (lag?.kind !== 'unread') {
      this.unreadSaidDuringHold = false;
      return;
    }
    if (this.unreadSaidDuringHold) return;
    this.unreadSaidDuringHold = true;
    const { functionName, alias } = record.target;
    const limit = formatDuration(record.limitMs / 1000);
    logWarn(
      this.deps,
      `could not read the deployment record of ${functionName} alias ${alias} during the hold at ${percent}% (${lag.error}): ${WORDS.unread.blind}; lshift rolls back if nothing is read ${limit} after the last read that landed`,
      'record',
    );
  }

  /** Said once the record caught up: what goes on (a gate's `after`), or that the pause stands. */
  caughtUp(spot: LagSpot): void {
    const again = this.kindSaid === 'unread' ? 'read' : 'written';
    this.saidKey = undefined;
    const then = spot.kind === 'paused' ? `still paused at ${spot.percent}%` : thenOf(spot);
    logInfo(this.deps, `the deployment record is ${again} again: ${then}`);
  }
}

function whenOf(spot: Extract<LagSpot, { kind: 'gate' }>): string {
  return spot.gate.when ?? `as the hold at ${spot.percent}% was to end`;
}

function thenOf(spot: Extract<LagSpot, { kind: 'gate' }>): string {
  return spot.gate.after ?? `the hold at ${spot.percent}% ends`;
}
