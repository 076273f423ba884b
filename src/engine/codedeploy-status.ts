/**
 * Reading a CodeDeploy deployment's status: which statuses are final, and what CodeDeploy said
 * about how it ended (errorInformation, rollbackInfo).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
 */

import { echoAwsMessage } from '../domain/echo.js';
import { isLshiftError } from '../domain/errors.js';
import type {
  CodeDeployPort,
  DeploymentInfo,
  DeploymentStatus,
  LifecycleEventInfo,
} from '../ports/codedeploy.js';

/**
 * True when CodeDeploy answered that it does not know the deployment
 * (DeploymentDoesNotExistException, mapped to CODEDEPLOY_DEPLOYMENT_NOT_FOUND): deleting an
 * application or a deployment group deletes its deployments' details too, and a Lambda
 * deployment lives in the region of its function. Either way nothing in CodeDeploy drives the
 * alias for it any more; the alias is the truth.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-delete.html
 */
export function isForgottenByCodeDeploy(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'CODEDEPLOY_DEPLOYMENT_NOT_FOUND';
}

/** The deployment, or undefined when CodeDeploy no longer knows it (isForgottenByCodeDeploy). */
export async function readUnlessForgotten(
  port: CodeDeployPort,
  id: string,
): Promise<DeploymentInfo | undefined> {
  try {
    return await port.getDeployment(id);
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return undefined;
    throw error;
  }
}

/**
 * CodeDeploy ended the deployment because someone called StopDeployment (status Stopped,
 * errorInformation.code MANUAL_STOP): the console, `aws deploy stop-deployment`, another
 * operator's `lshift rollback`. Its own alarms (ALARM_ACTIVE) and hooks (HOOK_EXECUTION_FAILURE)
 * use other codes, so a follower can tell a stop from outside from a failure of the shift.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ErrorInformation.html
 */
export function isStoppedByRequest(info: Pick<DeploymentInfo, 'status' | 'error'>): boolean {
  return info.status === 'Stopped' && info.error?.code === 'MANUAL_STOP';
}

/** The words a follower puts before CodeDeploy's own when a StopDeployment from outside ended it. */
export const STOPPED_FROM_OUTSIDE =
  'stopped from outside this run (a StopDeployment request: the console, `aws deploy stop-deployment` or another operator)';

/**
 * How the deployment ended, with its failed hooks (the lifecycle events readEndEvents read), said
 * as a stop from outside when it was one (isStoppedByRequest).
 */
export function describeFollowedEnd(
  info: DeploymentInfo,
  events: readonly LifecycleEventInfo[] | undefined,
): string {
  const explained = describeEndWithEvents(info, events);
  return isStoppedByRequest(info) ? `${STOPPED_FROM_OUTSIDE}: ${explained}` : explained;
}

export function isTerminal(status: DeploymentStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}

/**
 * `CodeDeploy deployment d-X Failed: <why> (rollback: <how>)`. CodeDeploy's own words go through
 * echoAwsMessage: they end up in the record, the result and a CI log, and a proxy or a misbehaving
 * endpoint can put anything in them (terminal escapes, a newline that starts a workflow command).
 */
export function describeCodeDeployEnd(info: DeploymentInfo): string {
  const why = echoAwsMessage(info.error?.message ?? info.error?.code ?? 'no reason given');
  const rollback = info.rollback?.message ? ` (rollback: ${echoAwsMessage(info.rollback.message)})` : '';
  return `CodeDeploy deployment ${info.id} ${info.status}: ${why}${rollback}`;
}

/**
 * The lifecycle events (the hooks) of a deployment that did not succeed, read from its Lambda
 * target; undefined when it succeeded or they could not be read (best effort). Read once, they
 * serve both the words (describeEndWithEvents) and the record's cause (codedeploy-end-cause.ts).
 */
export async function readEndEvents(
  port: CodeDeployPort,
  info: DeploymentInfo,
): Promise<LifecycleEventInfo[] | undefined> {
  if (info.status === 'Succeeded') return undefined;
  try {
    return (await port.getLifecycleEvents(info.id)) ?? [];
  } catch {
    return undefined;
  }
}

/**
 * The end of a deployment with its failed lifecycle events (the hooks) already read
 * (readEndEvents). Best effort: without them the status still says why.
 */
export function describeEndWithEvents(
  info: DeploymentInfo,
  events: readonly LifecycleEventInfo[] | undefined,
): string {
  const base = describeCodeDeployEnd(info);
  if (info.status === 'Succeeded') return base;
  const failed = (events ?? []).filter((e) => e.status === 'Failed');
  if (failed.length === 0) return base;
  const hooks = failed
    .map((e) => `${echoAwsMessage(e.name)} Failed${e.message ? ` (${echoAwsMessage(e.message)})` : ''}`)
    .join(', ');
  // A stop fails the event it cuts short (AllowTraffic: the shift itself, no hook): "lifecycle
  // events: AllowTraffic Failed" alone read as a second failure beside the stop.
  const cut = info.status === 'Stopped' ? ' cut short by the stop' : '';
  return `${base}; lifecycle events${cut}: ${hooks}`;
}
