/**
 * Reading a CodeDeploy deployment's status: which statuses are final, and what CodeDeploy said
 * about how it ended (errorInformation, rollbackInfo).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 */
import type {
  CodeDeployPort,
  DeploymentInfo,
  DeploymentStatus,
  LifecycleEventInfo,
} from '../ports/codedeploy.js';

export function isTerminal(status: DeploymentStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}

/** `CodeDeploy deployment d-X Failed: <why> (rollback: <how>)`. */
export function describeCodeDeployEnd(info: DeploymentInfo): string {
  const why = info.error?.message ?? info.error?.code ?? 'no reason given';
  const rollback = info.rollback?.message ? ` (rollback: ${info.rollback.message})` : '';
  return `CodeDeploy deployment ${info.id} ${info.status}: ${why}${rollback}`;
}

/**
 * The end of a deployment with its failed lifecycle events (the hooks), read from its Lambda
 * target. Best effort: without them the status still says why.
 */
export async function explainCodeDeployEnd(port: CodeDeployPort, info: DeploymentInfo): Promise<string> {
  const base = describeCodeDeployEnd(info);
  if (info.status === 'Succeeded') return base;
  let events: LifecycleEventInfo[] | undefined;
  try {
    events = await port.getLifecycleEvents(info.id);
  } catch {
    return base;
  }
  const failed = (events ?? []).filter((e) => e.status === 'Failed');
  if (failed.length === 0) return base;
  const hooks = failed.map((e) => `${e.name} Failed${e.message ? ` (${e.message})` : ''}`).join(', ');
  return `${base}; lifecycle events: ${hooks}`;
}
