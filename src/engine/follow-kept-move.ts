/**
 * `lshift wait` of a CodeDeploy deployment that lshift's deploy stopped WITHOUT its rollback, to
 * keep a person's move of the alias, and did not see end (its record keeps the mark: record-view.ts
 * isKeepMoveUnconfirmed). CodeDeploy then ended it Succeeded over that move, and the wait said
 * `✔ … Succeeded`, exit 0, and closed the record promoted: the person's move undone and recorded
 * as a promotion (found by a hostile pass, session 64). It is unsafe (exit 4) instead, the record
 * left open with its mark: a human decides where traffic goes (`lshift status` says the same).
 */
import type { DeploymentInfo } from '../ports/codedeploy.js';
import { logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps, FollowResult } from './follow-codedeploy-types.js';
import { readRouting } from './follow-hand-move.js';
import { isKeepMoveUnconfirmed } from './record-view.js';

/** The wait's end of a deployment that Succeeded over a move by hand lshift meant to keep; else undefined. */
export async function endOverKeptMove(
  deps: FollowDeps,
  info: DeploymentInfo,
): Promise<FollowResult | undefined> {
  const target = info.target;
  if (info.status !== 'Succeeded' || !target || !deps.store) return undefined;
  const record = await deps.store.read(target.functionName, target.alias).catch(() => undefined);
  if (!record || !isKeepMoveUnconfirmed(record) || !namesDeployment(record, info)) return undefined;
  const read = await readRouting(deps, target);
  const detail = `lshift's deployment ${record.id} had stopped it without its rollback to keep a move by hand of alias ${target.alias}, and did not see that stop end: CodeDeploy then ended it Succeeded, moving the alias over that move`;
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
