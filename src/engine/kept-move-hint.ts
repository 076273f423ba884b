/**
 * What works for a CodeDeploy deployment whose run stopped it WITHOUT its rollback, to keep a
 * person's move of the alias, and did not see that stop end (record-view.ts isKeepMoveUnconfirmed).
 * DEPLOYMENT_IN_PROGRESS said "Wait for it", DEPLOYMENT_STALE and CODEDEPLOY_NOT_RESUMABLE offered
 * `lshift wait`, which ends UNSAFE, exit 4, once CodeDeploy has Succeeded over the move (found in
 * session 65). Nothing is said of the wait: while CodeDeploy still runs, one that tells the move
 * from CodeDeploy's weights stops it without its rollback (exit 5), and "`lshift wait` does not
 * finish it" was then false (h2's pass, session 65); the two ways below work either way.
 *
 * The stop without rollback works only while CodeDeploy still runs the deployment: once it ended
 * (Succeeded over the move, all traffic on the new version) AWS refuses it
 * (DeploymentAlreadyCompletedException), and the hint offered it all the same (h3's pass, session
 * 65: F4). An alias read all on the new version leaves no move to keep: only the rollback is
 * offered; otherwise the stop is offered for while CodeDeploy still runs it.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { isOnStable } from './alias-step.js';
import { isTerminal } from './codedeploy-status.js';
import { buildStopKeepingCommand, describeAliasState } from './deploy-result.js';
import { describeKeptMoveWays, isKeptMoveLanded } from './kept-move-landed.js';
import {
  isKeepMoveUnconfirmed,
  isSucceededBeforeKeepStop,
  KEEP_MOVE_STEP_OVER_REASON,
} from './record-view.js';

/** What a refusal read of the kept move's CodeDeploy deployment (one GetDeployment). */
export type KeptMoveDeployment = Pick<DeploymentInfo, 'status' | 'rollback' | 'config'>;

/**
 * One GetDeployment of a kept-move record's deployment, where the refusal already reads the alias:
 * a refusal offered a stop AWS refuses of a deployment CodeDeploy had Stopped (the move kept) and
 * said it "goes on shifting" (found by a hostile pass, session 66, F3). Unread: undefined (the
 * hint then says what it said before).
 */
export async function readKeptMoveDeployment(
  deployments: Pick<CodeDeployPort, 'getDeployment'> | undefined,
  record: DeploymentRecord | undefined,
): Promise<KeptMoveDeployment | undefined> {
  if (!deployments || !record || !isKeepMoveUnconfirmed(record) || !record.codeDeployId) return undefined;
  return deployments.getDeployment(record.codeDeployId).catch(() => undefined);
}

/** True when the deployment read has ended: it moves the alias no more, and AWS refuses a stop. */
export function hasEnded(info: KeptMoveDeployment | undefined): info is KeptMoveDeployment {
  return info !== undefined && isTerminal(info.status);
}

export function describeKeptMoveWaysOut(
  fn: string,
  alias: string,
  record: Pick<
    DeploymentRecord,
    'codeDeployId' | 'stableVersion' | 'targetVersion' | 'endReason' | 'phase' | 'percent'
  >,
  /** The alias as the refusal read it, when it did. */
  aliasState?: RoutingState,
  /** Its deployment as the refusal read it (readKeptMoveDeployment), when it did. */
  info?: KeptMoveDeployment,
): string {
  const id = record.codeDeployId;
  const deployment = id ? `AWS CodeDeploy deployment ${id}` : 'its AWS CodeDeploy deployment';
  const allOnTarget = aliasState !== undefined && isOnStable(aliasState, record.targetVersion);
  const rollback = `\`lshift rollback ${fn} --alias ${alias}\``;
  const back = `puts all traffic back on version ${record.stableVersion}`;
  const start =
    `Its run stopped (or is stopping) ${deployment} WITHOUT its rollback, to keep a move of alias ${alias} by hand, and has not seen that stop end: ` +
    `\`lshift status ${fn} --alias ${alias}\` says whether that run still lives and whether CodeDeploy still runs the deployment. `;
  // Its run found CodeDeploy had Succeeded when it came to stop it: no stop is unseen (session 65's note).
  if (isSucceededBeforeKeepStop(record))
    return `When its run came to stop ${deployment} WITHOUT its rollback, to keep a move of alias ${alias} by hand, CodeDeploy had already ended it Succeeded, its last step moving the alias over that move: ${rollback} ${back}; \`lshift status ${fn} --alias ${alias}\` says where traffic goes now.`;
  // Its stop landed after its run died, the move kept: what `lshift status` offers (KEPT BY HAND).
  if (id && info && isKeptMoveLanded(record, info, aliasState)) {
    const routes = aliasState ? ` (alias ${alias} routes ${describeAliasState(aliasState)})` : '';
    return `Its run stopped ${deployment} WITHOUT its rollback, to keep a move of alias ${alias} by hand; that stop has since ended (CodeDeploy Stopped, no rollback) and the move was kept${routes}: ${describeKeptMoveWays(fn, alias, id, record)}.`;
  }
  // Ended otherwise (its own step over the move, a failure, Succeeded): no stop to offer.
  if (hasEnded(info)) {
    const routes = aliasState
      ? `alias ${alias} routes ${describeAliasState(aliasState)}`
      : `alias ${alias} could not be read`;
    const how =
      record.endReason === KEEP_MOVE_STEP_OVER_REASON
        ? `and saw that stop end, but CodeDeploy's own later step had written over the move first (the move was not kept); CodeDeploy ended it ${info.status}`
        : `and did not see that stop end; CodeDeploy has since ended it ${info.status}${info.rollback ? ' with its rollback' : ''}`;
    return `Its run stopped (or was stopping) ${deployment} WITHOUT its rollback, to keep a move of alias ${alias} by hand, ${how} and moves the alias no more (${routes}): \`lshift status ${fn} --alias ${alias}\` says where traffic goes; ${rollback} ${back}.`;
  }
  if (allOnTarget)
    return `${start}If nobody does: ${rollback} ${back} (alias ${alias} routes all traffic to version ${record.targetVersion} now: no move is left to keep, and CodeDeploy refuses a stop once it ended).`;
  const keep = id
    ? `while CodeDeploy still runs it, \`${buildStopKeepingCommand(id)}\` keeps the alias where the person put it, or `
    : '';
  // What the refusal read is said: a reader cannot tell a person's move from CodeDeploy's weight otherwise.
  const seen = aliasState ? ` (alias ${alias} routes ${describeAliasState(aliasState)} now)` : '';
  return `${start}If nobody does${seen}: ${keep}${rollback} stops it with its rollback and ${back}.`;
}
