/**
 * What a hold is asked to do and how it can end (health-monitor.ts): its options, the record it
 * waits for (RecordLagWatch) and its outcomes. Apart from the monitor so that the steps that read
 * an outcome (watch-steps.ts, step-result.ts, wait-watch.ts) need not import its loop.
 */

import type { WaitBeside } from '../domain/events.js';
import type { HealthCause } from '../domain/health-assessment.js';
import type { Verdict } from '../domain/verdict.js';
import type { FoundGone } from './deployment-recorder-types.js';
import type { HealthWindow } from './health-gate.js';
import type { HoldControl } from './operator-control.js';
import type { LagEnd, RecordGate } from './record-lag-notice.js';
import type { RecordLag } from './recorder-reads.js';

export interface HealthMonitorOptions {
  pollIntervalSeconds: number;
  healthErrorLimit: number;
  ignoreHealthErrors: boolean;
  onInconclusive: 'continue' | 'fail';
  signal?: AbortSignal;
  /** Runs after each poll that did not end the hold (heartbeats). */
  onPoll?: () => Promise<void>;
  /**
   * Asks for a heartbeat every BEAT_BESIDE_CALL_MS while a poll's reads or `onPoll` run. Each
   * read may hang until its bound (src/aws/time-bounds.ts, 46 s at most), and a health read
   * then the record read hung in one poll kept `onPoll`'s heartbeat waiting 60 + 2 × 46 = 152 s,
   * past the 120 s after which `lshift check` takes the record for abandoned. A poll that
   * answers in time asks for none (the recorder writes at most one per heartbeat interval).
   */
  beat?: () => Promise<void>;
  /** Checked after `onPoll`: a reason ends the hold as `stopped` (the deployment was taken over). */
  stopReason?: () => string | undefined;
  /**
   * Checked after `onPoll` too: a find ends the hold as `gone` (its function was found deleted
   * by that poll's record read or heartbeat). Set for a function of a release only: its alias
   * went with it, while the others' stay split until the release decides (shift-context.ts).
   */
  gone?: () => FoundGone | undefined;
  /**
   * Operator commands read by `onPoll` (operator-control.ts): a skip ends the hold as healthy,
   * an abort as `aborted`; while paused the hold's clock stops but every gate is still polled,
   * so a failure while paused still rolls back.
   */
  operator?: HoldControl;
  /** This function's deployment record, which a hold before a weight write waits for (RecordLagWatch). */
  record?: RecordLagWatch;
  /**
   * Reads the alias (at most every ALIAS_WATCH_MS, or `aliasWatch`'s): why, when someone else
   * moved it since lshift's last write (the console, `aws lambda update-alias`, another tool).
   * The hold ends `moved`, as the next weight write's 412 would have ended it, up to a whole hold
   * (or a bake) later: meanwhile it judged and reported a split that no longer existed.
   */
  aliasMoved?: () => Promise<string | undefined>;
  /**
   * How often `aliasMoved` reads (default ALIAS_WATCH_MS), and whether a watch alongside another
   * function's hold (--stagger) skips it: a release's function reads in its own holds and bake, less
   * often the more functions it has, and not while it waits on another's walk (release-alias-watch.ts).
   */
  aliasWatch?: { everyMs: number; notAlongside: boolean };
}

/** How often a hold reads its alias (aliasMoved): one GetAlias per heartbeat interval. */
export const ALIAS_WATCH_MS = 30_000;

/**
 * The record lags what this runner knows: a write failed since the last that landed
 * (recorder-write-path.ts, recordBehind). No hold before a weight write ends on it: traffic does
 * not move on while `lshift status`, `check` and another deploy cannot see where this deployment
 * is. Once nothing has landed for `limitMs` (the stale limit, when they take the deployment for
 * abandoned), the hold ends `unrecorded` and the deployment rolls back — before the hold's end too
 * (lagTooLong): a split nobody can see must not last past that limit.
 *
 * Nor while the record's latest read failed (recordUnread): this runner cannot see an operator's
 * `abort` or `pause`, or another lshift taking the deployment over — found by a hostile pass: with
 * ListTags failing, a deploy walked to 100% while `lshift abort` timed out unanswered. Each poll
 * reads it again (operator-control.ts); once none has landed for `limitMs`, the same rollback,
 * before the hold's end too (lagTooLong): an abort must not go unseen for the rest of a long hold.
 *
 * The same at the end of a bake (and before the promotion: watch-steps.ts), which would declare the
 * deployment promoted (`WatchOptions.recordGate`); and all along a pause, whose operator holds the
 * split on purpose and must be able to end it: a paused hold whose record lags for `limitMs` rolls
 * back too, saying it was paused (record-lag-notice.ts).
 */
export interface RecordLagWatch {
  behind: () => RecordLag | undefined;
  /** Tries an unwritten record again now (at the hold's end, and at each poll past it). */
  retry: () => Promise<void>;
  /**
   * A heartbeat, written only if it is overdue by `lateMs` (the heartbeat interval and `lateMs`
   * since the last write): asked for at a hold's end before it looks whether the record lags
   * (HoldRecordLag.holdsForRecord).
   */
  beatIfOverdue: (lateMs: number) => Promise<void>;
  limitMs: number;
  /** Whose record, for the warning. */
  target: { functionName: string; alias: string };
}

export type WatchOutcome =
  /** `early`: an operator skipped the rest of the hold, or paused it (it ended later than planned). */
  | { kind: 'healthy'; early?: 'skipped' | 'paused' }
  | { kind: 'aborted'; by: string; reason?: string }
  | { kind: 'unhealthy'; reason: string; cause: HealthCause; verdicts: Verdict[] }
  | { kind: 'interrupted' }
  | { kind: 'stopped'; reason: string }
  /** Someone else moved the alias during the hold (aliasMoved): a conflict, as a 412 is. */
  | { kind: 'moved'; reason: string }
  /** The record stayed unwritten (or unread) past the limit (RecordLagWatch): roll back rather than move on unseen. */
  | ({ kind: 'unrecorded' } & LagEnd)
  | ({ kind: 'gone' } & FoundGone);

export type WatchWindow = Omit<HealthWindow, 'now' | 'endOfStep'>;

export interface WatchOptions {
  /**
   * Where the poll grid starts (on the clock's `elapsedMs` timeline, at or before now; default:
   * now). A release's functions
   * pass their level's shared start, so all their polls fall on the same instants and are read
   * in one batch (metric-batch.ts), however far apart their weight writes landed.
   */
  gridFrom?: number;
  /**
   * Watching alongside another function's hold (a `--stagger` release, fleet-steps.ts): the watch
   * lasts until `until` fires and then ends healthy, with no end-of-step poll (the step is not
   * this function's); with `alarmsOnly`, only the alarms are read (a function whose traffic has
   * not moved yet has nothing else to judge). Its polls say `alongside` and nothing is left.
   */
  alongside?: {
    until: AbortSignal;
    alarmsOnly: boolean;
    /**
     * Beside a wait (wait-watch.ts), whose own loop keeps the records' heartbeats: the watch
     * makes no record read and obeys no operator command (the verbs wait for the first poll
     * after it: docs/hooks.md). Its polls say `during`.
     */
    during?: WaitBeside;
  };
  /**
   * A weight write, or the deployment declared promoted, follows this hold: it does not end while
   * the record lags (RecordLagWatch), and says which (record-lag-notice.ts).
   */
  recordGate?: RecordGate;
  /**
   * The step ended before its time (CodeDeploy's Succeeded while lshift holds a step: traffic-steps.ts
   * succeededMeanwhile). Once it holds after a poll, the hold's end is brought to now and the next
   * poll, at once, is its end-of-step poll: every end-of-step rule applies (`--on-inconclusive
   * fail`, the alarms' full read, the analysis's end of step), as at the planned end. Not while paused.
   */
  endsStepWhen?: () => boolean;
}
