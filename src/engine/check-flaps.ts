/**
 * `lshift check` and alarms that went to ALARM and back between two check runs (or before the
 * first): a check every few minutes reads states, and an alarm that fired and cleared in
 * between would pass, though the deployment's own gate would have rolled back on it. So, as the
 * gate does at each poll, an alarm whose state changed since the window began and is not ALARM
 * now has its history read (alarm-history-reader.ts, at most FLAP_READS_PER_CHECK a run).
 * The window begins, for a recent deployment, where its own alarm polls stopped judging: the
 * start of its last poll that judged every alarm, which its promotion recorded
 * (`alarmsJudgedUntil`). Not at the promotion: a post-traffic hook, the alias write and the
 * record write come after that poll, and an alarm that fired and cleared in between would be
 * seen by nobody. A record without it (an older lshift, a deployment without `--alarm`) is read
 * from the promotion, as before. For a deployment nobody drives any more the window begins at
 * its start (its runner may have died before judging a change). A check keeps nothing between
 * runs: each run asks again. With more than FLAP_READS_PER_CHECK to ask, a run reads that many
 * from a place that moves with each run (checkReadStart) and says the others were not read: an
 * `error`, never healthy; over the next runs every alarm gets read, a flap among them is found.
 * Why no memory (a record field saying where the last run got to): docs/ci.md.
 */
import {
  checkReadStart,
  describeFlap,
  type FlapAnswer,
  type FlapQuestion,
  flapQuestions,
  HISTORY_CLOCK_SLACK_MS,
} from '../domain/alarm-flaps.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { shortList } from '../domain/short-list.js';
import type { Verdict } from '../domain/verdict.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import { ALARM_GATE_NAME, judgeAlarms } from './alarm-gate.js';
import { FLAP_READ_CONCURRENCY, readFlapRound } from './alarm-history-reader.js';
import type { AlarmRead } from './check-alarms.js';
import type { CheckKind } from './check-classify.js';
import { isClosedByHand } from './record-view.js';

/**
 * History reads one check run makes at most. A run has no next poll minutes later to spread
 * reads over, so it reads more than a deployment's poll; at 2 at a time that is a few seconds.
 */
export const FLAP_READS_PER_CHECK = 100;

export interface FlapCandidate {
  kind: CheckKind;
  record: DeploymentRecord;
  alarmNames: string[];
}

/** Where a candidate's window for flaps begins (see the file's comment). */
export function flapWindowStart(c: FlapCandidate): number {
  const { record } = c;
  // A record a run closed as moved by hand (a split left by a person during its rollback): the
  // person moved it knowing what had fired before, and the deployment had acted on it. Read from
  // the move, as a hand promotion is (from its close): a flap from before the move rolled a
  // person's split back, while the same history left a hand promotion HEALTHY (found by a hostile
  // pass, session 61). An alarm in ALARM now still rolls it back.
  if (isClosedByHand(record))
    return Math.max(record.startedAt, (record.endedAt ?? record.startedAt) - HISTORY_CLOCK_SLACK_MS);
  if (c.kind !== 'recent') return record.startedAt;
  if (record.alarmsJudgedUntil === undefined) return record.endedAt ?? record.heartbeatAt;
  // A little before the poll: AWS does not say DescribeAlarms shows a change made just before
  // it, and an ALARM it did not show yet was judged by nobody (the slack's reasons: alarm-flaps.ts).
  // Never before the start: a change then is not the new version's doing (flapQuestions).
  return Math.max(record.startedAt, record.alarmsJudgedUntil - HISTORY_CLOCK_SLACK_MS);
}

/** What the window's start is, for the reason of a check that could not tell. */
function describeWindowStart(c: FlapCandidate): string {
  if (isClosedByHand(c.record)) return 'the alias was moved by hand';
  if (c.kind !== 'recent') return 'the deployment began';
  return c.record.alarmsJudgedUntil === undefined ? 'the promotion' : "the deployment's last alarm poll";
}

/**
 * For each candidate, in order: a `fail` (an alarm flapped), an `error` (a history could not
 * tell, or was not read this run), or undefined (no flap; judge it on its states as before).
 */
export async function findCheckFlaps(
  metrics: MetricsPort,
  candidates: readonly FlapCandidate[],
  alarms: AlarmRead,
  now: number,
  signal?: AbortSignal,
): Promise<(Verdict | undefined)[]> {
  if ('error' in alarms) return candidates.map(() => undefined);
  const asked = candidates.map((c) => questionsOf(c, alarms.states, now));
  // One read per alarm and window, however many functions watch that alarm.
  const unique = new Map(asked.flat().map((q) => [keyOf(q), q]));
  const round = await readFlapRound(metrics, [...unique.values()], {
    perRound: FLAP_READS_PER_CHECK,
    concurrency: FLAP_READ_CONCURRENCY,
    stopAtFlap: false,
    from: checkReadStart(now),
    ...(signal ? { signal } : {}),
  });
  const answers = new Map(round.read.map((r) => [keyOf(r.question), r.answer]));
  return candidates.map((c, i) => verdictOf(c, asked[i]!, answers, alarms.states, now));
}

function questionsOf(c: FlapCandidate, states: readonly AlarmState[], now: number): FlapQuestion[] {
  if (c.kind === 'unfinished-rollback') return [];
  const own = states.filter((s) => c.alarmNames.includes(s.name));
  // Firing or missing alarms decide already; a flap matters only when the states pass.
  if (judgeAlarms(c.alarmNames, own, now).outcome !== 'pass') return [];
  return flapQuestions(own, new Map(), flapWindowStart(c));
}

function keyOf(q: FlapQuestion): string {
  return `${q.name}\n${q.afterMs}`;
}

function verdictOf(
  c: FlapCandidate,
  questions: FlapQuestion[],
  answers: ReadonlyMap<string, FlapAnswer>,
  states: readonly AlarmState[],
  at: number,
): Verdict | undefined {
  const unknown: { name: string; why: string }[] = [];
  for (const q of questions) {
    const answer = answers.get(keyOf(q));
    if (answer?.kind === 'flapped') {
      const now = states.find((s) => s.name === q.name);
      const summary = describeFlap(q.name, answer.alarmed, now, 'this check');
      const details = { alarms: states, flapped: { name: q.name, ...answer.alarmed } };
      return { outcome: 'fail', gate: ALARM_GATE_NAME, summary, details, at };
    }
    if (answer?.kind === 'unknown') unknown.push({ name: q.name, why: answer.why });
    if (answer === undefined) {
      const why = `not read in this run (more than ${FLAP_READS_PER_CHECK} alarm histories to read; run lshift check again, or for fewer functions)`;
      unknown.push({ name: q.name, why });
    }
  }
  if (unknown.length === 0) return undefined;
  const names = unknown.map((u) => u.name);
  const since = describeWindowStart(c);
  const whys = unknown.map((u) => `${u.name}: ${u.why}`).join('; ');
  const summary = `could not tell whether alarm${names.length === 1 ? '' : 's'} ${shortList(names)} went to ALARM since ${since} (${whys})`;
  return { outcome: 'error', gate: ALARM_GATE_NAME, summary, details: { alarms: states, unknown }, at };
}
