/**
 * `lshift wait` of a CodeDeploy deployment that lshift's deploy stopped WITHOUT its rollback, to
 * keep a person's move of the alias, and did not see end (its record keeps the mark: record-view.ts
 * isKeepMoveUnconfirmed). CodeDeploy then ended it Succeeded over that move, and the wait said
 * `✔ … Succeeded`, exit 0, and closed the record promoted: the person's move undone and recorded
 * as a promotion (found by a hostile pass, session 64). It is unsafe (exit 4) instead, the record
 * left open with its mark: a human decides where traffic goes (`lshift status` says the same).
 */
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import { closeByHand, readRouting } from './follow-hand-move.js';
import { isKeptMoveLanded } from './kept-move-landed.js';
import { isKeepMoveUnconfirmed, isSucceededBeforeKeepStop } from './record-view.js';

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
  // A stop CodeDeploy refused because it had Succeeded: not "did not see that stop end" (session 65's note).
  const detail = isSucceededBeforeKeepStop(record)
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
  };
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
  if (!read.state || !isKeptMoveLanded(record, info, read.state)) return undefined;
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
