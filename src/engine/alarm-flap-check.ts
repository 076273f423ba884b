/**
 * The second look of the alarm gate (src/domain/alarm-flaps.ts): for each alarm whose state
 * changed since the last poll and is not ALARM now, one DescribeAlarmHistory read says whether
 * it was ALARM in between. A normal poll asks nothing: only a moved StateTransitionedTimestamp
 * costs a call, and a poll makes at most FLAP_READS_PER_POLL (alarm-history-reader.ts). A
 * history that cannot be read or judged is an `error` (never a pass); one not read this poll
 * makes it `inconclusive`; both are asked again, for the same range, at the next poll.
 */
import { describeFlap, flapQuestions, transitionTimeOf } from '../domain/alarm-flaps.js';
import { shortList } from '../domain/short-list.js';
import type { Verdict } from '../domain/verdict.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import { FLAP_READ_CONCURRENCY, FLAP_READS_PER_POLL, readFlapRound } from './alarm-history-reader.js';

export interface FlapCheck {
  gate: string;
  states: AlarmState[];
  deploymentStartedAt: number;
  now: number;
  /**
   * The last poll of a step: every waiting history is read now, past FLAP_READS_PER_POLL (still
   * FLAP_READ_CONCURRENCY at once). A step must not end — the last one moving traffic to 100% —
   * with an alarm's change not judged: its next poll may never come.
   */
  readAll?: boolean;
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
 * could not tell, `inconclusive` when more alarms changed than a poll reads (FLAP_READS_PER_POLL:
 * the rest are read at the next poll). `seen` (alarm → the last state change judged) moves only
 * past judged ranges.
 */
export async function checkFlaps(
  metrics: MetricsPort,
  seen: Map<string, number>,
  check: FlapCheck,
  passed: Verdict,
): Promise<Verdict> {
  const round = await readFlapRound(metrics, flapQuestions(check.states, seen, check.deploymentStartedAt), {
    perRound: check.readAll ? Number.POSITIVE_INFINITY : FLAP_READS_PER_POLL,
    concurrency: FLAP_READ_CONCURRENCY,
    stopAtFlap: true,
  });
  const flapped = round.read.find((r) => r.answer.kind === 'flapped');
  if (flapped?.answer.kind === 'flapped') {
    const { name } = flapped.question;
    const now = check.states.find((s) => s.name === name);
    return {
      outcome: 'fail',
      gate: check.gate,
      summary: describeFlap(name, flapped.answer.alarmed, now),
      details: { alarms: check.states, flapped: { name, ...flapped.answer.alarmed } },
      at: check.now,
    };
  }
  const unknown = round.read.flatMap((r) =>
    r.answer.kind === 'unknown' ? [`${r.question.name}: ${r.answer.why}`] : [],
  );
  const unknownNames = round.read.filter((r) => r.answer.kind === 'unknown').map((r) => r.question.name);
  const laterNames = round.later.map((q) => q.name);
  rememberChanges(seen, check.states, new Set([...unknownNames, ...laterNames]));
  const later = laterNames.length > 0 ? `; ${describeLater(laterNames)}` : '';
  if (unknown.length > 0) {
    return {
      outcome: 'error',
      gate: check.gate,
      summary: `could not tell whether alarm${unknown.length === 1 ? '' : 's'} ${shortList(unknownNames)} went to ALARM since the last poll (${unknown.join('; ')})${later}`,
      details: { alarms: check.states, unknown, later: laterNames },
      at: check.now,
    };
  }
  if (laterNames.length === 0) return passed;
  // Not read yet is not unreadable: no error counted, but never a pass either.
  return {
    outcome: 'inconclusive',
    gate: check.gate,
    summary: `${passed.summary}; not judged yet: ${describeLater(laterNames)}`,
    details: { alarms: check.states, later: laterNames },
    at: check.now,
  };
}

function describeLater(names: string[]): string {
  const one = names.length === 1;
  return `alarm${one ? '' : 's'} ${shortList(names)} changed state since the last poll and ${one ? 'its' : 'their'} history is read at the next poll (at most ${FLAP_READS_PER_POLL} a poll)`;
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
