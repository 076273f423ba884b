/**
 * `lshift abort --release <id> fnA fnB …` (issue 13): stop a running release, whichever runner
 * drives it. A release has one verdict, so one function's abort is the release's: the command is
 * written to one record of the release — its command reader (commandReaderOf: the first running
 * function by name, whose runner reads that record at every poll, so the abort is obeyed within
 * a poll, not a 60 s heartbeat) — its hold fails with the operator's reason,
 * and the release rolls every function back as after any failure. Writing it to every record would
 * only race: once the first is obeyed the others end before they read theirs.
 *
 * `lshift pause --release` / `resume --release` travel the same way: the function that obeys
 * holds or frees every function's hold (OperatorControl.shareReleaseControl), each still watched.
 *
 * Refused before any write: no named function's record belongs to the release, or none of them
 * runs (ended, rolling back already, or stale — a heartbeat that looks stale by this clock is
 * watched first: use `lshift rollback --release`), or one named
 * function is not part of it (NOT_IN_RELEASE: a typo in the list is not half-acted on — an abort
 * would roll the release back and leave the function meant alone). The request and result and the
 * records' reads: release-members.ts; the refusals: release-verb-refusals.ts.
 */
import { isLshiftError, UsageError } from '../domain/errors.js';
import { commandReaderOf, type ReleaseTarget } from '../domain/release-program.js';
import { looksStale, watchRunner } from './operator-liveness.js';
import { type SendCommandDeps, sendOperatorCommand } from './operator-send.js';
import { isEnded } from './record-view.js';
import {
  type AbortReleaseRequest,
  type AbortReleaseResult,
  describeMember,
  describeState,
  isRunning,
  type MemberRead,
  readAll,
} from './release-members.js';
import { describeLeftPausedRelease, refuseReleaseRunnerGone } from './release-runner-gone.js';
import {
  checkEveryNamedIsMember,
  noRunner,
  overtaken,
  refuseMissingAliases,
  throwUnreadable,
} from './release-verb-refusals.js';
import { staleOverSplit } from './stale-over-split.js';

export async function abortRelease(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
): Promise<AbortReleaseResult> {
  const verb = req.verb ?? 'abort';
  const read = await readAll(deps, req);
  await refuseMissingAliases(deps, read);
  const members = read.filter((r) => r.record?.releaseId === req.releaseId);
  // A record that could not be read (a network error, access denied) is that error, members read
  // or not: with none read it said RELEASE_NOT_FOUND, exit 2, of a running release (hostile pass, s64).
  throwUnreadable(read);
  if (members.length > 0) checkEveryNamedIsMember(req, read, members);
  let pick: ReleaseTarget;
  try {
    refuseReleaseRunnerGone(deps, req, members);
    // None running by this machine's clock: the heartbeats are the runners' clocks, so watch them.
    if (!members.some((m) => isRunning(deps, req, m))) await watchMembers(deps, req, members);
    pick = chooseRecipient(deps, req, read, members);
  } catch (error) {
    // Nobody to read it over a split: exit 4 (stale-over-split.ts).
    throw await staleOverSplit(deps.aliases, members, error);
  }
  const sent = await sendOperatorCommand(deps, {
    functionName: pick.functionName,
    alias: pick.alias,
    verb,
    release: req.releaseId,
    by: req.by,
    ...(req.reason === undefined ? {} : { reason: req.reason }),
    waitSeconds: req.waitSeconds,
    pollSeconds: req.pollSeconds,
    staleAfterSeconds: req.staleAfterSeconds,
    releaseFunctions: req.targets.map((t) => t.functionName),
    releaseAliases: req.targets.map((t) => t.alias),
    runnerSeenAlive: members.some(
      (m) => m.seenAlive && m.functionName === pick.functionName && m.alias === pick.alias,
    ),
    signal: req.signal,
  }).catch(async (error: unknown) => {
    // The recipient ended between the reads and the command's (another operator's abort, or the
    // release's own failure, got there first): said of the release, not of one function.
    if (!isLshiftError(error) || error.code !== 'NO_RUNNING_DEPLOYMENT') throw error;
    throw overtaken(req, await readAll(deps, req));
  });
  const last =
    sent.answer === 'done' && verb === 'abort'
      ? await awaitAllEnded(deps, req, members)
      : await readAll(deps, req);
  const functions = last.map(describeMember(req.releaseId));
  const ofRelease = last.filter((r) => r.record?.releaseId === req.releaseId);
  return {
    releaseId: req.releaseId,
    sent,
    functions,
    allEnded: ofRelease.every((r) => r.record && isEnded(r.record)),
  };
}

/** Watches every member that looks stale, at once (operator-liveness.ts); updates those seen alive. */
async function watchMembers(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  members: MemberRead[],
): Promise<void> {
  await Promise.all(
    members.map(async (m) => {
      if (!looksStale(deps, req, m.record!)) return;
      const seen = await watchRunner(
        deps,
        { ...req, functionName: m.functionName, alias: m.alias },
        m.record!,
      );
      if (seen.seenAlive) Object.assign(m, { record: seen.record, seenAlive: true });
    }),
  );
}

function chooseRecipient(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  read: MemberRead[],
  members: MemberRead[],
): ReleaseTarget {
  const states = read.map(describeMember(req.releaseId)).map(describeState).join(', ');
  if (members.length === 0) {
    // The code `rollback --release` gives a release id no function named carries: one answer to one mistake.
    throw new UsageError(
      'RELEASE_NOT_FOUND',
      `None of the functions named has a deployment record of release ${req.releaseId} (${states}).`,
      {
        hint: 'Name the functions of the release (`lshift status <functions…>` shows which release each record names).',
      },
    );
  }
  const running = members.filter((m) => isRunning(deps, req, m));
  const reader = pausedOn(req, running) ?? commandReaderOf(running);
  if (reader) return reader;
  const unfinished = members.filter((m) => !isEnded(m.record!) && m.record!.phase !== 'rolling-back');
  if (unfinished.length > 0) throw noRunner(deps, req, unfinished);
  throw new UsageError('NO_RUNNING_DEPLOYMENT', `Release ${req.releaseId} is not running (${states}).`, {
    hint:
      describeLeftPausedRelease(req, members) ??
      `\`lshift ${req.verb ?? 'abort'} --release\` acts on a release while it runs; see \`lshift status ${req.targets.map((t) => t.functionName).join(' ')}\`.`,
  });
}

/**
 * The function whose record carries the release's obeyed pause (the reader the pause went to),
 * for a `resume` or another `pause`: the others' records do not say it, and naming only them
 * read "not paused" of a paused release (found by a hostile pass). Any runner applies a resume
 * to the whole release (operator-control.ts shareReleaseControl).
 */
function pausedOn(req: AbortReleaseRequest, running: MemberRead[]): ReleaseTarget | undefined {
  if (req.verb !== 'resume' && req.verb !== 'pause') return undefined;
  return running.find((m) => m.record?.command?.verb === 'pause' && m.record.command.state === 'done');
}

/** After the abort was obeyed: every function of the release rolls back; wait (bounded) until all ended. */
async function awaitAllEnded(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  members: MemberRead[],
): Promise<MemberRead[]> {
  const deadline = deps.clock.elapsedMs() + req.waitSeconds * 1000;
  const pollMs = (req.pollSeconds ?? 2) * 1000;
  let read = await readAll(deps, req);
  const ended = () =>
    read
      .filter((r) => members.some((m) => m.functionName === r.functionName && m.alias === r.alias))
      .every((r) => r.record === undefined || r.record.releaseId !== req.releaseId || isEnded(r.record));
  while (!ended() && deps.clock.elapsedMs() < deadline) {
    await deps.clock.sleep(Math.min(pollMs, Math.max(1, deadline - deps.clock.elapsedMs())));
    read = await readAll(deps, req);
  }
  return read;
}
