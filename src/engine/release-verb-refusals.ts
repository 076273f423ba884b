/**
 * What a release verb refuses before it sends anything (release-abort.ts): a missing alias, a
 * named function that is not one of the release's, a record it could not read, a release with no
 * live runner; and, after, a release that stopped running while the verb was on its way.
 */
import { ConflictError, isLshiftError, PreflightError, UsageError } from '../domain/errors.js';
import { describeHeartbeatBrief, judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { describeSender, describeVerb } from '../domain/operator-command.js';
import { formatTarget } from '../domain/release-program.js';
import type { SendCommandDeps } from './operator-send.js';
import { inClockWords } from './record-trust.js';
import {
  type AbortReleaseRequest,
  describeMember,
  describeState,
  type MemberRead,
} from './release-members.js';

/**
 * A function whose alias holds no record: one more read tells a missing alias (a typo in -a)
 * from one with no deployment — ALIAS_NOT_FOUND (exit 2), as the single verbs say it
 * (operator-send.ts), not "no deployment record of release …" (found by a hostile pass:
 * `pause --release <id> demo -a nope`). Nothing is sent.
 */
export async function refuseMissingAliases(deps: SendCommandDeps, read: MemberRead[]): Promise<void> {
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

/**
 * Every function named must be one of the release's: its record names the release. The records
 * are the only list of a release's functions, so "of the release" means that.
 */
export function checkEveryNamedIsMember(
  req: AbortReleaseRequest,
  read: MemberRead[],
  members: MemberRead[],
): void {
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
export function throwUnreadable(read: MemberRead[]): void {
  const failed = read.find((r) => r.thrown !== undefined && !isMissingFunction(r.thrown));
  if (failed) throw failed.thrown;
}

function isMissingFunction(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND';
}

function describeStranger(req: AbortReleaseRequest, r: MemberRead): string {
  // The release's own title names its functions: one deleted since it started is no typo.
  if (r.thrown !== undefined) return 'no such function: mistyped, or deleted since the release started';
  return describeMember(req.releaseId)(r).note ?? 'not of the release';
}

/**
 * No function of the release has a runner to read the command: every unfinished one's heartbeat
 * is stale or from beyond the skew limit (heartbeat-age.ts), and its record did not change while
 * watched — the single verbs' rule and words (operator-refusals.ts), said of each function.
 */
export function noRunner(
  deps: SendCommandDeps,
  req: AbortReleaseRequest,
  unfinished: MemberRead[],
): ConflictError {
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
export function overtaken(req: AbortReleaseRequest, read: MemberRead[]): UsageError {
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
