/**
 * `lshift wait` looks for a person's move of the alias as a deploy's follower does (F5 of session
 * 62's pass: the wait read only CodeDeploy's status, so a move by hand under a `--detach`ed
 * deployment, or one whose follower died, was undone by CodeDeploy's next step unsaid). The same
 * judge (codedeploy-hand-move.ts mayBeCodeDeploysWrite) and the same stop WITHOUT the rollback
 * (stopKeepingMove); the record is closed moved by hand, as the deploy's settle closes it. A run
 * that still follows the record itself is left to do so.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { planShift } from '../domain/plan.js';
import { parseStrategy } from '../domain/strategy.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { describeRouting, isOnStable } from './alias-step.js';
import { describeHandMove, mayBeCodeDeploysWrite } from './codedeploy-hand-move.js';
import { laterStepOverMove, percentOn } from './codedeploy-routing.js';
import { type StopState, stopKeepingMove } from './codedeploy-stop-keeping.js';
import { buildStopKeepingCommand } from './deploy-result.js';
import { describeError, logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import {
  endRunningOverMove,
  endStepOverMove,
  endSucceededOverMove,
  markOpenRecord,
} from './follow-keep-move-mark.js';
import { liveFollowerOf } from './follow-live-owner.js';
import {
  describeOffSchedule,
  type FollowKnown,
  readAllowTrafficStart,
  readFollowedSchedule,
  recordedPercent,
  scheduledBounds,
} from './follow-schedule.js';
import { writeRecordEnd } from './record-end-write.js';
import { closedByHand, KEEP_MOVE_UNCONFIRMED_REASON } from './record-view.js';

/** What the wait has seen CodeDeploy give the new version, and when it first saw it (clock ms). */
export interface FollowPeak {
  percent: number;
  seenAt?: number;
  /** Its config's schedule and AllowTraffic's start, read at the first judged read (follow-schedule.ts). */
  known?: FollowKnown;
  /** The wait said it could not judge a weight it found already there. */
  saidUnjudged?: boolean;
  /** The wait said it leaves a move by hand to the live run that follows the deployment. */
  saidLeftToRun?: boolean;
}

/** One read of the alias: the routing (undefined: unread) from `readAt`, judged at `answeredAt`. */
export interface RoutingRead {
  state?: RoutingState;
  readAt: number;
  answeredAt: number;
}

/** The alias, read before the poll's status (CodeDeploy's own rollback in between is then its own). */
export async function readRouting(deps: FollowDeps, target: AppSpecTarget): Promise<RoutingRead> {
  const readAt = deps.clock.now();
  const alias = await deps.lambda.getAlias(target.functionName, target.alias).catch(() => undefined);
  const state = alias
    ? { functionVersion: alias.functionVersion, additionalWeights: { ...alias.additionalWeights } }
    : undefined;
  return { state, readAt, answeredAt: deps.clock.now() };
}

/**
 * Judges `read` against a deployment still running: undefined while CodeDeploy may have written
 * it (the peak moves on), else the wait's end after stopping it without its rollback. A stop that
 * finds it ended on its own also gives undefined: the next poll settles that end as usual.
 */
export async function judgeFollowedRouting(
  deps: FollowDeps,
  pollSeconds: number,
  info: DeploymentInfo,
  read: RoutingRead,
  peak: FollowPeak,
  /** Called before the stop without rollback: the caller no longer abandons calls on a signal. */
  onKeepingMove?: () => void,
): Promise<FollowResult | undefined> {
  const target = info.target;
  if (info.status !== 'InProgress' || !target || !read.state) return undefined;
  // CodeDeploy's own rollback deployment moves its AppSpec's weights backward: not judged.
  if (info.rolledBackDeploymentId) return undefined;
  const known = await learnFollowed(deps, info, target, peak);
  const bounds = scheduledBounds(known.schedule, known.allowTrafficAt, read.answeredAt);
  const onTarget = percentOn(read.state, target.targetVersion);
  // A weight CodeDeploy cannot have written by now, by its schedule, is a person's (follow-schedule.ts).
  const offSchedule = describeOffSchedule(onTarget, bounds, known);
  const judged = {
    state: read.state,
    versions: { stableVersion: target.currentVersion, targetVersion: target.targetVersion },
    had: peak.percent,
    schedule: known.schedule,
    times: { peakSeenAt: peak.seenAt, now: read.answeredAt },
  };
  if (!offSchedule && (await mayBeCodeDeploysWrite(deps.codedeploy, info.id, judged))) {
    if (!bounds && peak.percent <= 0.01 && onTarget > 0.01)
      sayUnjudged(deps, peak, known, read.state, target);
    if (onTarget > peak.percent + 0.01) Object.assign(peak, { percent: onTarget, seenAt: read.readAt });
    return undefined;
  }
  const seen = {
    peakPercent: peak.percent,
    percent: peak.percent,
    deploymentRef: info.id,
    targetVersion: target.targetVersion,
  };
  const move = offSchedule
    ? `a read found it routing ${describeRouting(read.state)}, while AWS CodeDeploy deployment ${info.id} (${info.status}) ran: ${offSchedule}: someone moved it by hand`
    : describeHandMove(seen, read.state, info.status);
  const runner = await followedByLiveRun(deps, info, target);
  if (runner) {
    sayLeftToRun(deps, peak, target, move, runner);
    return undefined;
  }
  logWarn(deps, `codedeploy: alias ${target.alias} of function ${target.functionName}: ${move}`, 'alias');
  const stop: StopState = { functionName: target.functionName, alias: target.alias };
  onKeepingMove?.();
  // Said on the record before the stop, as a deploy's run does: one not seen to end stays lshift's.
  await markOpenRecord(deps, info, target, KEEP_MOVE_UNCONFIRMED_REASON);
  const said = await stopKeepingMove(deps, pollSeconds, stop, info.id);
  // Ended on its own first: the next poll settles that end, which the mark must not belie.
  if (stop.endedBeforeStop) {
    await markOpenRecord(deps, info, target, undefined);
    return undefined;
  }
  const after = await readRouting(deps, target);
  const aliasState = after.state ?? read.state;
  const base = { deploymentId: info.id, status: info.status, target, aliasState, detail: `${move}; ${said}` };
  // CodeDeploy's own later step wrote over the move before the stop landed: not kept (as a deploy's run).
  const versions = {
    percent: peak.percent,
    stableVersion: target.currentVersion,
    targetVersion: target.targetVersion,
  };
  const over = after.state && laterStepOverMove(read.state, after.state, versions, known.schedule.steps);
  // CodeDeploy took no stop, or was not seen to end: it may move the alias again, unwatched. Its
  // later step already over the move, a stop without rollback would freeze a split nobody chose.
  if (!stop.deploymentEnded)
    return over
      ? endRunningOverMove(base, move, said, over)
      : { ...base, outcome: 'unsafe', fixCommand: buildStopKeepingCommand(info.id) };
  // CodeDeploy had Succeeded before the stop, its last step over the move: not closed by hand.
  if (stop.succeededBeforeStop && isOnStable(aliasState, target.targetVersion))
    return endSucceededOverMove(deps, info, target, base);
  const ended = await deps.codedeploy.getDeployment(info.id).catch(() => undefined);
  const status = ended?.status ?? info.status;
  if (over) return endStepOverMove(deps, info, target, { ...base, status, move }, over, stop);
  const closed = await closeByHand(deps, info, target, aliasState, peak.percent);
  return { ...base, status, outcome: 'moved_by_hand', movedByHand: closed };
}

/**
 * Once, at the first judged read: the deployment's schedule (its config read), and the weight
 * lshift's record saw last (a floor: CodeDeploy only moves forward). AllowTraffic's start is read
 * each judged read until known, while the schedule is.
 */
async function learnFollowed(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  peak: FollowPeak,
): Promise<FollowKnown> {
  if (!peak.known) {
    peak.known = await readFollowedSchedule(deps, info);
    peak.percent = Math.max(peak.percent, await recordedPercent(deps, info, target));
  }
  const { schedule } = peak.known;
  if (peak.known.allowTrafficAt === undefined && schedule.steps?.length && schedule.intervalSeconds)
    peak.known.allowTrafficAt = await readAllowTrafficStart(deps, info.id);
  return peak.known;
}

/** A weight found already there, that nothing known tells CodeDeploy's from a person's: said once. */
function sayUnjudged(
  deps: FollowDeps,
  peak: FollowPeak,
  known: FollowKnown,
  state: RoutingState,
  target: AppSpecTarget,
) {
  if (peak.saidUnjudged) return;
  peak.saidUnjudged = true;
  const why = known.unread ?? 'when CodeDeploy began shifting could not be read';
  logWarn(
    deps,
    `codedeploy: lshift wait cannot tell whether alias ${target.alias} routing ${describeRouting(state)} is CodeDeploy's or a person's (${why}); it takes it for CodeDeploy's`,
    'alias',
  );
}

/** A run (a deploy's follower) that still follows its record looks for the move itself: who, or undefined. */
async function followedByLiveRun(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<string | undefined> {
  const record = await deps.store?.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !namesDeployment(record, info) || record.owner === deps.follower) return undefined;
  const view = { now: deps.clock.now(), owner: deps.rollback?.owner, processes: deps.rollback?.processes };
  return liveFollowerOf(record, view);
}

/**
 * Once: the move this wait saw and leaves to the live run that follows the deployment (that run
 * stops CodeDeploy without its rollback to keep it). The wait said nothing of it, and its end read
 * as if CodeDeploy had been stopped by someone unknown (session 65's note).
 */
function sayLeftToRun(
  deps: FollowDeps,
  peak: FollowPeak,
  target: AppSpecTarget,
  move: string,
  runner: string,
) {
  if (peak.saidLeftToRun) return;
  peak.saidLeftToRun = true;
  logWarn(
    deps,
    `codedeploy: alias ${target.alias} of function ${target.functionName}: ${move}; the deploy run that follows this deployment (${runner}) is the one to stop AWS CodeDeploy without its rollback to keep that move, so this wait leaves it to that run and follows on`,
    'alias',
  );
}

/** The record naming this deployment, closed moved by hand as a deploy's settle closes it. */
export async function closeByHand(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  aliasState: RoutingState,
  /** What this wait saw CodeDeploy give the new version before the move: the step it had reached. */
  seenPercent?: number,
): Promise<NonNullable<FollowResult['movedByHand']>> {
  try {
    const record = await deps.store?.read(target.functionName, target.alias);
    if (!record || record.endedAt !== undefined || !namesDeployment(record, info)) return {};
    const closed = closedByHand(record, aliasState, { resumable: false });
    const stepIndex = stepReached(record, seenPercent);
    const end = { ...record, ...closed, stepIndex, codeDeployId: info.id, endedAt: deps.clock.now() };
    await writeRecordEnd(deps.store!, target.functionName, target.alias, end);
    return { recordId: record.id, endReason: closed.endReason };
  } catch (error) {
    logWarn(deps, `could not close the deployment record: ${describeError(error)}`, 'record');
    return {};
  }
}

/**
 * The record's step at CodeDeploy's weight this wait saw last: a `--detach`ed record stays at the
 * step its run handed over, and status said "stopped at step 1" of a move the wait met at
 * CodeDeploy's 20% (h4's pass, session 67, F6). Never behind the record's own step; unknown
 * strategy or weight: as recorded.
 */
function stepReached(record: DeploymentRecord, seenPercent: number | undefined): number {
  if (seenPercent === undefined) return record.stepIndex;
  let steps: readonly { percent: number }[];
  try {
    steps = planShift(parseStrategy(record.strategy)).steps;
  } catch {
    return record.stepIndex;
  }
  const reached = steps.reduce((at, step, i) => (step.percent <= seenPercent + 0.01 ? i : at), -1);
  return Math.max(record.stepIndex, reached);
}
