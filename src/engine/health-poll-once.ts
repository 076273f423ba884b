/**
 * One poll judged outside a hold's loop (HealthMonitor.closeWait and judgeNow), and the pure
 * pieces a hold's loop shares with them: a failed assessment as a watch outcome, how a poll
 * without a hold of its own says why it is watched, and the warning of a hold held past its end
 * on unreadable health. Apart from health-monitor.ts, whose class keeps the hold's loop.
 */

import type { WaitBeside } from '../domain/events.js';
import type { HealthAssessment } from '../domain/health-assessment.js';
import type { Verdict } from '../domain/verdict.js';
import type { Clock } from '../ports/clock.js';
import type { WatchOutcome, WatchWindow } from './health-monitor-types.js';
import type { HealthPolls } from './health-polls.js';
import type { PollBesideBeat } from './poll-beside-beat.js';

/** What a single poll needs of its monitor. */
export interface PollOnce {
  clock: Clock;
  polls: HealthPolls;
  besideBeat: PollBesideBeat;
  signal?: AbortSignal;
}

type JudgedOutcome = Extract<WatchOutcome, { kind: 'healthy' | 'unhealthy' | 'interrupted' }>;

/** A failed assessment as the watch's outcome; undefined while health holds. */
export function unhealthyOf(
  assessment: HealthAssessment,
  verdicts: Verdict[],
): Extract<WatchOutcome, { kind: 'unhealthy' }> | undefined {
  if (assessment.status !== 'failed') return undefined;
  return { kind: 'unhealthy', reason: assessment.reason, cause: assessment.cause, verdicts };
}

/** How a poll without a hold of its own says why it is watched. */
export function alongsideMark(during: WaitBeside | undefined): { alongside: true } | { during: WaitBeside } {
  return during === undefined ? { alongside: true } : { during };
}

/**
 * Said once as the hold runs on: the countdown had reached 0 and the unreadable polls that
 * follow read like a stuck step (found by a hostile pass).
 */
export function describeHoldingUnreadable(percent: number, healthErrorLimit: number): string {
  return `health could not be read as the hold at ${percent}% was to end: holding it until a poll reads health (${healthErrorLimit} unreadable polls in a row roll back)`;
}

/**
 * The poll that closes a watch beside a wait, once the wait is over (wait-watch.ts): every
 * alarm history still waiting is read, past FLAP_READS_PER_POLL, and so is the change of an
 * alarm that went to ALARM and back since the watch's last poll. As the last poll of a step
 * does (alarm-flap-check.ts, readAll): the next weight, or the promotion, must not come on a
 * change nobody judged. Not a step's end for the other gates (no --on-inconclusive there).
 */
export async function closeWaitPoll(
  m: PollOnce,
  window: WatchWindow,
  beside: { alarmsOnly: boolean; during: WaitBeside },
): Promise<JudgedOutcome> {
  if (m.signal?.aborted) return { kind: 'interrupted' };
  const now = m.clock.now();
  // The wait's loop, which kept the heartbeats, is over: this poll (every waiting history,
  // each read up to its bound) beats beside itself, as a hold's poll does.
  const verdicts = await m.besideBeat.run(() =>
    m.polls.poll({ ...window, now, endOfStep: false, readAllAlarms: true }, beside.alarmsOnly),
  );
  if (m.besideBeat.inFlight) await m.besideBeat.ended();
  if (m.signal?.aborted) return { kind: 'interrupted' };
  m.polls.report(window, verdicts, { remainingSeconds: 0, during: beside.during });
  return unhealthyOf(m.polls.assess(verdicts, false), verdicts) ?? { kind: 'healthy' };
}

/**
 * One poll judged now, not as a step's end (no --on-inconclusive there), every waiting alarm
 * history read: the verdict a resumed deployment takes before it raises a weight
 * (resume-health.ts). `alarmsOnly`: the alarm gate alone (nothing moved yet, or all traffic on
 * the new version). `unreadable`: a gate could not be read and unreadable health is not
 * ignored — the caller polls again; the error limit makes it `unhealthy` (assessHealth). Its
 * caller keeps the heartbeats beside it.
 */
export async function judgeNowPoll(
  m: PollOnce,
  window: WatchWindow,
  alarmsOnly: boolean,
): Promise<JudgedOutcome | { kind: 'unreadable' }> {
  if (m.signal?.aborted) return { kind: 'interrupted' };
  const now = m.clock.now();
  const verdicts = await m.polls.poll({ ...window, now, endOfStep: false, readAllAlarms: true }, alarmsOnly);
  if (m.signal?.aborted) return { kind: 'interrupted' };
  m.polls.report(window, verdicts, { remainingSeconds: 0 });
  const failed = unhealthyOf(m.polls.assess(verdicts, false), verdicts);
  if (failed) return failed;
  return m.polls.endsOnUnreadable(verdicts) ? { kind: 'unreadable' } : { kind: 'healthy' };
}
