/**
 * CodeDeploy ended the deployment a deploy followed on its own (its alarm, a hook it ran, a stop
 * from outside): the error its follow throws, and the outcome the run settles it as. One place
 * for both, because a follow's read (codedeploy-traffic-driver.ts) and a stop for a move by hand
 * that found it already ended (codedeploy-hand-move.ts, settle.ts) must say and end it alike.
 */
import { isLshiftError, OperationError } from '../domain/errors.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';
import { failedHookOf, ownEndOf, recordCauseOfCodeDeployEnd } from './codedeploy-end-cause.js';
import { describeFollowedEnd, isStoppedByRequest, readEndEvents } from './codedeploy-status.js';
import type { DeployHooks } from './deploy-types.js';

/** The error a follow throws when CodeDeploy reports the deployment ended other than Succeeded. */
export async function followedEndError(
  port: CodeDeployPort,
  cursor: Pick<TrafficCursor, 'functionName' | 'alias'>,
  info: DeploymentInfo,
): Promise<OperationError> {
  const events = await readEndEvents(port, info);
  const message = describeFollowedEnd(info, events);
  const outside = isStoppedByRequest(info) ? { stoppedFromOutside: true } : {};
  const ended = ownEndOf(recordCauseOfCodeDeployEnd(info, events));
  return new OperationError('CODEDEPLOY_DEPLOYMENT_FAILED', message, {
    context: {
      functionName: cursor.functionName,
      alias: cursor.alias,
      ...outside,
      ...(ended ? { codeDeployEnd: ended } : {}),
    },
    hint: `See it with \`aws deploy get-deployment --deployment-id ${info.id}\`.`,
  });
}

/**
 * What CodeDeploy's own end says of the run, as a native deploy would say it: a stop from outside
 * (STOPPED_IN_CODEDEPLOY: nothing of this run failed), its alarm (GATE_FAILED), a hook it ran of a
 * known phase (HOOK_FAILED). Undefined for any other error (the caller says what failed).
 */
export function causeOfFollowedEnd(
  error: unknown,
  deploymentRef: string | undefined,
  hooks: DeployHooks | undefined,
): OutcomeCause | undefined {
  if (!isLshiftError(error)) return undefined;
  if (error.context.stoppedFromOutside === true && deploymentRef)
    return causeOf('STOPPED_IN_CODEDEPLOY', { deploymentId: deploymentRef });
  const ended = error.context.codeDeployEnd;
  if (ended?.code === 'GATE_FAILED') return causeOf('GATE_FAILED', { gates: ended.gates });
  const hook = failedHookOf(ended, hooks);
  return hook ? causeOf('HOOK_FAILED', hook) : undefined;
}
