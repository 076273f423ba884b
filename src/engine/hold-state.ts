/**
 * What a hold's loop (health-monitor.ts, `watch`) carries from one poll to the next, and the
 * decisions it makes on it: the sleep before a poll, whether a poll would end the hold and where
 * a lagging record holds it, the outcome of a healthy end, and how a pause moves its end. Apart
 * from the loop (no await of their own) so that it reads as its order of events. Also how a hold
 * starts, and what a poll's record work (a takeover, a deletion, an operator's order) ends it with.
 */

import type { Verdict } from '../domain/verdict.js';
import type { Clock } from '../ports/clock.js';
import type { AlarmGate } from './alarm-gate.js';
import type { HealthMonitorOptions, WatchOutcome } from './health-monitor-types.js';
import type { HoldControl } from './operator-control.js';
import { untilNextPoll } from './poll-grid.js';
import type { LagSpot, RecordGate } from './record-lag-notice.js';

export interface HoldState {
  /** Where the hold ends on the clock's `elapsedMs` timeline; it keeps moving while paused. */
  end: number;
  /** While paused: how much of the hold was left when the pause began (the end keeps moving). */
  pausedLeft?: number;
  wasPaused: boolean;
  /** The latest poll could not read health: the hold goes on past its end (endsOnUnreadable). */
  unreadable: boolean;
  /** The hold was to end, but the record lags: it goes on until a write lands (holdsForRecord). */
  unrecorded: boolean;
  /** An operator's promote came while the record lagged: obeyed once a write lands. */
  skipped: boolean;
  /** When the alias was last read (aliasMoved). */
  aliasReadAt: number;
  /** The next instant on the poll grid. */
  nextPoll: number;
  /** The last poll's record work hung until this poll was due: no sleep before it. */
  pollNow: boolean;
}

/**
 * A hold's state as it starts at `at` (the clock's `elapsedMs`). Polls keep to a grid from the
 * start of the hold (or `gridFrom`), however long a poll and its heartbeat took: a release's
 * functions share the grid, so their polls meet and are read in one batch (metric-batch.ts),
 * even when heartbeats queue at Lambda's request rate.
 */
export function startHold(at: number, holdMs: number, intervalMs: number, gridFrom?: number): HoldState {
  return {
    end: at + holdMs,
    wasPaused: false,
    unreadable: false,
    unrecorded: false,
    skipped: false,
    aliasReadAt: at,
    nextPoll: Math.min(gridFrom ?? at, at) + intervalMs,
    pollNow: false,
  };
}

/** Paused, or the last poll unreadable, or its record lagging: the hold goes on past its end. */
export function holdsPastEnd(s: HoldState): boolean {
  return s.pausedLeft !== undefined || s.unreadable || s.unrecorded;
}

/** A hold that ends healthy says whether an operator promoted it, or paused it on the way. */
export function healthyEnd(s: HoldState): WatchOutcome {
  return s.skipped
    ? { kind: 'healthy', early: 'skipped' }
    : s.wasPaused
      ? { kind: 'healthy', early: 'paused' }
      : { kind: 'healthy' };
}

/**
 * Where the record must keep up for the hold to go on: all along a pause of its own (the operator
 * holds the split and must be able to end the pause), or at its end when a weight write or the
 * promotion follows it (`recordGate`). None beside another's hold or a wait.
 */
export function lagSpotOf(
  hold: { holding: boolean; alongside: boolean; wouldEnd: boolean; percent: number },
  recordGate: RecordGate | undefined,
): LagSpot | undefined {
  if (hold.holding && !hold.alongside) return { kind: 'paused', percent: hold.percent };
  if (hold.wouldEnd && recordGate) return { kind: 'gate', gate: recordGate, percent: hold.percent };
  return undefined;
}

/** A pause stops the hold's clock; a resume starts it again with what was left. */
export function followPause(s: HoldState, operator: HoldControl | undefined, at: number): void {
  if (operator?.paused()) {
    s.pausedLeft ??= Math.max(0, s.end - at);
    s.wasPaused = true;
  } else if (s.pausedLeft !== undefined) {
    s.end = at + s.pausedLeft;
    s.pausedLeft = undefined;
  }
}

/**
 * The sleep until the next poll on the grid, or none: when the last poll's record work hung
 * until this one was due (`pollNow`), or with nothing of the hold left and nothing holding it.
 * A poll that overran the end of the hold still leaves one last, end-of-step poll: that is
 * where inconclusive steps fail (--on-inconclusive fail) and the full α applies.
 */
export function sleepBeforePoll(
  clock: Clock,
  s: HoldState,
  intervalMs: number,
  signal?: AbortSignal,
): Promise<void> | undefined {
  const remaining = s.end - clock.elapsedMs();
  while (s.nextPoll <= clock.elapsedMs()) s.nextPoll += intervalMs;
  if (s.pollNow) {
    s.pollNow = false;
    return undefined;
  }
  if (remaining > 0)
    return clock.sleep(untilNextPoll(clock.elapsedMs(), s.nextPoll, s.end, intervalMs), signal);
  // Paused, or the last poll unreadable, with nothing of the hold left: keep polling on the
  // grid until resume, or until a poll reads health (or the error limit rolls back).
  if (holdsPastEnd(s)) return clock.sleep(s.nextPoll - clock.elapsedMs(), signal);
  return undefined;
}

/**
 * Whether this poll would end the hold — its end came and no pause holds it, the settle wait
 * (`doneWhen`) settled, or an operator promoted it — and where a lagging record then holds it.
 * `until`: watching alongside another's hold (WatchOptions.alongside).
 */
export function endOfPoll(
  s: HoldState,
  verdicts: Verdict[],
  hold: { operator: HoldControl | undefined; alarmGate: Pick<AlarmGate, 'readsWaiting'> },
  poll: {
    endOfStep: boolean;
    doneWhen?: (verdicts: readonly Verdict[]) => boolean;
    until?: AbortSignal;
    percent: number;
    recordGate?: RecordGate;
  },
): { wouldEnd: boolean; spot?: LagSpot } {
  // A pause obeyed when the hold had (or, after a slow answer write, has) nothing left, or by
  // another function of the release after this hold's last poll, still holds the weight: the
  // end keeps moving until resume, whatever was left.
  const holding = hold.operator?.paused() === true;
  // A settle wait does not end early while alarm histories wait for the next poll: at the
  // latest the end of its hold reads them all (alarm-flap-check.ts, readAll).
  const settled = !hold.alarmGate.readsWaiting && poll.doneWhen?.(verdicts) === true;
  const wouldEnd = (poll.endOfStep && !holding) || (s.pausedLeft === undefined && settled) || s.skipped;
  // Paused, a hold of its own: the operator holds the split and must be able to end the pause.
  const spot = lagSpotOf(
    { holding, alongside: poll.until !== undefined, wouldEnd, percent: poll.percent },
    poll.recordGate,
  );
  return { wouldEnd, spot };
}

/** What a poll's record work found: the deployment taken over, or its function deleted. */
export function foundByRecordWork(
  opts: Pick<HealthMonitorOptions, 'stopReason' | 'gone'>,
): WatchOutcome | undefined {
  const stop = opts.stopReason?.();
  if (stop !== undefined) return { kind: 'stopped', reason: stop };
  const gone = opts.gone?.();
  if (gone !== undefined) return { kind: 'gone', ...gone };
  return undefined;
}

/**
 * An operator's promote (`skip`) or abort read by the poll's record work. A watch alongside
 * another's hold (--stagger) ends with that hold, not with a promote; a promote that writes the
 * next weight waits while the record lags (holdsForRecord), remembered in `skipped`. A promote
 * obeyed now is `healthy` (`early: 'skipped'`): the hold's healthy end follows.
 */
export function obeyOperator(
  s: HoldState,
  opts: Pick<HealthMonitorOptions, 'operator' | 'record'>,
  startedAt: number,
  hold: { alongside: boolean; recordGated: boolean },
): WatchOutcome | undefined {
  const order = opts.operator?.take(startedAt);
  if (order?.kind === 'skip' && !hold.alongside) {
    if (!(hold.recordGated && opts.record?.behind())) return { kind: 'healthy', early: 'skipped' };
    s.skipped = true;
  }
  if (order?.kind === 'abort') return { ...order, kind: 'aborted' };
  return undefined;
}
