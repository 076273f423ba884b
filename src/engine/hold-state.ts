/**
 * What a hold's loop (health-monitor.ts, `watch`) carries from one poll to the next, and the
 * pure decisions it makes on it: the outcome of a healthy end, where a lagging record holds it,
 * and how a pause moves its end. Kept pure so the loop reads as its order of events.
 */

import type { WatchOutcome } from './health-monitor-types.js';
import type { HoldControl } from './operator-control.js';
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
