/**
 * How `lshift wait` (follow-codedeploy.ts) settles a CodeDeploy deployment that ended: where its
 * alias is, judged against CodeDeploy's word; lshift's record of it closed as promoted or rolled
 * back (or left to the run that still lives, or to a later deployment holding the alias).
 */

import type { DeploymentRecord, RecordCause } from '../domain/deployment-record.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { isOnStable } from './alias-step.js';
import { recordCauseOfCodeDeployEnd } from './codedeploy-end-cause.js';
import {
  closeCodeDeployRecord,
  describeSettleUnjudged,
  isFollowerCutBeforeSettle,
} from './codedeploy-record-close.js';
import {
  describeEndWithEvents,
  describeFollowedEnd,
  isStoppedByRequest,
  readEndEvents,
} from './codedeploy-status.js';
import { describeError, logWarn } from './emit.js';
import { describeHolder, findLaterHolder, namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import { ownerAtClose } from './follow-late-start.js';
import { describeStopOfFollowedRun, liveFollowerOf } from './follow-live-owner.js';
import { writeRecordEnd } from './record-end-write.js';
import { isClosedByHand } from './record-view.js';

/** `stopped`: this wait's stop was taken; `tooLate`: asked after it ended; `followedRun`: the run it was left to. */
export async function settleFollowedEnd(
  deps: FollowDeps,
  info: DeploymentInfo,
  { stopped, tooLate, followedRun }: { stopped: boolean; tooLate: boolean; followedRun?: string },
): Promise<FollowResult> {
  const base: FollowResult = {
    deploymentId: info.id,
    status: info.status,
    outcome: 'unsafe',
    target: info.target,
    ...(stopped ? { stoppedByInterrupt: true } : {}),
    ...(tooLate ? { interruptedAfterEnd: true } : {}),
  };
  // One read of the hooks' events serves the words and the record's cause.
  const events = await readEndEvents(deps.codedeploy, info);
  // A stop this wait did not ask for (Ctrl-C) came from outside: said so, as a deploy's follower says it.
  if (info.status !== 'Succeeded')
    base.detail = (stopped ? describeEndWithEvents : describeFollowedEnd)(info, events);
  // Nor was it from outside when the run that decided the rollback, left to it, sent it.
  if (followedRun && !stopped && isStoppedByRequest(info))
    base.detail = describeStopOfFollowedRun(followedRun, describeEndWithEvents(info, events));
  const target = info.target;
  if (!target) {
    // Not an AppSpec lshift can read: go by CodeDeploy's word alone.
    base.outcome = info.status === 'Succeeded' ? 'succeeded' : info.rollback ? 'rolled_back' : 'unsafe';
    return base;
  }
  const alias = await deps.lambda.getAlias(target.functionName, target.alias);
  if (!alias) return base;
  const state = { functionVersion: alias.functionVersion, additionalWeights: { ...alias.additionalWeights } };
  base.aliasState = state;
  const byHand = !stopped && !followedRun && (await stoppedForMoveByHand(deps, info, target));
  if (byHand) return { ...base, outcome: 'moved_by_hand', movedByHand: byHand, detail: undefined };
  const ended =
    info.status === 'Succeeded'
      ? isOnStable(state, target.targetVersion) && ('succeeded' as const)
      : isOnStable(state, target.currentVersion) && ('rolled_back' as const);
  if (!ended) {
    const holder = await findLaterHolder(deps.store, info, target);
    const closedBack = holder ? undefined : await closedRolledBack(deps, info, target, state);
    if (closedBack) return { ...base, ...closedBack };
    return judgeByCodeDeploy(base, holder);
  }
  // Why, for `lshift status` once this wait's output is gone (`y=`): none for a success.
  const cause = recordCauseOfCodeDeployEnd(info, events, stopped);
  const closed = await closeRecord(deps, info, target, ended, cause);
  if (closed && 'liveFollower' in closed)
    return { ...base, outcome: ended, liveFollower: closed.liveFollower };
  const unjudged = closed?.settleUnjudged ? { settleUnjudged: closed.recordId } : {};
  return { ...base, outcome: ended, recordPhase: closed?.phase, ...unjudged };
}

/**
 * A stop from outside (MANUAL_STOP) of a deployment whose lshift record was closed because someone
 * moved the alias by hand: its deploy run stopped it WITHOUT its rollback (or, its stop refused, a
 * person did with the command it named). Said so, not "stopped from outside" with an `lshift
 * rollback` that answered "Nothing to roll back" (found by a hostile pass). Unreadable: not this.
 */
async function stoppedForMoveByHand(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<FollowResult['movedByHand'] | undefined> {
  if (!deps.store || !isStoppedByRequest(info)) return undefined;
  const record = await deps.store.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !namesDeployment(record, info) || !isClosedByHand(record)) return undefined;
  return { recordId: record.id, endReason: record.endReason ?? 'moved by hand' };
}

/**
 * CodeDeploy ended it Succeeded, yet lshift's record naming it is closed rolled back and the alias
 * routes all traffic to that record's stable version: `lshift rollback` (or a person) already put it
 * back. Rolled back, said so — not UNSAFE with a `lshift rollback` that answers "Nothing to roll
 * back", a loop for CI (found by a hostile pass, session 65). Unreadable: not this.
 */
async function closedRolledBack(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  state: RoutingState,
): Promise<Pick<FollowResult, 'outcome' | 'detail' | 'recordPhase'> | undefined> {
  if (!deps.store || info.status !== 'Succeeded') return undefined;
  const record = await deps.store.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !namesDeployment(record, info)) return undefined;
  if (record.endedAt === undefined || record.phase !== 'rolled-back') return undefined;
  if (!isOnStable(state, record.stableVersion)) return undefined;
  const why = record.endReason ? ` (${record.endReason})` : '';
  return {
    outcome: 'rolled_back',
    recordPhase: record.phase,
    detail: `CodeDeploy ended it Succeeded, but lshift deployment ${record.id} is recorded rolled back${why} and all traffic is on its stable version ${record.stableVersion}: nothing is left to roll back.`,
  };
}

/**
 * The alias is not where CodeDeploy left it: a later lshift deployment holding it now
 * (follow-alias-holder.ts) makes that its business — this one is judged by CodeDeploy's word, and
 * nothing is closed or advised on the alias. Otherwise nobody is known to hold it: unsafe.
 */
function judgeByCodeDeploy(base: FollowResult, holder: DeploymentRecord | undefined): FollowResult {
  if (!holder) return base;
  return {
    ...base,
    outcome: base.status === 'Succeeded' ? 'succeeded' : 'rolled_back',
    heldBy: describeHolder(holder),
  };
}

async function closeRecord(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  outcome: 'succeeded' | 'rolled_back',
  cause: RecordCause | undefined,
): Promise<
  | { phase: DeploymentRecord['phase']; recordId: string; settleUnjudged: boolean }
  | { liveFollower: NonNullable<FollowResult['liveFollower']> }
  | undefined
> {
  if (!deps.store) return undefined;
  try {
    const record = await deps.store.read(target.functionName, target.alias);
    if (!record || record.endedAt !== undefined || !namesDeployment(record, info)) return undefined;
    // Its run still lives (in its settle wait, say): the record, and its verdict, are that run's.
    const view = { now: deps.clock.now(), owner: deps.rollback?.owner, processes: deps.rollback?.processes };
    // Its own claim (follow-late-start.ts) is no other follower's.
    const follower = record.owner === deps.follower ? undefined : liveFollowerOf(record, view);
    if (follower !== undefined) return { liveFollower: { recordId: record.id, follower } };
    // A record that named no deployment (its runner killed before it wrote the id) names it now.
    // A late start's record claimed by another wait that stopped following it is this wait's now.
    const named = { ...record, codeDeployId: info.id, owner: ownerAtClose(record, deps.follower) };
    const closed = closeCodeDeployRecord(named, outcome, deps.clock.now(), cause);
    await writeRecordEnd(deps.store, target.functionName, target.alias, closed);
    const settleUnjudged = outcome === 'succeeded' && isFollowerCutBeforeSettle(record);
    if (settleUnjudged) logWarn(deps, describeSettleUnjudged(record.id), 'analysis');
    return { phase: closed.phase, recordId: record.id, settleUnjudged };
  } catch (error) {
    // The deployment has ended; only lshift's record of it is open (`status` says STALLED until
    // something closes it): name the command that closes it.
    logWarn(
      deps,
      `could not close the deployment record: ${describeError(error)}; the deployment has ended: \`lshift wait ${info.id}\` closes it once AWS answers`,
      'record',
    );
    return undefined;
  }
}
