/**
 * ListDeploymentTargets and GetDeploymentTarget: a Lambda deployment has one target, the alias.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeploymentTargets.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
 */
import type { Sandbox } from '../sandbox.js';
import { lambdaTargetOut, targetId } from './deployment-out.js';
import { codeDeployErrors } from './errors.js';
import type { Input } from './input.js';
import { requireDeployment } from './state.js';

export function listDeploymentTargets(sb: Sandbox, input: Input): Input {
  const d = requireDeployment(sb, input.deploymentId);
  return { targetIds: [targetId(d)] };
}

export function getDeploymentTarget(sb: Sandbox, input: Input): Input {
  const d = requireDeployment(sb, input.deploymentId);
  const id = input.targetId;
  if (id === undefined || id === null || id === '') {
    throw codeDeployErrors.make('DeploymentTargetIdRequiredException', 'The targetId is required.');
  }
  // `<function>:<alias>` is taken too: the reference names the function only, and whether AWS
  // also accepts the alias-qualified form is not documented (docs/sandbox.md).
  if (id !== targetId(d) && id !== `${d.target.functionName}:${d.target.alias}`) {
    throw codeDeployErrors.make(
      'DeploymentTargetDoesNotExistException',
      `Deployment ${d.id} has no target ${JSON.stringify(id)}; its target is ${targetId(d)}.`,
    );
  }
  return { deploymentTarget: { deploymentTargetType: 'LambdaTarget', lambdaTarget: lambdaTargetOut(sb, d) } };
}
