/**
 * The second look of the alarm gate (src/domain/alarm-flaps.ts): for each alarm whose state
 * changed since the last poll and is not ALARM now, one DescribeAlarmHistory read says whether
 * it was ALARM in between. A normal poll asks nothing: only a moved StateTransitionedTimestamp
 * costs a call. A history that cannot be read or judged is an `error` (never a pass), and the
 * same range is asked again at the next poll.
 */
import { describeFlap, flapQuestions, judgeFlap, transitionTimeOf } from '../domain/alarm-flaps.js';
import { shortList } from '../domain/short-list.js';
import type { Verdict } from '../domain/verdict.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import { describeError } from './emit.js';

export interface FlapCheck {
  gate: string;
  states: AlarmState[];
  deploymentStartedAt: number;
  now: number;
}

/**
 * The poll's verdict when no alarm changed state since the last poll (no call, and no await: a
 * poll's timing is the same as before this check existed), else undefined: ask `checkFlaps`.
 */
export function withoutChanges(
  seen: Map<string, number>,
  check: FlapCheck,
  passed: Verdict,
): Verdict | undefined {
  if (flapQuestions(check.states, seen, check.deploymentStartedAt).length > 0) return undefined;
  rememberChanges(seen, check.states, new Set());
  return passed;
}

/**
 * `passed` when no alarm flapped, a `fail` for the first that did, an `error` when a history
 * could not tell. `seen` (alarm → the last state change judged) moves only past judged ranges.
 */
export async function checkFlaps(
  metrics: MetricsPort,
  seen: Map<string, number>,
  check: FlapCheck,
  passed: Verdict,
): Promise<Verdict> {
  const unknown: string[] = [];
  const unknownNames = new Set<string>();
  // One at a time: usually one alarm changed; a poll after many changed (INSUFFICIENT_DATA to
  // OK as traffic arrives) should not burst CloudWatch's request rate.
  for (const question of flapQuestions(check.states, seen, check.deploymentStartedAt)) {
    let answer: ReturnType<typeof judgeFlap>;
    try {
      const history = await metrics.describeAlarmHistory(question.name, question.afterMs, question.untilMs);
      answer = judgeFlap(question, history);
    } catch (error) {
      answer = { kind: 'unknown', why: `its state history could not be read: ${describeError(error)}` };
    }
    if (answer.kind === 'flapped') {
      const now = check.states.find((s) => s.name === question.name);
      return {
        outcome: 'fail',
        gate: check.gate,
        summary: describeFlap(question.name, answer.alarmed, now),
        details: { alarms: check.states, flapped: { name: question.name, ...answer.alarmed } },
        at: check.now,
      };
    }
    if (answer.kind === 'unknown') {
      unknown.push(`${question.name}: ${answer.why}`);
      unknownNames.add(question.name);
    }
  }
  rememberChanges(seen, check.states, unknownNames);
  if (unknown.length === 0) return passed;
  return {
    outcome: 'error',
    gate: check.gate,
    summary: `could not tell whether alarm${unknown.length === 1 ? '' : 's'} ${shortList([...unknownNames])} went to ALARM since the last poll (${unknown.join('; ')})`,
    details: { alarms: check.states, unknown },
    at: check.now,
  };
}

/** Every alarm's last change is judged, but those whose history could not tell: asked again. */
function rememberChanges(
  seen: Map<string, number>,
  states: readonly AlarmState[],
  unknown: Set<string>,
): void {
  for (const alarm of states) {
    const changed = transitionTimeOf(alarm);
    if (changed !== undefined && !unknown.has(alarm.name)) seen.set(alarm.name, changed);
  }
}
