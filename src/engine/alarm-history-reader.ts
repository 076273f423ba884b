/**
 * The bounded reader of alarm histories, shared by the alarm gate (each poll of a deployment,
 * alarm-flap-check.ts) and `lshift check` (each run, check-flaps.ts). DescribeAlarmHistory takes
 * one alarm a call, and its rate is an account-wide, per-Region quota that cannot be raised
 * (20 a second today, 3 in older quota tables; "Rate of DescribeAlarmHistory requests",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html),
 * shared with every dashboard and tool in the account. So a round asks at most `perRound`
 * alarms, `concurrency` at once; the others wait for the next round with their range unchanged.
 */
import {
  type FlapAnswer,
  type FlapQuestion,
  historyRangeOf,
  judgeFlap,
  pickFlapQuestions,
} from '../domain/alarm-flaps.js';
import type { MetricsPort } from '../ports/metrics.js';
import { mapBounded } from './bounded.js';
import { describeError } from './emit.js';

/** History reads in flight at once, per round. */
export const FLAP_READ_CONCURRENCY = 2;
/** History reads a deployment's alarm gate makes per poll at most. */
export const FLAP_READS_PER_POLL = 10;

export interface FlapLimits {
  perRound: number;
  concurrency: number;
  /** Start no further read once one alarm flapped (a deployment fails on the first). */
  stopAtFlap: boolean;
  /** Start no further read once this aborts (Ctrl-C, SIGTERM of a check): those in flight end. */
  signal?: AbortSignal;
  /** With more than `perRound`, how far into their order the reads start, 0 to below 1 (pickFlapQuestions). */
  from?: number;
}

export interface FlapRound {
  /** The questions read this round, each with what its history said. */
  read: { question: FlapQuestion; answer: FlapAnswer }[];
  /** The questions not read this round (over `perRound`, or after a flap): ask them next round. */
  later: FlapQuestion[];
}

export async function readFlapRound(
  metrics: MetricsPort,
  questions: readonly FlapQuestion[],
  limits: FlapLimits,
): Promise<FlapRound> {
  const { ask, later } = pickFlapQuestions(questions, limits.perRound, limits.from);
  const answers = await mapBounded(
    limits.concurrency,
    ask,
    (question) => answerOne(metrics, question),
    (answer) => (limits.stopAtFlap && answer.kind === 'flapped') || limits.signal?.aborted === true,
  );
  const read: FlapRound['read'] = [];
  const notStarted: FlapQuestion[] = [];
  ask.forEach((question, i) => {
    const answer = answers[i];
    if (answer) read.push({ question, answer });
    else notStarted.push(question);
  });
  return { read, later: [...notStarted, ...later] };
}

/** A read that fails is `unknown` (never quiet): the caller asks the same range again. */
async function answerOne(metrics: MetricsPort, question: FlapQuestion): Promise<FlapAnswer> {
  const { startMs, endMs } = historyRangeOf(question);
  try {
    return judgeFlap(question, await metrics.describeAlarmHistory(question.name, startMs, endMs));
  } catch (error) {
    return { kind: 'unknown', why: `its state history could not be read: ${describeError(error)}` };
  }
}
