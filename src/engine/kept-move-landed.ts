/**
 * A stop WITHOUT its rollback, asked by lshift to keep a person's move of the alias, that landed
 * after its asker stopped watching (its run died during the stop, which CodeDeploy took later): the
 * record still carries the mark (record-view.ts isKeepMoveUnconfirmed), CodeDeploy says Stopped
 * with no rollback, and the alias routes what the person put, not the weight lshift saw CodeDeploy
 * write last. The move was kept. Found by a hostile pass (session 65, F8): status, check and wait
 * offered only `lshift rollback`, which undoes that move.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { percentOn } from './codedeploy-hand-move.js';
import { isKeepMoveUnconfirmed } from './record-view.js';

/** True when the marked record's stop without rollback ended and the alias kept the person's move. */
export function isKeptMoveLanded(
  record: Pick<DeploymentRecord, 'phase' | 'endReason' | 'percent' | 'targetVersion'>,
  info: Pick<DeploymentInfo, 'status' | 'rollback'>,
  alias: RoutingState | undefined,
): boolean {
  if (!isKeepMoveUnconfirmed(record) || info.status !== 'Stopped' || info.rollback !== undefined)
    return false;
  // Unread, or where CodeDeploy's own step left it: not known to be the person's move.
  if (!alias) return false;
  return Math.abs(percentOn(alias, record.targetVersion) - record.percent) > 0.01;
}

/** What keeps the move (and closes the record), and what `lshift rollback` would do instead. */
export function describeKeptMoveWays(
  fn: string,
  alias: string,
  codeDeployId: string,
  record: Pick<DeploymentRecord, 'stableVersion'>,
): string {
  // `lshift alias` was offered too, but it refuses any unfinished CodeDeploy record whose deployment
  // CodeDeploy still knows, ended or not (move-alias-record.ts: CODEDEPLOY_DEPLOYMENT_RUNNING).
  return (
    `\`lshift wait ${codeDeployId}\` closes its record as moved by hand, keeping the alias as it is;` +
    ` \`lshift rollback ${fn} --alias ${alias}\` undoes the person's move, all traffic back on version ${record.stableVersion}`
  );
}
