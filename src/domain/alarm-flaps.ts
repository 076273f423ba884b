/**
 * An alarm that went to ALARM and back between two polls. The alarm gate reads states at poll
 * time; an alarm whose period is shorter than the poll interval (a 10-second high-resolution
 * alarm, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#high-resolution-alarms)
 * can breach and clear in between. DescribeAlarms says when its state value last changed
 * (StateTransitionedTimestamp); when that moved since the last poll and the alarm is not ALARM
 * now, its history (DescribeAlarmHistory) says whether it was ALARM in between. Pure.
 */
import type { AlarmHistory, AlarmState, AlarmTransition } from './health-readings.js';

/** An alarm whose history must be read: its state changes in (afterMs, untilMs]. */
export interface FlapQuestion {
  name: string;
  afterMs: number;
  untilMs: number;
  /** When the alarm's configuration last changed (AlarmConfigurationUpdatedTimestamp), if known. */
  configUpdatedMs?: number;
}

/** When the state value last changed (older CloudWatch answers carry StateUpdatedTimestamp only). */
export function transitionTimeOf(alarm: AlarmState): number | undefined {
  return alarm.transitionedAt ?? alarm.updatedAt;
}

/**
 * The alarms to ask about: not ALARM now (that fails anyway), changed state after the later of
 * the last change seen by an earlier poll and the deployment's start. A change at the start
 * itself is not the new version's doing: no traffic had moved yet.
 */
export function flapQuestions(
  states: readonly AlarmState[],
  seen: ReadonlyMap<string, number>,
  deploymentStartedAt: number,
): FlapQuestion[] {
  return states.flatMap((alarm) => {
    const changed = transitionTimeOf(alarm);
    if (alarm.state === 'ALARM' || changed === undefined) return [];
    const afterMs = Math.max(seen.get(alarm.name) ?? deploymentStartedAt, deploymentStartedAt);
    if (changed <= afterMs) return [];
    const config = alarm.configUpdatedAt === undefined ? {} : { configUpdatedMs: alarm.configUpdatedAt };
    return [{ name: alarm.name, afterMs, untilMs: changed, ...config }];
  });
}

export type FlapAnswer =
  | { kind: 'quiet' }
  | { kind: 'flapped'; alarmed: AlarmTransition }
  | { kind: 'unknown'; why: string };

/**
 * How far a history item's Timestamp may sit from the StateTransitionedTimestamp DescribeAlarms
 * gave for the same change and still be that change. AWS documents neither as equal to the
 * other; the history is read this much past the change (`historyRangeOf`) so that an item a few
 * milliseconds later is not cut off by EndDate, which would leave every read unconfirmed.
 *
 * 1 s is a guess. Nothing found measures either how far the two timestamps differ or how long
 * after DescribeAlarms shows a change its history item can be read (searched 2026-12-02: AWS
 * documentation, GitHub issues, web pages). The API reference defines StateTransitionedTimestamp
 * only as "the date and time that the alarm's StateValue most recently changed"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html). The one
 * published sample, the AWS CLI's describe-alarm-history example
 * (https://github.com/aws/aws-cli/blob/develop/awscli/examples/cloudwatch/describe-alarm-history.rst),
 * has a StateUpdate item stamped 18:59:06.442Z for an evaluation whose queryDate is 18:59:06.419:
 * 23 ms apart, well inside 1 s. A history not yet readable is not this slack's business: it
 * does not show the change, is `unknown`, and is asked again (judgeFlap).
 */
export const HISTORY_CLOCK_SLACK_MS = 1_000;

/** The range to read for a question: its own, and the slack past its end. */
export function historyRangeOf(question: FlapQuestion): { startMs: number; endMs: number } {
  return { startMs: question.afterMs, endMs: question.untilMs + HISTORY_CLOCK_SLACK_MS };
}

/**
 * What an alarm's history says for one question: the first ALARM in the range, if any. Quiet
 * only when the history shows the change DescribeAlarms reported (at `untilMs`): AWS does not
 * say that DescribeAlarmHistory is written before DescribeAlarms shows the new state, and a
 * history that stops short of that change may be missing an ALARM just before it.
 */
export function judgeFlap(question: FlapQuestion, history: AlarmHistory): FlapAnswer {
  const { endMs } = historyRangeOf(question);
  const inRange = history.transitions.filter((t) => t.at > question.afterMs && t.at <= endMs);
  // Only a change *to* ALARM: one from ALARM early in the first range is an alarm that was
  // already firing when the deployment began (--ignore-initial-alarms) and recovered.
  const alarmed = inRange.find((t) => t.to === 'ALARM');
  if (alarmed) return { kind: 'flapped', alarmed };
  if (!history.complete) {
    return { kind: 'unknown', why: 'its state history was too long or unreadable to tell' };
  }
  if (!inRange.some((t) => t.at >= question.untilMs - HISTORY_CLOCK_SLACK_MS)) {
    // The change was the alarm's creation (or a change of its definition), which its history
    // records as a ConfigurationUpdate, not a StateUpdate: no later StateUpdate will ever show it.
    // An alarm created after the deployment made every check of its window an error, for up to 14
    // days (found by a hostile pass). No ALARM in range (above), so nothing fired since.
    if (isConfigChange(question)) return { kind: 'quiet' };
    // DescribeAlarms said it changed, the history does not have that change: it lags; ask again.
    return { kind: 'unknown', why: 'its state history does not show the change yet' };
  }
  return { kind: 'quiet' };
}

/**
 * The questions one poll asks, at most `max`: those waiting longest first (the earliest
 * `afterMs`), so an alarm left over from a poll that had more than `max` is asked at the next,
 * before any that changed since. The rest wait (their range kept: nothing is missed). With more
 * than `max`, the reads start `from` (a fraction, 0 to below 1) of the way into that order and
 * wrap around: `lshift check`, which keeps nothing between runs (checkReadStart). Pure.
 */
export function pickFlapQuestions(
  questions: readonly FlapQuestion[],
  max: number,
  from = 0,
): { ask: FlapQuestion[]; later: FlapQuestion[] } {
  const ordered = [...questions].sort((a, b) => a.afterMs - b.afterMs || a.name.localeCompare(b.name));
  const limit = Math.max(0, Math.floor(max));
  if (ordered.length <= limit) return { ask: ordered, later: [] };
  const start = Math.min(ordered.length - 1, Math.max(0, Math.floor(from * ordered.length)));
  const rotated = [...ordered.slice(start), ...ordered.slice(0, start)];
  return { ask: rotated.slice(0, limit), later: rotated.slice(limit) };
}

/** (√5 − 1) / 2: the golden ratio's fraction, the step of the most evenly spread sequence. */
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/**
 * Where a `lshift check` run starts its history reads when it has more than it may make, as a
 * fraction of the way into them: the fractional part of (the run's minute × the golden ratio's
 * fraction). A check remembers nothing between runs, so a fixed start reads the same alarms every
 * run and never the others (a flap past the first 100 is found by no run). This sequence spreads
 * the starts of successive runs around the list whatever their spacing (a Weyl sequence; three-gap
 * theorem): simulated for 150–1,000 changed alarms and runs every 1 minute to 1 day, every alarm
 * was read within 1–3× the ideal ⌈alarms/100⌉ runs; a hash of the minute had tails of 10×. Pure:
 * the same minute, the same start.
 */
export function checkReadStart(now: number): number {
  return (Math.floor(now / 60_000) * GOLDEN_FRACTION) % 1;
}

/** "alarm x was ALARM at 2026-…Z (reason) and is OK again": the rollback's reason. */
export function describeFlap(
  name: string,
  alarmed: AlarmTransition,
  now: AlarmState | undefined,
  before = 'the next poll',
): string {
  const at = new Date(alarmed.at).toISOString();
  const reason = alarmed.reason ? ` (${alarmed.reason})` : '';
  const state = now?.state ?? 'OK';
  return `alarm ${name} went to ALARM at ${at}${reason} and cleared before ${before} (${state} now)`;
}

function isConfigChange(question: FlapQuestion): boolean {
  const config = question.configUpdatedMs;
  return config !== undefined && Math.abs(config - question.untilMs) <= HISTORY_CLOCK_SLACK_MS;
}
