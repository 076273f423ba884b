/**
 * `lshift alias` over an unfinished CodeDeploy record whose deployment AWS CodeDeploy says has
 * ended (Succeeded, Failed, Stopped): nothing of that deployment moves the alias any more, unless
 * CodeDeploy's own rollback deployment of it still runs (it puts the alias back on its own
 * schedule and would undo the move). The move was refused whatever CodeDeploy said, leaving
 * `lshift wait <id>` or `lshift rollback` as the only ways out (session 67's note).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RollbackInfo.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import { lookUpGroup } from './codedeploy-group.js';
import { isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';

/** An ended deployment leaves the alias to a move (`free`), or why not. */
export type EndedJudgement = { free: true } | { free: false; why: string };

/**
 * Free when CodeDeploy's rollback of the ended deployment (its rollbackInfo, and the group's
 * unfinished deployments naming it as their rollbackTriggeringDeploymentId: CodeDeploy may start
 * the rollback a moment after the stop) is not running. Anything unread is not free.
 */
export async function judgeEndedForMove(
  codedeploy: CodeDeployPort,
  info: DeploymentInfo,
): Promise<EndedJudgement> {
  const rollback = info.rollback?.deploymentId;
  if (rollback) {
    const rb = await codedeploy.getDeployment(rollback).catch((error: unknown) => describeError(error));
    if (typeof rb === 'string')
      return { free: false, why: `its rollback deployment ${rollback} could not be read: ${rb}` };
    if (!isTerminal(rb.status)) return { free: false, why: runningRollback(rollback, rb.status) };
  }
  if (!info.application || !info.group)
    return {
      free: false,
      why: 'CodeDeploy did not say which deployment group it ran in, to look for a rollback of it',
    };
  const group = { application: info.application, group: info.group };
  const lookup = await lookUpGroup(codedeploy, group, undefined).catch((error: unknown) =>
    describeError(error),
  );
  if (typeof lookup === 'string')
    return {
      free: false,
      why: `whether a CodeDeploy rollback of it runs on deployment group ${group.group} could not be read: ${lookup}`,
    };
  const running = lookup.others.find((d) => d.rolledBackDeploymentId === info.id);
  return running ? { free: false, why: runningRollback(running.id, running.status) } : { free: true };
}

function runningRollback(id: string, status: string): string {
  return `AWS CodeDeploy's rollback deployment ${id} of it is ${status}: it puts the alias back on its own and would undo a move by hand`;
}
