/**
 * Holds a weight for a while and polls every gate each `pollIntervalSeconds` (alarm gate
 * first). It only gathers readings: what they mean is `assessHealth` (src/domain/
 * health-assessment.ts), a pure function of the polls so far and the limits. The poll history
 * carries across steps and the bake: a flaky API does not reset by moving on.
 */

import type { WaitBeside } from '../domain/events.js';
import type { Verdict } from '../domain/verdict.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AlarmGate } from './alarm-gate.js';
import { logWarn } from './emit.js';
import type { HealthGate } from './health-gate.js';
import {
  ALIAS_WATCH_MS,
  type HealthMonitorOptions,
  type WatchOptions,
  type WatchOutcome,
  type WatchWindow,
} from './health-monitor-types.js';
import {
  alongsideMark,
  closeWaitPoll,
  describeHoldingUnreadable,
  judgeNowPoll,
  type PollOnce,
  unhealthyOf,
} from './health-poll-once.js';
import { HealthPolls } from './health-polls.js';
import { HoldRecordLag } from './hold-record-lag.js';
import {
  endOfPoll,
  followPause,
  foundByRecordWork,
  healthyEnd,
  holdsPastEnd,
  obeyOperator,
  sleepBeforePoll,
  startHold,
} from './hold-state.js';
import { PollBesideBeat } from './poll-beside-beat.js';
import { untilPollDue } from './poll-grid.js';
import { PollRecordWork } from './poll-record-work.js';

export class HealthMonitor {
  /** Every gate asked at once, each poll judged on the history (health-polls.ts). */
  private readonly polls: HealthPolls;
  /** The heartbeat asked for beside a slow poll (`beat`), waited for only while in flight. */
  private readonly besideBeat: PollBesideBeat;
  /** A poll's record work (`onPoll`), waited for until the next poll is due (poll-record-work.ts). */
  private readonly recordWork: PollRecordWork;
  /** The hold's side of a lagging record (hold-record-lag.ts). */
  private readonly lag: HoldRecordLag;

  constructor(
    private readonly deps: { clock: Clock; events: EventSink },
    private readonly alarmGate: AlarmGate,
    gates: readonly HealthGate[],
    private readonly opts: HealthMonitorOptions,
  ) {
    this.polls = new HealthPolls(deps, alarmGate, gates, opts);
    this.lag = new HoldRecordLag(deps, opts);
    this.recordWork = new PollRecordWork(deps.clock);
    this.besideBeat = new PollBesideBeat(deps.clock, opts);
  }

  /** When the latest poll that judged every alarm began (AlarmGate.judgedUntil). */
  alarmsJudgedUntil(): number | undefined {
    return this.alarmGate.judgedUntil;
  }

  /** The most recent verdict of each gate. */
  latestVerdicts(): Verdict[] {
    return this.polls.latestVerdicts();
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
    const s = startHold(elapsed(), holdSeconds * 1000, intervalMs, opts.gridFrom);
    if (holdSeconds <= 0) return { kind: 'healthy' };
    const until = opts.alongside?.until;
    const startedAt = elapsed();
    const sleepSignal =
      until && this.opts.signal ? AbortSignal.any([this.opts.signal, until]) : (until ?? this.opts.signal);
    for (;;) {
      if (until?.aborted) return this.endHealthy({ kind: 'healthy' });
      try {
        const sleeping = sleepBeforePoll(clock, s, intervalMs, sleepSignal);
        if (sleeping) await sleeping;
      } catch (error) {
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        if (until?.aborted) return this.endHealthy({ kind: 'healthy' });
        throw error;
      }
      const now = clock.now();
      const at = elapsed();
      if (s.pausedLeft !== undefined) s.end = at + s.pausedLeft;
      const endOfStep = at >= s.end && until === undefined;
      // Beside a wait, the wait's own loop keeps the heartbeats (wait-watch.ts).
      const readPoll = () =>
        this.polls.poll({ ...window, now, endOfStep }, opts.alongside?.alarmsOnly === true);
      const verdicts = await (opts.alongside === undefined ? this.besideBeat.run(readPoll) : readPoll());
      if (this.opts.signal?.aborted) return { kind: 'interrupted' };
      this.polls.report(window, verdicts, {
        // Whole milliseconds: a clock that follows the sandbox gives fractions, and a paused hold's
        // time left read 86173.11684356 then 86173.11684356001 (float noise, a flaky e2e test).
        remainingSeconds: until ? 0 : Math.max(0, Math.round(s.end - at) / 1000),
        ...(until ? alongsideMark(opts.alongside?.during) : {}),
      });
      const failed = unhealthyOf(this.polls.assess(verdicts, endOfStep), verdicts);
      if (failed) return failed;
      // Ended on a poll that was not the step's end (a healthy end there skipped the end-of-step
      // judgement: an undecided canary promoted under --on-inconclusive fail): one more poll, now.
      if (!endOfStep && until === undefined && s.pausedLeft === undefined && opts.endsStepWhen?.()) {
        s.end = at;
        s.pollNow = true;
        continue;
      }
      const healthy = healthyEnd(s);
      const { wouldEnd, spot } = endOfPoll(
        s,
        verdicts,
        { operator: this.opts.operator, alarmGate: this.alarmGate },
        { endOfStep, doneWhen, until, percent: window.percent, recordGate: opts.recordGate },
      );
      const wasUnreadable = s.unreadable;
      s.unreadable = this.polls.endsOnUnreadable(verdicts);
      const wasUnrecorded = s.unrecorded;
      s.unrecorded = !s.unreadable && spot !== undefined && (await this.lag.holdsForRecord(intervalMs));
      if (this.opts.signal?.aborted) return { kind: 'interrupted' };
      if (wasUnrecorded && !s.unrecorded && !s.unreadable && spot) this.lag.notice.caughtUp(spot);
      if (!s.unreadable && !s.unrecorded && wouldEnd) return this.endHealthy(healthy);
      if (s.unrecorded && spot && this.opts.record) {
        const ended = this.lag.notice.check(this.opts.record, spot, !wasUnrecorded);
        if (ended) return { kind: 'unrecorded', ...ended };
      }
      // Before the hold's end too: a split nobody can see must not last past the stale limit. So
      // beside a wait (a step or post-traffic hook) or another function's hold, once traffic moved.
      // Judged without an await while the record keeps up (hold-record-lag.ts, duringHold).
      // An unread record too (ListTags failing): an operator's abort or pause went unseen for the
      // rest of a long hold (a 30-minute canary held 10% 28 minutes past the limit, the abort timed out).
      const lagging =
        spot === undefined && window.percent > 0 ? this.lag.duringHold(window.percent) : undefined;
      if (lagging) {
        const ended = await lagging;
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        if (ended) return { kind: 'unrecorded', ...ended };
      }
      if (s.unreadable && wouldEnd && !wasUnreadable) this.warnHoldingUnreadable(window.percent);
      const onPoll = this.opts.onPoll;
      if (opts.alongside?.during === undefined && onPoll) {
        // Waited for until the next poll is due, not longer (poll-record-work.ts): a heartbeat hung
        // in TagResource held the poll that would see a firing alarm for the whole call bound.
        const dueInMs = untilPollDue(elapsed(), s.nextPoll, s.end, intervalMs, { holding: holdsPastEnd(s) });
        const answered = await this.recordWork.waitUntilDue(
          () => this.besideBeat.run(onPoll).then(() => this.besideBeat.ended()),
          dueInMs,
          sleepSignal,
        );
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        // Acted on at the first poll after it answers (its findings are the recorder's and the
        // operator's state): this one reads health now.
        if (!answered) {
          s.pollNow = true;
          continue;
        }
      }
      // A beat beside this poll did its record work (a takeover or deletion it found is this
      // poll's to act on, as onPoll's own heartbeat's was): judged once it ended.
      if (this.besideBeat.inFlight) await this.besideBeat.ended();
      const found = foundByRecordWork(this.opts);
      if (found) return found;
      if (opts.alongside?.during !== undefined) continue;
      const aliasMoved = this.aliasReaderFor(opts);
      if (aliasMoved && elapsed() - s.aliasReadAt >= (this.opts.aliasWatch?.everyMs ?? ALIAS_WATCH_MS)) {
        s.aliasReadAt = elapsed();
        const moved = await this.besideBeat.run(aliasMoved);
        if (this.besideBeat.inFlight) await this.besideBeat.ended();
        if (this.opts.signal?.aborted) return { kind: 'interrupted' };
        if (moved !== undefined) return { kind: 'moved', reason: moved };
      }
      const ordered = obeyOperator(s, this.opts, startedAt, {
        alongside: until !== undefined,
        recordGated: opts.recordGate !== undefined,
      });
      if (ordered) return ordered.kind === 'healthy' ? this.endHealthy(ordered) : ordered;
      followPause(s, this.opts.operator, elapsed());
    }
  }

  /** Said once as the hold runs on past its end on unreadable health (health-poll-once.ts). */
  private warnHoldingUnreadable(percent: number): void {
    logWarn(this.deps, describeHoldingUnreadable(percent, this.opts.healthErrorLimit), 'health');
  }

  /**
   * The alias read of this hold, if it reads one. A release's function reads in its own holds
   * and bake, not in a --stagger watch alongside another's walk: the next turn's reads follow it
   * (fleet-steps.ts).
   */
  private aliasReaderFor(opts: WatchOptions): (() => Promise<string | undefined>) | undefined {
    if (this.opts.aliasWatch?.notAlongside === true && opts.alongside !== undefined) return undefined;
    return this.opts.aliasMoved;
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
      return foundByRecordWork(this.opts) ?? healthy;
    });
  }

  /** The poll that closes a watch beside a wait, once the wait is over (health-poll-once.ts). */
  closeWait(
    window: WatchWindow,
    beside: { alarmsOnly: boolean; during: WaitBeside },
  ): ReturnType<typeof closeWaitPoll> {
    return closeWaitPoll(this.pollOnce(), window, beside);
  }

  /** One poll judged now, not as a step's end: a resumed deployment's (health-poll-once.ts). */
  judgeNow(window: WatchWindow, alarmsOnly: boolean): ReturnType<typeof judgeNowPoll> {
    return judgeNowPoll(this.pollOnce(), window, alarmsOnly);
  }

  private pollOnce(): PollOnce {
    const { clock } = this.deps;
    return { clock, polls: this.polls, besideBeat: this.besideBeat, signal: this.opts.signal };
  }
}
