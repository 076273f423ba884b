/**
 * Reading a CodeDeploy deployment's status: which statuses are final, and what CodeDeploy said
 * about how it ended (errorInformation, rollbackInfo).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 */
import type { DeploymentInfo, DeploymentStatus } from '../ports/codedeploy.js';

export function isTerminal(status: DeploymentStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}

/** `CodeDeploy deployment d-X Failed: <why> (rollback: <how>)`. */
export function describeCodeDeployEnd(info: DeploymentInfo): string {
  const why = info.error?.message ?? info.error?.code ?? 'no reason given';
  const rollback = info.rollback?.message ? ` (rollback: ${info.rollback.message})` : '';
  return `CodeDeploy deployment ${info.id} ${info.status}: ${why}${rollback}`;
}
