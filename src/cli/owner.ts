/** Who runs a deployment, as recorded on the function: the CI job when there is one, else user@host:pid/machine. */
import { hostname, userInfo } from 'node:os';
import { formatGithubJobOwner, formatProcessOwner } from '../domain/owner-mark.js';
import { machineToken } from './machine-identity.js';

/**
 * The process a run's owner names (`ann@laptop:41/3f9a1c2e`'s 41). Another lshift judges that
 * owner alive by asking this machine's process table about the pid (local-processes.ts), and
 * calls a dead one's deployment abandoned: so the pid is the run's life, and it must be a process
 * that lives exactly as long as the run. A started CLI hosts one run: its own process, always.
 * A host that runs several commands in one process (the tests' in-process runner,
 * test/helpers/run-cli-in-process.ts) must not let them share it — its pid outlives every run,
 * so no run of it could ever be seen dead, and each would take another's claim for its own —
 * and names a process of each run's own instead (docs/architecture.md, "A run's owner process").
 */
let hostedPid: (() => number) | undefined;

/** The pid this run's owner names: this process's unless a host named another (hostRunOwner). */
export function ownerPid(): number {
  return hostedPid?.() ?? process.pid;
}

/**
 * For a host of several runs in one process: where the run about to start finds the pid of a
 * process that lives as long as it does (asked each time an owner is described, so a host can
 * start that process only for a run that names its owner); undefined again once the run ended.
 * The CLI never calls it.
 */
export function hostRunOwner(pid: (() => number) | undefined): void {
  hostedPid = pid;
}

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
  return formatProcessOwner(`${user}@${hostname()}`, ownerPid(), readMachine());
}

/**
 * Who runs a check, written into the records it claims (check-claim.ts): in GitHub Actions its
 * job attempt (`gha:my-org/orders/9170337/2/check`), not only its workflow run. Every check of one
 * run shared `gha:<repo>/<run id>`: a re-run of a killed check took its claim for a live rival's
 * ("another check is acting", exit 0) until --stale-after, and two jobs of one run each took the
 * other's claim for its own. An earlier attempt's claim is finished at once (owner-kinds.ts).
 */
export function describeCheckRunner(
  env: NodeJS.ProcessEnv = process.env,
  readMachine: () => string | undefined = machineToken,
): string {
  const attempt = Number(env.GITHUB_RUN_ATTEMPT);
  if (
    env.GITHUB_ACTIONS &&
    env.GITHUB_REPOSITORY &&
    env.GITHUB_RUN_ID &&
    env.GITHUB_JOB &&
    Number.isInteger(attempt) &&
    attempt > 0
  ) {
    return formatGithubJobOwner({
      repository: env.GITHUB_REPOSITORY,
      runId: env.GITHUB_RUN_ID,
      attempt,
      job: env.GITHUB_JOB,
    });
  }
  return describeOwner(env, readMachine);
}
