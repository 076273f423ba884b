/**
 * What works for a CodeDeploy deployment whose run stopped it WITHOUT its rollback, to keep a
 * person's move of the alias, and did not see that stop end (record-view.ts isKeepMoveUnconfirmed).
 * DEPLOYMENT_IN_PROGRESS said "Wait for it", DEPLOYMENT_STALE and CODEDEPLOY_NOT_RESUMABLE offered
 * `lshift wait`, which ends UNSAFE, exit 4, once CodeDeploy has Succeeded over the move (found in
 * session 65). Nothing is said of the wait: while CodeDeploy still runs, one that tells the move
 * from CodeDeploy's weights stops it without its rollback (exit 5), and "`lshift wait` does not
 * finish it" was then false (h2's pass, session 65); the two ways below work either way.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { buildStopKeepingCommand } from './deploy-result.js';

export function describeKeptMoveWaysOut(
  fn: string,
  alias: string,
  record: Pick<DeploymentRecord, 'codeDeployId' | 'stableVersion'>,
): string {
  const id = record.codeDeployId;
  const deployment = id ? `AWS CodeDeploy deployment ${id}` : 'its AWS CodeDeploy deployment';
  const keep = id ? `\`${buildStopKeepingCommand(id)}\` keeps the alias where the person put it, or ` : '';
  return (
    `Its run stopped (or is stopping) ${deployment} WITHOUT its rollback, to keep a move of alias ${alias} by hand, and has not seen that stop end: ` +
    `\`lshift status ${fn} --alias ${alias}\` says whether that run still lives and whether CodeDeploy still runs the deployment. ` +
    `If nobody does: ${keep}\`lshift rollback ${fn} --alias ${alias}\` stops it with its rollback and puts all traffic back on version ${record.stableVersion}.`
  );
}
