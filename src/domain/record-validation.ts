/**
 * Is a decoded deployment record believable? The tag `lshift:<alias>` can be edited by anyone
 * with lambda:TagResource, and `check`/`rollback` send traffic where it says, so before acting on
 * one the engine asks two questions here (pure; the engine decides what to do with the answer):
 *  - does it add up on its own (ranges, published version numbers, times not in the future,
 *    the step within its strategy's plan)? — findRecordProblems
 *  - does it agree with the alias it claims to drive? — findAliasMismatch
 */
import type { DeploymentRecord } from './deployment-record.js';
import { describeAhead, judgeHeartbeatAge, RECORD_CLOCK_SKEW_MS } from './heartbeat-age.js';
import { planShift } from './plan.js';
import {
  endReasonCode,
  KEEP_MOVE_STEP_OVER_REASON,
  KEEP_MOVE_SUCCEEDED_FIRST_REASON,
  KEEP_MOVE_UNCONFIRMED_REASON,
} from './record-end-reason.js';
import { parseStrategy } from './strategy.js';
import { isPublishedVersionNumber } from './version-number.js';

export { RECORD_CLOCK_SKEW_MS } from './heartbeat-age.js';

/** Nothing lshift wrote can be older than AWS Lambda itself (launched November 2014). */
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2014, 10, 1);

export interface RecordValidationContext {
  /** Epoch ms, from the Clock port. */
  now: number;
  skewMs?: number;
  /**
   * False: judge the record's own shape only, not its times (the operator verbs, whose liveness
   * watch judges the heartbeat: a live runner with a wrong clock must still get an abort).
   */
  times?: boolean;
}

/** What is wrong with the record on its own terms, as short phrases; empty when nothing is. */
export function findRecordProblems(record: DeploymentRecord, ctx: RecordValidationContext): string[] {
  const problems: string[] = [];
  const add = (problem: string | undefined) => {
    if (problem) problems.push(problem);
  };
  add(checkVersion('stable version', record.stableVersion));
  add(checkVersion('target version', record.targetVersion));
  if (record.stableVersion === record.targetVersion && isPublishedVersionNumber(record.stableVersion)) {
    problems.push(`stable and target are the same version ${record.stableVersion}`);
  }
  for (const version of record.history) add(checkVersion('previous stable version', version));
  if (!(record.percent >= 0 && record.percent <= 100)) {
    problems.push(`weight ${record.percent}% is outside 0–100%`);
  }
  add(checkStep(record));
  add(checkKeepMoveMark(record));
  if (ctx.times !== false) problems.push(...checkTimes(record, ctx));
  return problems;
}

/** The keep-move marks (record-end-reason.ts): `@km`, `@ks`, `@ko`. */
const KEEP_MOVE_MARKS: readonly string[] = [
  KEEP_MOVE_UNCONFIRMED_REASON,
  KEEP_MOVE_SUCCEEDED_FIRST_REASON,
  KEEP_MOVE_STEP_OVER_REASON,
];

/**
 * A keep-move mark (`r=@km`, `@ks`, `@ko`) is written by a CodeDeploy deployment only
 * (record-end-reason.ts): on a native record it was typed by hand, and `status` said "promoted
 * (keeping a move by hand, its CodeDeploy stop unconfirmed)", exit 0, of a deployment no CodeDeploy
 * ran (h2's pass, session 66, F4; `@ks` and `@ko` were left out of that check: h4's notes).
 */
function checkKeepMoveMark(record: DeploymentRecord): string | undefined {
  const mark = record.endReason;
  if (record.engine === 'codedeploy' || mark === undefined || !KEEP_MOVE_MARKS.includes(mark))
    return undefined;
  return `its end reason \`${mark}\` (\`r=${endReasonCode(mark)}\`) is a mark only a CodeDeploy deployment's record carries, and this deployment's record names no CodeDeploy engine (\`en=cd\`)`;
}

function checkVersion(what: string, version: string): string | undefined {
  return isPublishedVersionNumber(version)
    ? undefined
    : `${what} \`${version}\` is not a published version number`;
}

function checkStep(record: DeploymentRecord): string | undefined {
  let steps: number;
  try {
    steps = planShift(parseStrategy(record.strategy, { allowLong: true, recorded: true })).steps.length;
  } catch {
    return `strategy \`${record.strategy}\` is not one lshift knows`;
  }
  if (record.stepIndex >= steps) {
    return `step ${record.stepIndex + 1} is beyond the ${steps}-step plan of strategy ${record.strategy}`;
  }
  return undefined;
}

function checkTimes(record: DeploymentRecord, ctx: RecordValidationContext): string[] {
  const problems: string[] = [];
  const times: [string, number | undefined][] = [
    ['start time', record.startedAt],
    ['heartbeat', record.heartbeatAt],
    ['end time', record.endedAt],
  ];
  for (const [what, at] of times) {
    if (at === undefined) continue;
    if (isFromTheFuture(at, ctx)) problems.push(describeFuture(what, at, ctx));
    else if (at < EARLIEST_PLAUSIBLE_MS)
      problems.push(`${what} ${describeTime(at)} is before AWS Lambda existed`);
  }
  // The start and the later stamps may come from two machines (a resume, a check's claim, a
  // rollback from a laptop): one whose clock is behind the starter's writes them "before" it.
  const earliest = record.startedAt - (ctx.skewMs ?? RECORD_CLOCK_SKEW_MS);
  if (record.heartbeatAt < earliest) problems.push('heartbeat is earlier than the start time');
  if (record.endedAt !== undefined && record.endedAt < earliest) {
    problems.push('end time is earlier than the start time');
  }
  return problems;
}

/** Further ahead than any writer AWS accepted a request from can be: heartbeat-age.ts's rule. */
function isFromTheFuture(at: number, ctx: RecordValidationContext): boolean {
  return (
    judgeHeartbeatAge(at, ctx.now, Number.POSITIVE_INFINITY, 0, ctx.skewMs ?? RECORD_CLOCK_SKEW_MS) ===
    'future'
  );
}

/** How far ahead; for a heartbeat also what lshift makes of it (heartbeat-age.ts says why). */
function describeFuture(what: string, at: number, ctx: RecordValidationContext): string {
  const minutes = (ctx.skewMs ?? RECORD_CLOCK_SKEW_MS) / 60_000;
  const base = `${what} ${describeTime(at)} is in the future (${describeAhead(at, ctx.now)}, more than the ${minutes} minutes AWS lets two clocks differ by)`;
  return what === 'heartbeat'
    ? `${base}, so it is no sign of a live writer and lshift does not wait for it`
    : base;
}

function describeTime(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

/** Phases in which the record claims its two versions are the ones the alias routes to. */
const DRIVING_PHASES = new Set<DeploymentRecord['phase']>([
  'started',
  'pre-hook',
  'shifting',
  'baking',
  'post-hook',
  'rolling-back',
]);

/**
 * While a record claims to be shifting, every version the alias routes to must be its stable or
 * target version; otherwise the record describes some other state of the world than the alias
 * (edited by hand, or left over from a deployment somebody ended outside lshift).
 */
export function findAliasMismatch(
  record: DeploymentRecord,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): string | undefined {
  if (!DRIVING_PHASES.has(record.phase)) return undefined;
  const routed = [
    alias.functionVersion,
    ...Object.entries(alias.additionalWeights)
      .filter(([, weight]) => weight > 0)
      .map(([version]) => version),
  ];
  const foreign = routed.filter((v) => v !== record.stableVersion && v !== record.targetVersion);
  if (foreign.length === 0) return undefined;
  return (
    `it is ${record.phase} from version ${record.stableVersion} to ${record.targetVersion}, ` +
    `but the alias routes traffic to version ${foreign.join(' and ')}`
  );
}
