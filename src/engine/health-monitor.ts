/**
 * Holds a weight for a while and polls every gate each `pollIntervalSeconds` (alarm gate
 * first). It only gathers readings: what they mean is `assessHealth` (src/domain/
 * health-assessment.ts), a pure function of the polls so far and the limits. The poll history
 * carries across steps and the bake: a flaky API does not reset by moving on.
 */

import type { WaitBeside } from '../domain/events.js';
import { assessHealth, type HealthCause, type HealthPoll } from '../domain/health-assessment.js';
import type { Verdict } from '../domain/verdict.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AlarmGate } from './alarm-gate.js';
import { BEAT_BESIDE_CALL_MS } from './beating-driver.js';
import type { FoundGone } from './deployment-recorder.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import type { HealthGate, HealthWindow } from './health-gate.js';
import { runBeside } from './keep-beating.js';
import { LAG_RETRY_WAIT_MS, waitAtMost } from './mark-wait.js';
import type { HoldControl } from './operator-control.js';
import { untilNextPoll, untilPollDue } from './poll-grid.js';
import { PollRecordWork } from './poll-record-work.js';
import { type LagEnd, type LagSpot, type RecordGate, RecordLagNotice } from './record-lag-notice.js';
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
   * Reads the alias (a single deploy's, at most every ALIAS_WATCH_MS): why, when someone else
   * moved it since lshift's last write (the console, `aws lambda update-alias`, another tool).
   * The hold ends `moved`, as the next weight write's 412 would have ended it, up to a whole hold
   * (or a bake) later: meanwhile it judged and reported a split that no longer existed.
   */
  aliasMoved?: () => Promise<string | undefined>;
}

/** How often a hold reads its alias (aliasMoved): one GetAlias per heartbeat interval. */
export const ALIAS_WATCH_MS = 30_000;

/**
 * The record lags what this runner knows: a write failed since the last that landed
 * (deployment-recorder.ts, recordBehind). No hold before a weight write ends on it: traffic does
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
}

export class HealthMonitor {
  private readonly history: HealthPoll[] = [];
  /**
   * Each gate's verdicts of the last poll that asked it, replaced whole: kept by verdict name, an
   * `error` of an early poll (`analysis`, `async-delivery` while CloudWatch failed) stayed in a
   * promoted result beside the later passes that replaced it under other names, or none (found by
   * a hostile pass: "⚠️ error" rows under a "✅ promoted" heading).
   */
  private readonly latest = new Map<string, Verdict[]>();
  /**
   * The beat asked for beside a poll (`beside`) while it is in flight: the poll waits for it
   * only then (an await for nothing would let an auto-advancing test clock move on meanwhile).
   */
  private beating?: Promise<void>;
  /** A poll's record work (`onPoll`), waited for until the next poll is due (poll-record-work.ts). */
  private readonly recordWork: PollRecordWork;

  constructor(
    private readonly deps: { clock: Clock; events: EventSink },
    private readonly alarmGate: AlarmGate,
    private readonly gates: readonly HealthGate[],
    private readonly opts: HealthMonitorOptions,
  ) {
    this.lagNotice = new RecordLagNotice(deps);
    this.recordWork = new PollRecordWork(deps.clock);
  }

  /** When the latest poll that judged every alarm began (AlarmGate.judgedUntil). */
  alarmsJudgedUntil(): number | undefined {
    return this.alarmGate.judgedUntil;
  }

  /** The most recent verdict of each gate. */
  latestVerdicts(): Verdict[] {
    return [...this.latest.values()].flat();
  }

  /**
   * Holds for `holdSeconds` of clock time, polling; returns early on a failure or an abort, or
   * as healthy once `doneWhen` holds for a poll's verdicts (the settle wait). The hold and its
   * poll grid are measured on `clock.elapsedMs()`: a wall clock stepped forward (NTP, `date -s`)
   * must not end a hold early, nor one stepped back stretch it. The windows the gates read
   * (`now`) stay wall time: CloudWatch reads them.
   */
  async watch(
    window: WatchWindow,
    holdSeconds: number,
    doneWhen?: (verdicts: readonly Verdict[]) => boolean,
    opts: WatchOptions = {},
  ): Promise<WatchOutcome> {
    const { clock } = this.deps;
    const elapsed = () => clock.elapsedMs();
    const intervalMs = Math.max(1, this.opts.pollIntervalSeconds) * 1000;
    let end = elapsed() + holdSeconds * 1000;
    if (holdSeconds <= 0) return { kind: 'healthy' };
    /** While paused: how much of the hold was left when the pause began (the end keeps moving). */
    let pausedLeft: number | undefined;
    let wasPaused = false;
    /** The latest poll could not read health: the hold goes on past its end (endsOnUnreadable). */
    let unreadable = false;
    /** The hold was to end, but the record lags: it goes on until a write lands (holdsForRecord). */
    let unrecorded = false;
    /** An operator's promote came while the record lagged: obeyed once a write lands. */
    let skipped = false;
    let aliasReadAt = elapsed();
    // Polls keep to a grid from the start of the hold (or `gridFrom`), however long a poll and
    // its heartbeat took: a release's functions share the grid, so their polls meet and are read
    // in one batch (metric-batch.ts), even when heartbeats queue at Lambda's request rate.
    let nextPoll = Math.min(opts.gridFrom ?? elapsed(), elapsed()) + intervalMs;
    /** The last poll's record work hung until this poll was due: no sleep before it. */
    let pollNow = false;
    const until = opts.alongside?.until;
    const startedAt = elapsed();
    const sleepSignal =
      until && this.opts.signal ? AbortSignal.any([this.opts.signal, until]) : (until ?? this.opts.signal);
    for (;;) {
      if (until?.aborted) return this.endHealthy({ kind: 'healthy' });
      // A poll that overran the end of the hold still leaves one last, end-of-step poll: that
      // is where inconclusive steps fail (--on-inconclusive fail) and the full α applies.
      const remaining = end - elapsed();
      while (nextPoll <= elapsed()) nextPoll += intervalMs;
      try {
        if (pollNow) pollNow = false;
        else if (remaining > 0)
          await clock.sleep(untilNextPoll(elapsed(), nextPoll, end, intervalMs), sleepSignal);
        // Paused, or the last poll unreadable, with nothing of the hold left: keep polling on the
        // grid until resume, or until a poll reads health (or the error limit rolls back).
        else if (pausedLeft !== undefined || unreadable || unrecorded)
          await clock.sleep(nextPoll - elapsed(), sleepSignal);
      } catch (error) {
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        if (until?.aborted) return this.endHealthy({ kind: 'healthy' });
        throw error;
      }
      const now = clock.now();
      const at = elapsed();
      if (pausedLeft !== undefined) end = at + pausedLeft;
      const endOfStep = at >= end && until === undefined;
      // Beside a wait, the wait's own loop keeps the heartbeats (wait-watch.ts).
      const readPoll = () => this.poll({ ...window, now, endOfStep }, opts.alongside?.alarmsOnly === true);
      const verdicts = await (opts.alongside === undefined ? this.beside(readPoll) : readPoll());
      if (this.opts.signal?.aborted) return { kind: 'interrupted' };
      this.report(window, verdicts, {
        remainingSeconds: until ? 0 : Math.max(0, (end - at) / 1000),
        ...(until ? alongsideMark(opts.alongside?.during) : {}),
      });
      const assessment = this.assess(verdicts, endOfStep);
      if (assessment.status === 'failed') {
        return { kind: 'unhealthy', reason: assessment.reason, cause: assessment.cause, verdicts };
      }
      const healthy: WatchOutcome = skipped
        ? { kind: 'healthy', early: 'skipped' }
        : wasPaused
          ? { kind: 'healthy', early: 'paused' }
          : { kind: 'healthy' };
      // A pause obeyed when the hold had (or, after a slow answer write, has) nothing left, or by
      // another function of the release after this hold's last poll, still holds the weight: the
      // end keeps moving until resume, whatever was left.
      const holding = this.opts.operator?.paused() === true;
      // A settle wait does not end early while alarm histories wait for the next poll: at the
      // latest the end of its hold reads them all (alarm-flap-check.ts, readAll).
      const settled = !this.alarmGate.readsWaiting && doneWhen?.(verdicts) === true;
      const wouldEnd = (endOfStep && !holding) || (pausedLeft === undefined && settled) || skipped;
      const wasUnreadable = unreadable;
      unreadable = this.endsOnUnreadable(verdicts);
      const wasUnrecorded = unrecorded;
      // Paused, a hold of its own: the operator holds the split and must be able to end the pause.
      const spot: LagSpot | undefined =
        holding && until === undefined
          ? { kind: 'paused', percent: window.percent }
          : wouldEnd && opts.recordGate
            ? { kind: 'gate', gate: opts.recordGate, percent: window.percent }
            : undefined;
      unrecorded = !unreadable && spot !== undefined && (await this.holdsForRecord());
      if (this.opts.signal?.aborted) return { kind: 'interrupted' };
      if (wasUnrecorded && !unrecorded && !unreadable && spot) this.lagNotice.caughtUp(spot);
      if (!unreadable && !unrecorded && wouldEnd) return this.endHealthy(healthy);
      if (unrecorded && spot && this.opts.record) {
        const ended = this.lagNotice.check(this.opts.record, spot, !wasUnrecorded);
        if (ended) return { kind: 'unrecorded', ...ended };
      }
      // Before the hold's end too: a split nobody can see must not last past the stale limit. So
      // beside a wait (a step or post-traffic hook) or another function's hold, once traffic moved.
      // Judged without an await while the record keeps up: an await for nothing would let an
      // auto-advancing test clock move on meanwhile (as `beating`).
      // An unread record too (ListTags failing): an operator's abort or pause went unseen for the
      // rest of a long hold (a 30-minute canary held 10% 28 minutes past the limit, the abort timed out).
      if (spot === undefined && window.percent > 0 && this.opts.record) {
        this.lagNotice.duringHold(this.opts.record, window.percent);
        if (this.lagPastLimit()) {
          const ended = await this.lagTooLong(window.percent);
          if (this.opts.signal?.aborted) return { kind: 'interrupted' };
          if (ended) return { kind: 'unrecorded', ...ended };
        }
      }
      // Said once as the hold runs on: the countdown had reached 0 and the unreadable polls that
      // follow read like a stuck step (found by a hostile pass).
      if (unreadable && wouldEnd && !wasUnreadable) {
        logWarn(
          this.deps,
          `health could not be read as the hold at ${window.percent}% was to end: holding it until a poll reads health (${this.opts.healthErrorLimit} unreadable polls in a row roll back)`,
          'health',
        );
      }
      const onPoll = this.opts.onPoll;
      if (opts.alongside?.during === undefined && onPoll) {
        // Waited for until the next poll is due, not longer (poll-record-work.ts): a heartbeat hung
        // in TagResource held the poll that would see a firing alarm for the whole call bound.
        const dueInMs = untilPollDue(elapsed(), nextPoll, end, intervalMs, {
          holding: pausedLeft !== undefined || unreadable || unrecorded,
        });
        const answered = await this.recordWork.waitUntilDue(
          () => this.beside(onPoll).then(() => this.beatEnded()),
          dueInMs,
          sleepSignal,
        );
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        // Acted on at the first poll after it answers (its findings are the recorder's and the
        // operator's state): this one reads health now.
        if (!answered) {
          pollNow = true;
          continue;
        }
      }
      // A beat beside this poll did its record work (a takeover or deletion it found is this
      // poll's to act on, as onPoll's own heartbeat's was): judged once it ended.
      if (this.beating) await this.beatEnded();
      const stop = this.opts.stopReason?.();
      if (stop !== undefined) return { kind: 'stopped', reason: stop };
      const gone = this.opts.gone?.();
      if (gone !== undefined) return { kind: 'gone', ...gone };
      if (opts.alongside?.during !== undefined) continue;
      const aliasMoved = this.opts.aliasMoved;
      if (aliasMoved && elapsed() - aliasReadAt >= ALIAS_WATCH_MS) {
        aliasReadAt = elapsed();
        const moved = await this.beside(aliasMoved);
        if (this.beating) await this.beatEnded();
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        if (moved !== undefined) return { kind: 'moved', reason: moved };
      }
      const order = this.opts.operator?.take(startedAt);
      // A watch alongside another's hold (--stagger) ends with that hold, not with a promote.
      if (order?.kind === 'skip' && !until) {
        // Its promote writes the next weight: not while the record lags (holdsForRecord).
        if (!(opts.recordGate !== undefined && this.opts.record?.behind()))
          return this.endHealthy({ kind: 'healthy', early: 'skipped' });
        skipped = true;
      }
      if (order?.kind === 'abort') return { ...order, kind: 'aborted' };
      if (this.opts.operator?.paused()) {
        pausedLeft ??= Math.max(0, end - elapsed());
        wasPaused = true;
      } else if (pausedLeft !== undefined) {
        end = elapsed() + pausedLeft;
        pausedLeft = undefined;
      }
    }
  }

  /**
   * A hold that ends healthy (traffic moves on next) first waits for a poll's record work still in
   * flight, however long, and stops for what it found (a takeover, a deletion), as it did when
   * every poll waited for its own. Without an await when none is (an auto-advancing test clock).
   */
  private endHealthy(healthy: WatchOutcome): WatchOutcome | Promise<WatchOutcome> {
    if (!this.recordWork.inFlight) return healthy;
    return this.recordWork.ended().then((): WatchOutcome => {
      if (this.opts.signal?.aborted) return { kind: 'interrupted' };
      const stop = this.opts.stopReason?.();
      if (stop !== undefined) return { kind: 'stopped', reason: stop };
      const gone = this.opts.gone?.();
      return gone === undefined ? healthy : { kind: 'gone', ...gone };
    });
  }

  /**
   * Whether this poll could not read some gate (an `error` verdict below the limit): no hold —
   * a step's, a settle wait's, a bake's — ends on it, or the next weight (100% the worst) was
   * written, or the bake declared healthy, right after a poll that saw nothing (found by a
   * hostile pass: CloudWatch 500s from the settle wait on, `health: unreadable (1/3)`, then
   * `step 4/4: 100%` and `promoted`, exit 0). It polls on until one reads health, or the error
   * limit rolls back. Not when unreadable health is to be ignored (`ignoreHealthErrors`).
   */
  private endsOnUnreadable(verdicts: readonly Verdict[]): boolean {
    return !this.opts.ignoreHealthErrors && verdicts.some((v) => v.outcome === 'error');
  }

  /**
   * Whether the record still lags once tried again (RecordLagWatch): found by a hostile pass, a
   * runner whose TagResource failed walked 20% → 70% while `lshift status` elsewhere read STALE
   * and `--resume` refused (ALIAS_AHEAD_OF_RECORD). Not under CodeDeploy, whose shift is its own.
   */
  private async holdsForRecord(): Promise<boolean> {
    const record = this.opts.record;
    const lag = record?.behind();
    if (!record || !lag) return false;
    // Unread: this poll's own record read (onPoll) tries again, and obeys what it finds.
    if (lag.kind === 'unread') return true;
    // A record write itself: no heartbeat beside it (that would be one more write in its queue).
    await this.retryRecord(record);
    return record.behind() !== undefined;
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
    return this.lagNotice.endDuringHold(record, percent);
  }

  /**
   * The lagging record tried again, waited for LAG_RETRY_WAIT_MS at most (mark-wait.ts): a try
   * hung in TagResource held the poll, and a rollback past the stale limit, for the whole AWS
   * call bound. Still lagging then, the hold goes on (or, past the limit, rolls back); the try
   * lands or fails in its turn.
   */
  private async retryRecord(record: RecordLagWatch): Promise<void> {
    await waitAtMost(
      this.deps.clock,
      record.retry().catch(() => undefined),
      LAG_RETRY_WAIT_MS,
    );
  }

  /** No write, or no read, of the record has landed for the limit (RecordLagWatch). */
  private lagPastLimit(): boolean {
    const record = this.opts.record;
    const lag = record?.behind();
    return record !== undefined && lag !== undefined && lag.sinceMs >= record.limitMs;
  }

  /** What the hold says while its record lags, and its end past the limit (record-lag-notice.ts). */
  private readonly lagNotice: RecordLagNotice;

  /** `run`, with a heartbeat asked for beside it while it waits (`beat`). */
  private beside<T>(run: () => Promise<T>): Promise<T> {
    const beat = this.opts.beat;
    if (!beat) return run();
    const tracked = () => {
      const beating = beat().finally(() => {
        if (this.beating === beating) this.beating = undefined;
      });
      this.beating = beating;
      return beating;
    };
    return runBeside(this.deps.clock, run, tracked, BEAT_BESIDE_CALL_MS);
  }

  /**
   * Resolves once the last beat asked for beside a poll ended (it only ever waits for a record
   * write the queue holds anyway: nothing else of the record could land before it).
   */
  private async beatEnded(): Promise<void> {
    const beating = this.beating;
    this.beating = undefined;
    await beating?.catch(() => undefined);
  }

  /**
   * The poll that closes a watch beside a wait, once the wait is over (wait-watch.ts): every
   * alarm history still waiting is read, past FLAP_READS_PER_POLL, and so is the change of an
   * alarm that went to ALARM and back since the watch's last poll. As the last poll of a step
   * does (alarm-flap-check.ts, readAll): the next weight, or the promotion, must not come on a
   * change nobody judged. Not a step's end for the other gates (no --on-inconclusive there).
   */
  async closeWait(
    window: WatchWindow,
    beside: { alarmsOnly: boolean; during: WaitBeside },
  ): Promise<Extract<WatchOutcome, { kind: 'healthy' | 'unhealthy' | 'interrupted' }>> {
    if (this.opts.signal?.aborted) return { kind: 'interrupted' };
    const now = this.deps.clock.now();
    // The wait's loop, which kept the heartbeats, is over: this poll (every waiting history,
    // each read up to its bound) beats beside itself, as a hold's poll does.
    const verdicts = await this.beside(() =>
      this.poll({ ...window, now, endOfStep: false, readAllAlarms: true }, beside.alarmsOnly),
    );
    if (this.beating) await this.beatEnded();
    if (this.opts.signal?.aborted) return { kind: 'interrupted' };
    this.report(window, verdicts, { remainingSeconds: 0, during: beside.during });
    const assessment = this.assess(verdicts, false);
    if (assessment.status !== 'failed') return { kind: 'healthy' };
    return { kind: 'unhealthy', reason: assessment.reason, cause: assessment.cause, verdicts };
  }

  /**
   * One poll judged now, not as a step's end (no --on-inconclusive there), every waiting alarm
   * history read: the verdict a resumed deployment takes before it raises a weight
   * (resume-health.ts). `alarmsOnly`: the alarm gate alone (nothing moved yet, or all traffic on
   * the new version). `unreadable`: a gate could not be read and unreadable health is not
   * ignored — the caller polls again; the error limit makes it `unhealthy` (assessHealth). Its
   * caller keeps the heartbeats beside it.
   */
  async judgeNow(
    window: WatchWindow,
    alarmsOnly: boolean,
  ): Promise<
    Extract<WatchOutcome, { kind: 'healthy' | 'unhealthy' | 'interrupted' }> | { kind: 'unreadable' }
  > {
    if (this.opts.signal?.aborted) return { kind: 'interrupted' };
    const now = this.deps.clock.now();
    const verdicts = await this.poll({ ...window, now, endOfStep: false, readAllAlarms: true }, alarmsOnly);
    if (this.opts.signal?.aborted) return { kind: 'interrupted' };
    this.report(window, verdicts, { remainingSeconds: 0 });
    const assessment = this.assess(verdicts, false);
    if (assessment.status === 'failed') {
      return { kind: 'unhealthy', reason: assessment.reason, cause: assessment.cause, verdicts };
    }
    return this.endsOnUnreadable(verdicts) ? { kind: 'unreadable' } : { kind: 'healthy' };
  }

  private report(
    window: WatchWindow,
    verdicts: Verdict[],
    mark: { remainingSeconds: number; alongside?: true; during?: WaitBeside },
  ): void {
    emitEvent(this.deps, {
      type: 'health.polled',
      index: window.stepIndex,
      percent: window.percent,
      alarms: this.alarmGate.lastAlarms,
      verdicts,
      ...mark,
      ...(this.opts.operator?.paused() === true ? { paused: true as const } : {}),
    });
  }

  /** All gates at once (alarms and metrics are independent reads); verdicts keep the gates' order. */
  private async poll(window: HealthWindow, alarmsOnly: boolean): Promise<Verdict[]> {
    const gates = alarmsOnly ? [this.alarmGate] : [this.alarmGate, ...this.gates];
    const perGate = await Promise.all(
      gates.map(async (gate): Promise<Verdict[]> => {
        try {
          return await gate.evaluate(window);
        } catch (error) {
          // Gates should return `error` verdicts rather than throw; treat a throw the same way.
          const summary = `gate ${gate.name} could not evaluate: ${describeError(error)}`;
          return [{ outcome: 'error', gate: gate.name, summary, at: window.now }];
        }
      }),
    );
    for (const [i, gate] of gates.entries()) this.latest.set(gate.name, perGate[i] ?? []);
    return perGate.flat();
  }

  /** Adds the poll to the history and asks the domain what it means. */
  private assess(verdicts: Verdict[], endOfStep: boolean) {
    // Polls before the last one without an error can no longer change an assessment.
    if (!verdicts.some((v) => v.outcome === 'error')) this.history.length = 0;
    this.history.push({ verdicts, endOfStep });
    const assessment = assessHealth(this.history, this.opts);
    if (assessment.errors) emitEvent(this.deps, { type: 'health.error', ...assessment.errors });
    return assessment;
  }
}

/** How a poll without a hold of its own says why it is watched. */
function alongsideMark(during: WaitBeside | undefined): { alongside: true } | { during: WaitBeside } {
  return during === undefined ? { alongside: true } : { during };
}
