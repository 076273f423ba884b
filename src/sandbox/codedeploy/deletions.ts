/**
 * DeleteApplication, DeleteDeploymentGroup. Deleting removes what CodeDeploy knew: the groups
 * and their deployments' details, so GetDeployment of one of them then answers
 * DeploymentDoesNotExistException. A deployment that was still running stops moving its alias
 * wherever it is (split, possibly): nobody drives it any more. Neither operation lists a
 * "does not exist" error: deleting what is not there succeeds and changes nothing.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeleteApplication.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeleteDeploymentGroup.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html
 */
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { applicationName } from './applications.js';
import { groupName } from './groups.js';
import type { Input } from './input.js';
import { codeDeployOf } from './state.js';

export function deleteApplication(sb: Sandbox, input: Input): Input {
  const name = applicationName(input);
  const data = codeDeployOf(sb);
  const app = own(data.applications, name);
  if (!app) return {};
  forgetDeployments(sb, new Set(Object.values(app.groups).map((g) => g.id)));
  delete data.applications[name];
  sb.markDirty();
  return {};
}

export function deleteDeploymentGroup(sb: Sandbox, input: Input): Input {
  const app = own(codeDeployOf(sb).applications, applicationName(input));
  const name = groupName(input, 'deploymentGroupName');
  const group = app && own(app.groups, name);
  if (!app || !group) return { hooksNotCleanedUp: [] };
  forgetDeployments(sb, new Set([group.id]));
  delete app.groups[name];
  sb.markDirty();
  return { hooksNotCleanedUp: [] };
}

function forgetDeployments(sb: Sandbox, groupIds: Set<string>): void {
  const deployments = codeDeployOf(sb).deployments;
  for (const [id, d] of Object.entries(deployments)) {
    if (groupIds.has(d.groupId)) delete deployments[id];
  }
}
