/**
 * What `lshift promote | pause | resume` say about a deployment that runs but does not act on
 * them yet. A deployment obeys those at its health polls (holds, bakes: operator-control.ts); a
 * wait without a hold — its pre-traffic hooks, a step hook, the wait for provisioned concurrency
 * to be READY after a weight write — keeps such a command in the record (the heartbeats carry it
 * over) until the first poll after it. A verb whose --wait runs out first says so, and how to
 * have it obeyed: the same verb with a longer --wait. The post-traffic hooks come after the last
 * hold: a pause or promote sent then would never be obeyed. An `abort` is read while a hook runs
 * too (by the hook's heartbeat: shift-hooks.ts), and ends it: it is never busy for a hook — nor
 * for a wait for provisioned concurrency (after a weight write, `--warm`'s, a resume's at 100%),
 * whose beats read it too.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UsageError } from '../domain/errors.js';
import { describeVerb, type OperatorVerb } from '../domain/operator-command.js';
import { DEFAULT_STALE_AFTER_SECONDS, LONGEST_HEARTBEAT_GAP_SECONDS } from '../domain/poll-interval.js';
import { buildResumeCommand } from './deploy-result.js';

/**
 * The running deployment the command was sent to, as last read while waiting for its answer;
 * `now`: this sender's clock when the wait ended (epoch ms).
 */
export type Waited = {
  sentOn: DeploymentRecord;
  last: DeploymentRecord | undefined;
  now: number;
  /**
   * Its runner's pid, of this user on this machine, no longer runs here and its heartbeat did not
   * move while this waited (deadRunnerPid): killed (kill -9) before its heartbeat could look stale.
   * `placed`: its owner names this machine's token, so the pid is not another container's.
   */
  deadPid?: { pid: number; placed: boolean };
};

/**
 * The age in seconds of a heartbeat that did not change during the whole wait and is now older
 * than the stale limit: nobody writes the record, its runner seems to have stopped (a `kill -9`,
 * a lost CI machine). Undefined when it moved, or is younger: a live runner writes one at most
 * every 30 s at a poll, and a short --wait may see none.
 */
export function stoppedHeartbeatAge({ sentOn, last, now }: Waited): number | undefined {
  if (last?.id !== sentOn.id || last.heartbeatAt !== sentOn.heartbeatAt) return undefined;
  const ageMs = now - last.heartbeatAt;
  return ageMs >= DEFAULT_STALE_AFTER_SECONDS * 1000 ? Math.round(ageMs / 1000) : undefined;
}

/**
 * The runner has stopped, and the wait for its answer ends now rather than at --wait (found by a
 * hostile pass: an abort to a `kill -9`ed runner waited its whole 2 minutes): its heartbeat has not
 * moved since the command was written, is past the stale limit by this machine's clock, AND has
 * not moved for the longest gap between a live runner's heartbeats as this machine's own time
 * counts it (`unmovedMs`, since the command was written). The last is what keeps a live runner
 * whose clock is behind this one's: its heartbeat looks stale here between two of its beats, but
 * moves within that gap — so it still gets its command, answered whenever it reads it.
 */
export function hasRunnerStopped(waited: Waited, unmovedMs: number): boolean {
  return unmovedMs >= LONGEST_HEARTBEAT_GAP_SECONDS * 1000 && stoppedHeartbeatAge(waited) !== undefined;
}

/** Why it did not answer, as a clause to follow "did not answer `x` within N s" ('' when unknown). */
export function whyUnanswered(waited: Waited, verb?: OperatorVerb): string {
  const { sentOn, last } = waited;
  if (last?.id !== sentOn.id) return '';
  const age = stoppedHeartbeatAge(waited);
  if (age !== undefined) {
    return `: its heartbeat did not change while this waited and is ${age} s old, so its runner seems to have stopped (nobody reads the record)`;
  }
  if (waited.deadPid) return `: ${describeDeadRunner(waited.deadPid)}`;
  if (verb === 'abort') {
    // A hook's beats read an abort (shift-hooks.ts), and so do every wait's for provisioned
    // concurrency (shift-waits.ts) and the alarm reads before the first weight
    // (pre-shift-alarms.ts); a hung AWS call only beats.
    return last.heartbeatAt !== sentOn.heartbeatAt
      ? ': it runs (its heartbeat kept coming) but did not read it meanwhile: a deployment reads an abort within a poll interval at its health polls, during its hooks, during its waits for provisioned concurrency and while it reads its alarms again before its first weight, not while one AWS call hangs until its bound'
      : '';
  }
  if (last.phase === 'pre-hook') {
    return ': it is running its pre-traffic hooks, and obeys a pause, resume or promote only at the health polls that follow them';
  }
  if (last.heartbeatAt !== sentOn.heartbeatAt) {
    return ': it runs (its heartbeat kept coming) but obeyed no command meanwhile: it obeys a pause, resume or promote only at its health polls, and a step hook or the wait for provisioned concurrency to be READY has none';
  }
  return '';
}

/** The hint of an unanswered command: how to have it obeyed, when the deployment is known busy. */
export function unansweredHint(waited: Waited, target: HintTarget): string {
  const { functionName: fn, alias } = target;
  const status = `\`lshift status ${fn} --alias ${alias}\``;
  const { resume, rollback } = waysOut(waited.sentOn, target);
  if (waited.deadPid && stoppedHeartbeatAge(waited) === undefined) return deadRunnerHint(waited, target);
  if (stoppedHeartbeatAge(waited) !== undefined) {
    return target.verb === 'abort'
      ? `Roll it back without its runner with ${rollback} (what the abort would have done); ${status} shows it.`
      : `Nobody drives it: finish it with ${resume}, or roll it back with ${rollback}; ${status} shows it.`;
  }
  if (whyUnanswered(waited, target.verb) === '') {
    return target.verb === 'abort'
      ? `Look at the deployment with ${status}; a deploy reads an abort within a poll interval at its health polls, during its hooks and its waits: send it again with a longer --wait (at most 1h), or roll it back with ${rollback} if its runner is gone.`
      : `Look at the deployment with ${status}; a deploy obeys a pause, resume or promote at its health polls (holds and bakes), not during hooks.`;
  }
  const rest = waited.last?.phase === 'pre-hook' && target.verb !== 'abort' ? 'the hooks' : 'that wait';
  return `It would be obeyed at its first health poll after ${rest}: send it again with a --wait longer than what is left of ${rest} (at most 1h). ${status} shows the deployment.`;
}

/**
 * A runner killed on this machine before its heartbeat looked stale (the first 120 s): as `lshift
 * status` and `check` say it (check-classify.ts describeInProgress), not "did not answer" alone.
 */
function describeDeadRunner({ pid, placed }: { pid: number; placed: boolean }): string {
  const unless = placed ? '' : ', unless it runs in another container with this hostname';
  return `its runner's process ${pid} no longer runs on this machine${unless} and its heartbeat did not change while this waited, so nobody reads the record`;
}

/** The ways out of a deployment whose runner's pid is gone (whyUnanswered): as for a stale one, and when a check acts. */
function deadRunnerHint(waited: Waited, target: HintTarget): string {
  const { functionName: fn, alias } = target;
  const { resume, rollback } = waysOut(waited.sentOn, target);
  const check = `\`lshift check\` acts on it once its heartbeat is over ${DEFAULT_STALE_AFTER_SECONDS} s old`;
  const status = `\`lshift status ${fn} --alias ${alias}\` shows it`;
  return target.verb === 'abort'
    ? `Roll it back without its runner with ${rollback} (what the abort would have done); ${check}; ${status}.`
    : `Nobody drives it: finish it with ${resume}, or roll it back with ${rollback}; ${check}; ${status}.`;
}

type HintTarget = {
  functionName: string;
  alias: string;
  verb?: OperatorVerb;
  releaseFunctions?: readonly string[];
  releaseAliases?: readonly string[];
};

/**
 * Its resume and rollback. A function of a release is finished and undone with its release: the
 * functions the operator named with `--release`, or `lshift rollback --release r-…` naming none
 * (it finds each at its own alias) — never `<the other functions of release r-…>`.
 */
function waysOut(sentOn: DeploymentRecord, target: HintTarget): { resume: string; rollback: string } {
  const { functionName: fn, alias, releaseFunctions: names, releaseAliases: aliases } = target;
  const resume = buildResumeCommand(fn, alias, sentOn, names, aliases);
  if (sentOn.releaseId === undefined || sentOn.stagger)
    return { resume, rollback: `\`lshift rollback ${fn} --alias ${alias}\`` };
  return {
    resume,
    rollback: `\`lshift rollback --release ${sentOn.releaseId}${names ? ` ${names.join(' ')}` : ''}\``,
  };
}

/**
 * Refuses a pause, resume or promote to a deployment running its post-traffic hooks: they follow
 * its last hold, so nothing would obey it (sent, it would wait out --wait and be withdrawn). An
 * abort is sent: the hooks' heartbeat reads it, ends the running hook and rolls back. Not for a
 * function of a release: the release's command reader may be another function, still polling
 * (a staggered release), and release-abort.ts words the release's refusals itself.
 */
export function checkReadsCommands(
  record: DeploymentRecord,
  req: { functionName: string; alias: string; verb: OperatorVerb; release?: string },
): void {
  if (record.phase !== 'post-hook' || record.releaseId !== undefined || req.release !== undefined) return;
  if (req.verb === 'abort') return;
  const { functionName: fn, alias } = req;
  const hint = `Nothing is left to hold or skip: it ends when its post-traffic hooks do (\`lshift status ${fn} --alias ${alias}\`); \`lshift abort ${fn} --alias ${alias}\` ends them and rolls back.`;
  throw new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    `Deployment ${record.id} on alias ${alias} of function ${fn} is running its post-traffic hooks, with all traffic on version ${record.targetVersion}: they follow its last hold, so there is nothing left to pause or promote (\`${describeVerb(req.verb)}\` was not sent).`,
    { hint, context: { functionName: fn, alias } },
  );
}
