/**
 * `lshift abort | pause | resume | promote --release` to a release whose runner was killed here
 * (release-abort.ts): refused at once, nothing sent.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import { formatTarget, type ReleaseTarget } from '../domain/release-program.js';
import { buildResumeCommand } from './deploy-result.js';
import type { SendCommandDeps } from './operator-send-types.js';
import { checkOwner, deadPidHere } from './owner-kinds.js';
import { isEnded } from './record-view.js';
import { isLeftPaused, isRunnerKnownGone } from './status-stalled.js';

/**
 * The release's one runner is known gone — its pid no longer runs on this machine, its owner
 * carries this machine's token (status-stalled.ts isRunnerKnownGone) — so nobody reads a command:
 * refused at once, as the single verbs are (operator-refusals.ts refuseKnownGoneRunner). Sent, a
 * pause waited ~90 s to exit 1, and an abort watched as long to say DEPLOYMENT_STALE (found by a
 * hostile pass). Every unfinished function's runner must be gone: one a check or another runner
 * took is left to the watch.
 */
export function refuseReleaseRunnerGone(
  deps: Pick<SendCommandDeps, 'processes'>,
  req: { releaseId: string; verb?: string; targets: readonly ReleaseTarget[]; by: string },
  members: readonly (ReleaseTarget & { record?: DeploymentRecord })[],
): void {
  const unfinished = members.filter((m) => !isEnded(m.record!) && m.record!.phase !== 'rolling-back');
  const pids = unfinished.map((m) => {
    const pid = deadPidHere(m.record!.owner, checkOwner(req.by), deps.processes);
    return isRunnerKnownGone(m.record!, pid) ? pid : undefined;
  });
  const first = unfinished[0];
  if (!first || pids.some((pid) => pid === undefined)) return;
  // Naming no function: it finds every function of the release at its own alias. Named as given,
  // `abort --release R fa` offered a rollback of fa alone, the abort would have undone them all
  // (found by a hostile pass).
  const rollback = `\`lshift rollback --release ${req.releaseId}\``;
  // A function someone is rolling back (a person's or a check's claim) is theirs: a resume of it
  // is refused (DEPLOYMENT_IN_PROGRESS; found by a hostile pass), so only the rollback is offered.
  const taken = members.filter((m) => m.record?.phase === 'rolling-back');
  // Named some of the release's functions only (`pause --release R fb`): a resume of those alone
  // is refused as copied (CONFLICTING_FLAGS), so it names every one its record keeps (`rf=`),
  // their aliases then not all known (h3 F6, session 62).
  // Without `rf=` (only `rz=`: the names did not fit) every function given is named before the
  // placeholder: `resume --release R fn-long-01 fn-long-02` offered `lshift deploy fn-long-01
  // <the other functions of release R>`, fn-long-02 dropped (found by a hostile pass, session 63).
  // (A CodeDeploy record's way out names one function: `lshift wait`, or its rollback.)
  const resume = buildReleaseResume(req.targets, first);
  const states = [...unfinished, ...taken]
    .map(
      (m) =>
        `${formatTarget(m)} (${m.record!.phase}${m.record!.phase === 'rolling-back' ? ` by ${m.record!.owner}` : ''})`,
    )
    .join(', ');
  const processes = [...new Set(pids)].join(', ');
  throw new ConflictError(
    'DEPLOYMENT_STALE',
    `Release ${req.releaseId} has no runner: its process ${processes} no longer runs on this machine (${states}), so nobody would read the command; nothing was sent.`,
    {
      hint:
        (req.verb ?? 'abort') === 'abort'
          ? `Roll it back without its runner with ${rollback} (what the abort would have done).`
          : taken.length > 0
            ? `${taken.map(formatTarget).join(', ')} ${taken.length === 1 ? 'is' : 'are'} being rolled back by someone else: undo the rest of it with ${rollback}.`
            : `Finish it with ${resume}, or undo it with ${rollback}.`,
      context: { functionName: first.functionName, alias: first.alias },
    },
  );
}

/**
 * The resume of a release one of whose unfinished functions is `first`, from the functions named
 * (`targets`): every function its record keeps when those are only part of the release.
 */
export function buildReleaseResume(
  targets: readonly ReleaseTarget[],
  first: ReleaseTarget & { record?: DeploymentRecord },
): string {
  const names = targets.map((t) => t.functionName);
  const one = first.record!.releaseFunctions !== undefined || first.record!.engine === 'codedeploy';
  const given = one ? first.functionName : [...new Set(names)].join(' ');
  return namesPart(names, first.record!)
    ? buildResumeCommand(given, first.alias, first.record!)
    : buildResumeCommand(
        first.functionName,
        first.alias,
        first.record!,
        names,
        targets.map((t) => t.alias),
      );
}

/**
 * A release left `paused` by its runner, which exited (`--on-interrupt leave`, a move by hand):
 * nobody reads a command, so `lshift abort|pause|resume|promote --release` refuses it
 * (NO_RUNNING_DEPLOYMENT) with the ways out, as the single verbs do (operator-refusals.ts). It
 * said only "see `lshift status …`", which said "all paused", exit 0 (found by a hostile pass,
 * session 64). Undefined when no function of it was left paused.
 */
export function describeLeftPausedRelease(
  req: { releaseId: string; verb?: string; targets: readonly ReleaseTarget[] },
  members: readonly (ReleaseTarget & { record?: DeploymentRecord })[],
): string | undefined {
  const paused = members.find((m) => m.record && isLeftPaused(m.record));
  if (!paused) return undefined;
  const resume = buildReleaseResume(req.targets, paused);
  const rollback = `\`lshift rollback --release ${req.releaseId}\``;
  const finds = 'naming no function, it finds each function of the release at its own alias by its record';
  const left = `${formatTarget(paused)} was left paused and no process runs the release`;
  return (req.verb ?? 'abort') === 'abort'
    ? `${left}: roll it back with ${rollback} (what the abort would have done; ${finds}), or continue it with ${resume}.`
    : `${left}: continue it with ${resume}, or undo it with ${rollback} (${finds}).`;
}

/**
 * The names given are only part of the release, as its record says (`rz=`, `rf=`): the resume
 * then names every function the record keeps, or says the others are not known here.
 */
function namesPart(names: readonly string[], record: DeploymentRecord): boolean {
  const size = record.releaseFunctions?.length ?? record.releaseSize;
  return size !== undefined && size > new Set(names).size;
}
