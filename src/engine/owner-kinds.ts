/**
 * Who owns a deployment record, read from its owner mark: a check's claim (`check:`), a person's
 * `lshift rollback` (`rollback:`), a `lshift wait` (`wait:`), or a deploy runner (no prefix) —
 * and, for an owner in this process's pid namespace, whether its process still runs here.
 * `lshift check` (check-classify.ts), `status`, `rollback` and the verbs go by these.
 */
import { type DeploymentRecord, recordableOwner } from '../domain/deployment-record.js';
import {
  isEarlierAttempt,
  isSamePidSpace,
  parseGithubJobOwner,
  parseProcessOwner,
} from '../domain/owner-mark.js';
import type { LocalProcesses } from '../ports/local-processes.js';

/**
 * The owner a check writes into the records it claims (check-claim.ts): `check:` and who runs
 * it, as the record stores it (so reading its claim back finds it its own).
 */
export function checkOwner(who: string): string {
  return recordableOwner(`check:${who}`);
}

export function isCheckOwner(owner: string): boolean {
  return owner.startsWith('check:');
}

/**
 * A rollback left by a check, a person's `lshift rollback` (seen by a check) or a deploy runner's
 * own rollback (its owner without a prefix, `cron@host-a:41`) — of this user on this machine (`check:cron@host-a:41`, seen by
 * `check:cron@host-a:97` or by a person's `rollback:cron@host-a:97`) whose pid no longer runs
 * here: it was killed (kill -9, the OOM killer, a second signal) mid-rollback and nobody finishes
 * it, so it is finished now rather than after --stale-after plus the clock skew, with the alias
 * split meanwhile. One without a pid (a CI job), from another machine or user, or whose pid runs
 * (maybe reused by another process) is left to the stale limit. Like isOwnEarlierRun for
 * `lshift rollback`, it trusts `user@host` to name one machine. A check's claim from an earlier
 * attempt of this check's GitHub workflow run is dead too (isEarlierAttempt): that attempt ended.
 */
export function isDeadRollbackHere(
  other: string,
  own: string | undefined,
  processes?: LocalProcesses,
): boolean {
  return deadPidHere(other, own, processes) !== undefined || isEarlierAttempt(other, own);
}

/**
 * The pid of `other` — a check's or a person's claim, or a deploy runner (`cron@host-a:41/3f9a1c2e`)
 * — when it is this user's in this process's pid namespace (the same `user@host` and machine token
 * as `own`, a check's or a person's rollback: isSamePidSpace says when a missing token still
 * counts) and no longer runs here; undefined otherwise (no pid, another machine, container or
 * user, or a pid that runs: maybe reused by another process, which only makes the caller wait).
 *
 * Why the process's start time (/proc/<pid>/stat) is not compared: the owner records no start
 * time, and a reused pid only ever looks alive — the safe way to be wrong. What the pid cannot
 * tell, where no token was recorded, is a runner in another container with this hostname: so a
 * shifting runner's dead pid counts only once its heartbeat is stale too (isAbandoned).
 */
export function deadPidHere(
  other: string,
  own: string | undefined,
  processes?: LocalProcesses,
): number | undefined {
  const here = pidHere(other, own, processes);
  return here && !here.running ? here.pid : undefined;
}

/**
 * The pid of `other` when it is this user's in this process's pid namespace (as deadPidHere) and
 * still runs here: a runner alive (or its pid reused by another program) whose record is stale —
 * its record writes fail (TagResource throttled or refused), or it is hung. `lshift status` and
 * `check` called it dead ("its runner seems to have died", "no live owner") while it ran (found by
 * a hostile pass). Only words: what acts on a stale record goes by the heartbeat, as before.
 */
export function livePidHere(
  other: string,
  own: string | undefined,
  processes?: LocalProcesses,
): number | undefined {
  const here = pidHere(other, own, processes);
  return here?.running ? here.pid : undefined;
}

/**
 * How a stale record's runner whose pid still runs here is described (livePidHere): it runs, but
 * its record has not been written for `age`. A runner rolls back by itself once its record has
 * gone unwritten for the stale limit (hold-record-lag.ts, lagTooLong): one past that is about
 * to, or hung, or the pid is another program's now.
 */
export function describeLiveUnwritten(
  pid: number,
  age: string,
  engine?: DeploymentRecord['engine'],
  owner?: string,
  phase?: DeploymentRecord['phase'],
): string {
  const unwritten = `its process ${pid} still runs on this machine, but its record has not been written for ${age}`;
  // Under CodeDeploy the shift is CodeDeploy's: its follower does not roll back for its record.
  if (engine === 'codedeploy')
    return `${unwritten}: its record writes fail, or it is hung (or process ${pid} is another program now)`;
  // A person's `lshift rollback` or a check's claim is itself the rollback, not a deploy runner
  // that rolls back when its record goes unwritten: it said "it rolls back by itself soon (at a
  // health poll …)" of a rollback whose reads hung after its claim (h1, session 70).
  if (owner !== undefined && (isRollbackOwner(owner) || isCheckOwner(owner)))
    return `${unwritten}: that rollback (no deploy runner) moves the alias itself and closes the record as it ends, and each of its AWS calls and hooks gives up within a bounded time, so it ends by itself soon (the alias put back, or saying why not); if it does not, it is hung (or process ${pid} is another program now)`;
  // A runner's own `rolling-back` record: it is already rolling back, not about to at a health
  // poll (its record lagging past the limit starts a rollback it is already in; h4, session 70).
  if (phase === 'rolling-back')
    return `${unwritten}: that deploy runner is already rolling back; it moves the alias back itself and closes the record as it ends, and each of its AWS calls and hooks gives up within a bounded time, so it ends by itself soon (the alias put back, or saying why not); if it does not, it is hung (or process ${pid} is another program now)`;
  return `${unwritten}: lshift rolls back a deployment whose record it cannot write for the stale limit, so it rolls back by itself soon (at a health poll, once a hung call gives up); if it does not, it is hung (or process ${pid} is another program now)`;
}

function pidHere(
  other: string,
  own: string | undefined,
  processes?: LocalProcesses,
): { pid: number; running: boolean } | undefined {
  if (own === undefined || processes === undefined || other === own) return undefined;
  if (!(isCheckOwner(own) || isRollbackOwner(own))) return undefined;
  // A person's dead claim (`rollback:`) is another person's rollback's to take over through
  // isOwnEarlierRun; a check finishes it at once. It left it for the stale limit, reporting
  // "being rolled back by rollback:…" (exit 0) for 3 minutes while the alias stayed split and
  // nobody ran (found by a hostile pass; docs/ci.md said "at once").
  if (isRollbackOwner(other) && isRollbackOwner(own)) return undefined;
  const theirs = parseProcessOwner(other);
  const ours = parseProcessOwner(own);
  if (!theirs || !ours || !isSamePidSpace(theirs, ours)) return undefined;
  return { pid: theirs.pid, running: processes.isRunning(theirs.pid) };
}

/** `its GitHub job attempt 1 has ended (this check runs attempt 2 of run 9170337)`, when isEarlierAttempt. */
export function describeEndedAttempt(other: string, own: string | undefined): string | undefined {
  const theirs = parseGithubJobOwner(other);
  const ours = own === undefined ? undefined : parseGithubJobOwner(own);
  if (!theirs || !ours || !isEarlierAttempt(other, own)) return undefined;
  return `its GitHub job attempt ${theirs.attempt} has ended (this check runs attempt ${ours.attempt} of run ${ours.runId})`;
}

/** The pid of a claim or runner isDeadRollbackHere found dead, for the words that say why it was taken over. */
export function deadRollbackPid(
  record: DeploymentRecord,
  opts: { owner?: string; processes?: LocalProcesses },
): string | undefined {
  const pid = deadPidHere(record.owner, opts.owner, opts.processes);
  return pid === undefined ? undefined : String(pid);
}

/**
 * The owner a person's `lshift rollback` (one function or `--release`) writes into the records
 * it claims: `rollback:` and who runs it. The prefix tells its claim from a deploy runner's own
 * `rolling-back` mark (the runner's owner, no prefix), so another person's rollback waits for
 * the one but takes over the other (check-mates.ts).
 */
export function rollbackOwner(who: string): string {
  return recordableOwner(`rollback:${who}`);
}

/**
 * The owner `lshift wait` writes into the record of a deployment CodeDeploy started after its run
 * had ended, which it claims and follows (follow-late-start.ts): `wait:` and who runs it, so that
 * `check` and `status` can say a wait follows it rather than offer one.
 */
export function waitOwner(who: string): string {
  return recordableOwner(`wait:${who}`);
}

export function isWaitOwner(owner: string): boolean {
  return owner.startsWith('wait:');
}

export function isRollbackOwner(owner: string): boolean {
  return owner.startsWith('rollback:');
}

/**
 * The same person on the same machine (`rollback:ann@laptop:41` and `rollback:ann@laptop:97`):
 * a claim left by an earlier run that was interrupted, not a rival. A CI job's owner has no pid:
 * the same job only. The machine token (`/3f9a1c2e`) is not compared here: it says where a pid
 * can be asked about (isOwnEarlierRun), not who the person is.
 */
export function isSameOperator(a: string, b: string): boolean {
  if (!isRollbackOwner(a) || !isRollbackOwner(b)) return false;
  const operator = (owner: string) => parseProcessOwner(owner)?.operator ?? owner;
  return operator(a) === operator(b);
}

/**
 * A claim this person's own earlier run left (Ctrl-C'd, killed), not a rival: the same operator,
 * in this process's pid namespace (isSamePidSpace) — and, when this machine's processes can be
 * asked, a pid that no longer runs. The same person in a second terminal has the same
 * `user@host` and a pid that still runs: that one is rolling back now, and is waited for like any
 * other claimer; so is one in another container with this hostname (another machine token).
 */
export function isOwnEarlierRun(other: string, own: string, processes?: LocalProcesses): boolean {
  if (!isSameOperator(other, own)) return false;
  const theirs = parseProcessOwner(other);
  // No pid (a CI job): isSameOperator found the very same job.
  if (theirs === undefined) return true;
  const ours = parseProcessOwner(own);
  if (ours === undefined || !isSamePidSpace(theirs, ours)) return false;
  return processes?.isRunning(theirs.pid) !== true;
}
