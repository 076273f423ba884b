/** The CodeDeploy part of the sandbox world, created on first use, and lookups that throw CodeDeploy's errors. */
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { codeDeployErrors } from './errors.js';
import type { ApplicationData, CodeDeployData, DeploymentData, GroupData } from './types.js';

export function codeDeployOf(sb: Sandbox): CodeDeployData {
  sb.data.codeDeploy ??= { applications: {}, configs: {}, deployments: {} };
  return sb.data.codeDeploy;
}

export function requireApplication(sb: Sandbox, name: string): ApplicationData {
  const app = own(codeDeployOf(sb).applications, name);
  if (!app) throw codeDeployErrors.applicationMissing(name);
  return app;
}

export function requireGroup(sb: Sandbox, application: string, group: string): GroupData {
  const found = own(requireApplication(sb, application).groups, group);
  if (!found) throw codeDeployErrors.groupMissing(application, group);
  return found;
}

/** Deployment ids look like `d-` and nine capitals or digits (`d-A1B2C3D4E`). */
export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

export function requireDeployment(sb: Sandbox, id: unknown): DeploymentData {
  if (id === undefined || id === null || id === '') {
    throw codeDeployErrors.make('DeploymentIdRequiredException', 'The deploymentId is required.');
  }
  if (typeof id !== 'string' || !DEPLOYMENT_ID.test(id)) {
    throw codeDeployErrors.make(
      'InvalidDeploymentIdException',
      `The deployment id ${JSON.stringify(id)} is not valid: it looks like d-XXXXXXXXX.`,
    );
  }
  const found = own(codeDeployOf(sb).deployments, id);
  if (!found) throw codeDeployErrors.deploymentMissing(id);
  return found;
}

export function newDeploymentId(sb: Sandbox): string {
  const deployments = codeDeployOf(sb).deployments;
  for (;;) {
    const id = `d-${sb.nextId().replaceAll('-', '').slice(0, 9).toUpperCase()}`;
    if (!own(deployments, id)) return id;
  }
}
