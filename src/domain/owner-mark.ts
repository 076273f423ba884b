/**
 * The owner a person's or a cron host's run writes (`ann@laptop:41/3f9a1c2e`): who, where, which
 * process, and — after the `/` — a short token naming the machine and pid namespace the pid
 * belongs to (src/cli/machine-identity.ts). A hostname alone does not name one machine: two
 * containers started from one image, host-networked ones, or Kubernetes pods with a fixed
 * hostname share it while their pids live in different namespaces, so a pid that does not run
 * in one says nothing about the other. Records written before the token existed (and runs on
 * machines that cannot read it) have none: `ann@laptop:41`.
 */

/** The parts of an owner that names a process; undefined for a CI job's (`gha:org/repo/12`). */
export interface OwnerProcess {
  /** `ann@laptop`. */
  operator: string;
  pid: number;
  /** The machine token, or undefined when none was recorded. */
  machine: string | undefined;
}

/** The machine token is 8 lower-case hex digits (32 bits of a SHA-256): enough to tell containers apart. */
const PROCESS_OWNER = /^(?:check:|rollback:|wait:)?([^:@/]+@[^:/]+):(\d+)(?:\/([0-9a-f]{8}))?$/;

/** `user@host:pid`, with `/token` when this machine has one. */
export function formatProcessOwner(operator: string, pid: number, machine: string | undefined): string {
  return machine === undefined ? `${operator}:${pid}` : `${operator}:${pid}/${machine}`;
}

/**
 * The process an owner names, its `check:`/`rollback:` prefix ignored. A token cut short (the
 * record keeps at most 64 characters of an owner) matches nothing: no process named, so nobody
 * concludes from its pid.
 */
export function parseProcessOwner(owner: string): OwnerProcess | undefined {
  const match = PROCESS_OWNER.exec(owner);
  if (!match) return undefined;
  return { operator: match[1] as string, pid: Number(match[2]), machine: match[3] };
}

/**
 * Whether the pid `other` names lives in the same pid namespace as this process (`own`), so
 * that this machine's process table may be asked about it. The same user@host is required in
 * every case. Then:
 * - both carry a token: the tokens must be equal;
 * - only one carries a token: no — an older record, or a run where the token could not be read,
 *   cannot be placed, so its pid is not trusted (it waits for the stale limit);
 * - neither carries one: yes, as before tokens existed — user@host is all there is (macOS,
 *   Windows, a Linux without /proc), and is trusted to name one machine.
 */
export function isSamePidSpace(other: OwnerProcess, own: OwnerProcess): boolean {
  if (other.operator !== own.operator) return false;
  return other.machine === own.machine;
}

/**
 * The owner of a run in one GitHub job attempt (`gha:my-org/orders/9170337/2/check`): the
 * repository, the workflow run, the attempt (GITHUB_RUN_ATTEMPT: 1, then one more at each
 * re-run) and the job (GITHUB_JOB). A check writes it into its claims (cli/owner.ts), so two
 * jobs of one run, or a re-run of a killed check, are not taken for the same check.
 */
export interface GithubJobOwner {
  repository: string;
  runId: string;
  attempt: number;
  job: string;
}

const GITHUB_JOB_OWNER = /^(?:check:)?gha:(.+)\/(\d+)\/(\d+)\/([^/]+)$/;

export function formatGithubJobOwner(o: GithubJobOwner): string {
  return `gha:${o.repository}/${o.runId}/${o.attempt}/${o.job}`;
}

/** The job attempt a check's owner names, its `check:` prefix ignored; undefined for any other. */
export function parseGithubJobOwner(owner: string): GithubJobOwner | undefined {
  const match = GITHUB_JOB_OWNER.exec(owner);
  if (!match) return undefined;
  return {
    repository: match[1] as string,
    runId: match[2] as string,
    attempt: Number(match[3]),
    job: match[4] as string,
  };
}

/**
 * `other` is a run of an earlier attempt of `own`'s workflow run: that attempt has ended, since
 * GitHub re-runs a workflow run (a new attempt) only once it has completed. Its claim is nobody's.
 */
export function isEarlierAttempt(other: string, own: string | undefined): boolean {
  const theirs = parseGithubJobOwner(other);
  const ours = own === undefined ? undefined : parseGithubJobOwner(own);
  if (!theirs || !ours) return false;
  return (
    theirs.repository === ours.repository && theirs.runId === ours.runId && theirs.attempt < ours.attempt
  );
}
