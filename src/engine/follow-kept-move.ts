/**
 * `lshift wait` of a CodeDeploy deployment that lshift's deploy stopped WITHOUT its rollback, to
 * keep a person's move of the alias, and did not see end (its record keeps the mark: record-view.ts
 * isKeepMoveUnconfirmed). CodeDeploy then ended it Succeeded over that move, and the wait said
 * `✔ … Succeeded`, exit 0, and closed the record promoted: the person's move undone and recorded
 * as a promotion (found by a hostile pass, session 64). It is unsafe (exit 4) instead, the record
 * left open with its mark: a human decides where traffic goes (`lshift status` says the same).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { describeRouting } from './alias-step.js';
import { logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import { closeByHand, readRouting } from './follow-hand-move.js';
import { liveFollowerOf } from './follow-live-owner.js';
import { isKeptMoveLanded } from './kept-move-landed.js';
import {
  isKeepMoveUnconfirmed,
  isSucceededBeforeKeepStop,
  KEEP_MOVE_STEP_OVER_REASON,
} from './record-view.js';

/** The wait's end of a deployment that Succeeded over a move by hand lshift meant to keep; else undefined. */
export async function endOverKeptMove(
  deps: FollowDeps,
  info: DeploymentInfo,
): Promise<FollowResult | undefined> {
  const target = info.target;
  if (!target || !deps.store) return undefined;
  if (info.status === 'Stopped') return endKeptMove(deps, info, target);
  if (info.status !== 'Succeeded') return undefined;
  const record = await deps.store.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !isKeepMoveUnconfirmed(record) || !namesDeployment(record, info)) return undefined;
  const read = await readRouting(deps, target);
  // Its run still lives, its stop in flight: that run may yet see the stop end (session 66, F6).
  // Not one that found CodeDeploy Succeeded first: that run has said so and exits.
  const follower = isSucceededBeforeKeepStop(record) ? undefined : liveRunOf(deps, record);
  // A stop CodeDeploy refused because it had Succeeded: not "did not see that stop end" (session 65's note).
  const detail = follower
    ? `lshift's deployment ${record.id}, whose run still lives, is stopping it without its rollback to keep a move by hand of alias ${target.alias}, but CodeDeploy ended it Succeeded first, its last step moving the alias over that move: that run says how it ends`
    : isSucceededBeforeKeepStop(record)
      ? `when lshift's deployment ${record.id} came to stop it without its rollback to keep a move by hand of alias ${target.alias}, CodeDeploy had already ended it Succeeded, its last step moving the alias over that move (nothing was stopped)`
      : `lshift's deployment ${record.id} had stopped it without its rollback to keep a move by hand of alias ${target.alias}, and did not see that stop end: CodeDeploy then ended it Succeeded, moving the alias over that move`;
  logWarn(deps, `codedeploy: ${info.id}: ${detail}`, 'alias');
  return {
    deploymentId: info.id,
    status: info.status,
    target,
    ...(read.state ? { aliasState: read.state } : {}),
    outcome: 'unsafe',
    detail,
    ...(follower ? { liveFollower: { recordId: record.id, follower } } : {}),
  };
}

/** The live run (not this wait) that follows the record, by the rule status goes by (follow-live-owner.ts). */
function liveRunOf(deps: FollowDeps, record: DeploymentRecord): string | undefined {
  if (record.owner === deps.follower) return undefined;
  const view = { now: deps.clock.now(), owner: deps.rollback?.owner, processes: deps.rollback?.processes };
  return liveFollowerOf(record, view);
}

/**
 * Its stop without rollback landed after its run died (kept-move-landed.ts): the move was kept, so
 * the wait closes the record moved by hand, as the deploy's own run would have (exit 5), rather than
 * "stopped from outside this run … Fix: lshift rollback", which undoes the person's move.
 */
async function endKeptMove(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<FollowResult | undefined> {
  const record = await deps.store?.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !namesDeployment(record, info)) return undefined;
  const read = await readRouting(deps, target);
  if (!read.state) return undefined;
  if (!isKeptMoveLanded(record, info, read.state)) return endOwnStopNotKept(info, target, record, read.state);
  const detail = `lshift's deployment ${record.id} had stopped it without its rollback to keep a move by hand of alias ${target.alias}; that stop ended after its run stopped watching, and the alias kept the move`;
  const closed = await closeByHand(deps, info, target, read.state);
  return {
    deploymentId: info.id,
    status: info.status,
    target,
    aliasState: read.state,
    outcome: 'moved_by_hand',
    movedByHand: closed,
    detail,
  };
}

/**
 * Its stop without rollback was lshift's (the record's mark), and CodeDeploy Stopped with no
 * rollback, but the alias is not where the person put it: CodeDeploy's own later step wrote over
 * the move before the stop landed (`r=@ko`, or `r=@km` and the alias at one of its steps). A later
 * wait said "stopped from outside this run (… or another operator)", sending an operator to look
 * for someone who had stopped it (h4's pass, session 67, F1). Unsafe (exit 4): nothing moves the
 * alias any more, nobody chose where it is; the record left open, `lshift rollback` the fix.
 */
function endOwnStopNotKept(
  info: DeploymentInfo,
  target: AppSpecTarget,
  record: DeploymentRecord,
  alias: RoutingState,
): FollowResult | undefined {
  if (!isKeepMoveUnconfirmed(record) || info.rollback !== undefined) return undefined;
  const stopped = `lshift's deployment ${record.id} had stopped it without its rollback to keep a move by hand of alias ${target.alias}`;
  const how =
    record.endReason === KEEP_MOVE_STEP_OVER_REASON
      ? "and saw that stop end, but CodeDeploy's own later step had written over the move first"
      : `and did not see that stop end; it has ended since, but the alias routes ${describeRouting(alias)}, a weight of CodeDeploy's own steps, not where the person put it`;
  return {
    deploymentId: info.id,
    status: info.status,
    target,
    aliasState: alias,
    outcome: 'unsafe',
    detail: `${stopped}, ${how}: the move was not kept, and nothing moves the alias any more`,
  };
}
