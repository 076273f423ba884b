/** Who runs a deployment, as recorded on the function: the CI job when there is one, else user@host:pid/machine. */
import { hostname, userInfo } from 'node:os';
import { formatProcessOwner } from '../domain/owner-mark.js';
import { machineToken } from './machine-identity.js';

export function describeOwner(
  env: NodeJS.ProcessEnv = process.env,
  /** Injected by tests (another machine, or one without /proc). */
  readMachine: () => string | undefined = machineToken,
): string {
  if (env.GITHUB_ACTIONS && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return `gha:${env.GITHUB_REPOSITORY}/${env.GITHUB_RUN_ID}`;
  }
  if (env.GITLAB_CI && env.CI_PROJECT_PATH && env.CI_JOB_ID)
    return `gitlab:${env.CI_PROJECT_PATH}/${env.CI_JOB_ID}`;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return formatProcessOwner(`${user}@${hostname()}`, process.pid, readMachine());
}
