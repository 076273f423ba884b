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
 * would roll the release back and leave the function meant alone).
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError, isLshiftError, PreflightError, UsageError } from '../domain/errors.js';
import { describeHeartbeatBrief, judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { describeSender, describeVerb } from '../domain/operator-command.js';
import { commandReaderOf, formatTarget, type ReleaseTarget } from '../domain/release-program.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
import { looksStale, watchRunner } from './operator-liveness.js';
import { type SendCommandDeps, type SendCommandResult, sendOperatorCommand } from './operator-send.js';
import { inClockWords } from './record-trust.js';
import { isEnded, isLiveRecord } from './record-view.js';
import { describeLeftPausedRelease, refuseReleaseRunnerGone } from './release-runner-gone.js';

/**
 * The verbs with a release form: abort rolls every function back; pause and resume hold or free
 * every hold; promote ends every function's current hold (promote-full: every remaining step).
 */
export type ReleaseVerb = 'abort' | 'pause' | 'resume' | 'promote' | 'promote-full';

export interface AbortReleaseRequest {
  releaseId: string;
  /** Default: abort. */
  verb?: ReleaseVerb;
  targets: ReleaseTarget[];
  by: string;
  reason?: string;
  /** How long to wait for the abort to be obeyed, then again for every function to end. */
  waitSeconds: number;
  pollSeconds?: number;
  staleAfterSeconds?: number;
  signal?: AbortSignal;
}

export interface ReleaseMemberState extends ReleaseTarget {
  /** The function's record as last read: its deployment and phase (absent: no record of this release). */
  deploymentId?: string;
  phase?: DeploymentPhase;
  /** Its record as last read, for how it ended (its abort's exit code: cli/abort-answer.ts); not in --json. */
  record?: DeploymentRecord;
  /** Why a named function is not part of the release, or could not be read. */
  note?: string;
}

export interface AbortReleaseResult {
  releaseId: string;
  /** The function whose record carried the abort, and how its deployment answered. */
  sent: SendCommandResult;
  /** Every named function as last read. */
  functions: ReleaseMemberState[];
  /** Every named function of the release had ended when the wait was over (the others are not read). */
  allEnded: boolean;
}

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
  refuseReleaseRunnerGone(deps, req, members);
  // None running by this machine's clock: the heartbeats are the runners' clocks, so watch them.
  if (!members.some((m) => isRunning(deps, req, m))) await watchMembers(deps, req, members);
  const pick = chooseRecipient(deps, req, read, members);
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

interface Read extends ReleaseTarget {
  record?: DeploymentRecord;
  error?: string;
  /** What the failed read threw, to tell a function that does not exist from an AWS failure. */
  thrown?: unknown;
  /** Its record changed while watched: its runner is alive, whatever its heartbeat's time says. */
  seenAlive?: boolean;
}

/**
 * A function whose alias holds no record: one more read tells a missing alias (a typo in -a)
 * from one with no deployment — ALIAS_NOT_FOUND (exit 2), as the single verbs say it
 * (operator-send.ts), not "no deployment record of release …" (found by a hostile pass:
 * `pause --release <id> demo -a nope`). Nothing is sent.
 */
async function refuseMissingAliases(deps: SendCommandDeps, read: Read[]): Promise<void> {
  const aliases = deps.aliases;
  if (!aliases) return;
  const unrecorded = read.filter((r) => !r.record && r.thrown === undefined);
  const found = await Promise.all(unrecorded.map((r) => aliases.getAlias(r.functionName, r.alias)));
  const missing = unrecorded.filter((_, i) => !found[i]);
  if (missing.length === 0) return;
  const what = missing.map((r) => `alias ${r.alias} of function ${r.functionName}`);
  const last = what.pop()!;
  const list = what.length === 0 ? last : `${what.join(', ')} and ${last}`;
  throw new PreflightError(
    'ALIAS_NOT_FOUND',
    `A${list.slice(1)} ${missing.length > 1 ? 'do' : 'does'} not exist; nothing was sent.`,
    {
      hint: 'Check the function names and --alias (or the aliases of the config file’s `functions:`).',
      context: { functionName: missing[0]!.functionName, alias: missing[0]!.alias },
    },
  );
}

function isRunning(deps: SendCommandDeps, req: AbortReleaseRequest, m: Read): boolean {
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const record = m.record!;
  if (isEnded(record) || record.phase === 'rolling-back') return false;
  return m.seenAlive === true || isLiveRecord(record, deps.clock.now(), staleMs);
}

/** Watches every member that looks stale, at once (operator-liveness.ts); updates those seen alive. */
async function watchMembers(deps: SendCommandDeps, req: AbortReleaseRequest, members: Read[]): Promise<void> {
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

async function readAll(deps: SendCommandDeps, req: AbortReleaseRequest): Promise<Read[]> {
  return Promise.all(
    req.targets.map(async (t): Promise<Read> => {
      try {
        return { ...t, record: await deps.store.read(t.functionName, t.alias) };
      } catch (error) {
        return { ...t, error: describeError(error), thrown: error };
      }
    }),
  );
}

/**
 * Every function named must be one of the release's: its record names the release. The records
 * are the only list of a release's functions, so "of the release" means that.
 */
function checkEveryNamedIsMember(req: AbortReleaseRequest, read: Read[], members: Read[]): void {
  const strangers = read.filter((r) => !members.includes(r));
  if (strangers.length === 0) return;
  const listed = strangers.map((r) => `${formatTarget(r)} (${describeStranger(req, r)})`).join(', ');
  const ofRelease = members.map((m) => formatTarget(m)).join(', ');
  const several = strangers.length > 1;
  throw new UsageError(
    'NOT_IN_RELEASE',
    `${listed} ${several ? 'are' : 'is'} not ${several ? 'functions' : 'a function'} of release ${req.releaseId}; of the functions named, ${ofRelease} ${members.length > 1 ? 'are' : 'is'}. Nothing was sent.`,
    {
      hint: `Correct or drop ${strangers.map((r) => r.functionName).join(', ')} (\`lshift status <functions…>\` shows the release each record names); the release's functions named here: ${members.map((m) => m.functionName).join(' ')}.`,
    },
  );
}

/** A record that could not be read for another reason than a missing function: that error (nothing sent). */
function throwUnreadable(read: Read[]): void {
  const failed = read.find((r) => r.thrown !== undefined && !isMissingFunction(r.thrown));
  if (failed) throw failed.thrown;
}

function isMissingFunction(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND';
}

function describeStranger(req: AbortReleaseRequest, r: Read): string {
  // The release's own title names its functions: one deleted since it started is no typo.
  if (r.thrown !== undefined) return 'no such function: mistyped, or deleted since the release started';
  return describeMember(req.releaseId)(r).note ?? 'not of the release';
}

function chooseRecipient(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  read: Read[],
  members: Read[],
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
function pausedOn(req: AbortReleaseRequest, running: Read[]): ReleaseTarget | undefined {
  if (req.verb !== 'resume' && req.verb !== 'pause') return undefined;
  return running.find((m) => m.record?.command?.verb === 'pause' && m.record.command.state === 'done');
}

/**
 * No function of the release has a runner to read the command: every unfinished one's heartbeat
 * is stale or from beyond the skew limit (heartbeat-age.ts), and its record did not change while
 * watched — the single verbs' rule and words (operator-refusals.ts), said of each function.
 */
function noRunner(deps: SendCommandDeps, req: AbortReleaseRequest, unfinished: Read[]): ConflictError {
  const now = deps.clock.now();
  const silent = unfinished
    .map(
      (m) =>
        `${formatTarget(m)} (${m.record!.phase}): ${inClockWords(describeHeartbeatBrief(m.record!.heartbeatAt, now), deps.clock.followsSandbox)}`,
    )
    .join('; ');
  const names = req.targets.map((t) => t.functionName).join(' ');
  // A heartbeat from the future is a record no command trusts: `rollback --release` refuses it
  // too (RECORD_INVALID); `lshift status` names the `--to` rollback that does not need it.
  const future = unfinished.some((m) => judgeHeartbeatAge(m.record!.heartbeatAt, now, Infinity) === 'future');
  const why = future
    ? ' (a heartbeat more than 5 minutes ahead, further than AWS lets two clocks differ, is no sign of a live runner: an edited tag or a wrong clock)'
    : '';
  const hint = future
    ? `See \`lshift status ${names}\`: it shows what is wrong with each record and, where an alias is split, the \`lshift rollback <function> --to <version>\` that puts it back without trusting the record.`
    : `Roll it back with \`lshift rollback --release ${req.releaseId} ${names}\`.`;
  return new ConflictError(
    'DEPLOYMENT_STALE',
    `Release ${req.releaseId} has no live runner: ${silent}${why}; no record changed while this command waited${future ? '' : ': its runner seems to have died'}, so nobody would read the command; nothing was sent.`,
    { hint },
  );
}

/** The release stopped running while the verb was on its way; nothing it could still do. */
function overtaken(req: AbortReleaseRequest, read: Read[]): UsageError {
  const verb = req.verb ?? 'abort';
  const ofRelease = read.filter((r) => r.record?.releaseId === req.releaseId);
  const rollingBack = ofRelease.some(
    (r) => r.record!.phase === 'rolling-back' || r.record!.phase === 'rolled-back',
  );
  const states = read.map(describeMember(req.releaseId)).map(describeState).join(', ');
  const abort = ofRelease
    .map((r) => r.record!.command)
    .find((c) => c?.verb === 'abort' && c.state === 'done');
  const by = abort
    ? ` (aborted by ${describeSender(abort.by)}${abort.reason ? `: ${abort.reason}` : ''})`
    : '';
  const what = rollingBack ? `was already rolling back${by}` : 'had already ended';
  const outcome = verb === 'abort' && rollingBack ? 'nothing more to do' : 'nothing was done';
  return new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    `Release ${req.releaseId} ${what} when this ${describeVerb(verb)} arrived (${states}): ${outcome}.`,
    {
      hint: `See how each function ended with \`lshift status ${req.targets.map((t) => t.functionName).join(' ')}\`.`,
    },
  );
}

/** After the abort was obeyed: every function of the release rolls back; wait (bounded) until all ended. */
async function awaitAllEnded(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  members: Read[],
): Promise<Read[]> {
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

function describeMember(releaseId: string) {
  return (r: Read): ReleaseMemberState => {
    const target = { functionName: r.functionName, alias: r.alias };
    if (r.error) return { ...target, note: `record unreadable: ${r.error}` };
    if (!r.record) return { ...target, note: 'no deployment record' };
    if (r.record.releaseId !== releaseId) {
      return {
        ...target,
        note: r.record.releaseId
          ? `its record belongs to release ${r.record.releaseId}`
          : 'its record names no release',
      };
    }
    return { ...target, deploymentId: r.record.id, phase: r.record.phase, record: r.record };
  };
}

function describeState(m: ReleaseMemberState): string {
  return m.phase ? `${m.functionName}:${m.alias} ${m.phase}` : `${m.functionName}:${m.alias}: ${m.note}`;
}
