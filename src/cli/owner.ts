/** Who runs a deployment, as recorded on the function: the CI job when there is one, else user@host:pid. */
import { hostname, userInfo } from 'node:os';

export function describeOwner(env: NodeJS.ProcessEnv = process.env): string {
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
  return `${user}@${hostname()}:${process.pid}`;
}
