/**
 * Acting on the record validation verdict (src/domain/record-validation.ts): a record that does
 * not add up, on its own or against the alias, becomes RECORD_INVALID (exit 1) naming the tag and
 * how to clear it — `check`, `rollback`, `status` and deploy's preflight never act on it.
 */
import {
  type DeploymentRecord,
  describeClearRecordCommand,
  recordTagKey,
} from '../domain/deployment-record.js';
import { OperationError, PreflightError } from '../domain/errors.js';
import { AHEAD_OF_CLOCK, AHEAD_OF_SANDBOX_CLOCK } from '../domain/heartbeat-age.js';
import { findAliasMismatch, findRecordProblems } from '../domain/record-validation.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeAliasState, formatWeight } from './deploy-result.js';
import { isSplit } from './record-view.js';

export interface RecordTrustContext {
  functionName: string;
  alias: string;
  now: number;
  /** Extra way out, e.g. `pass --to <version> to roll back without it`. */
  otherwise?: string;
  /**
   * Said by `lshift status` itself, which shows the alias beside it: no advice to run
   * `lshift status` (it read "Look at the alias with `lshift status demo --alias live`").
   */
  inStatus?: true;
  /**
   * This run's clock follows a sandbox (Clock.followsSandbox, told by the shell): a time ahead
   * of it was written on another clock, and "set LSHIFT_SANDBOX" is no advice — it is set.
   */
  sandboxClock?: boolean;
}

/** What is wrong with the record (and, when given, against the alias), or undefined when nothing is. */
export function describeUntrustedRecord(
  record: DeploymentRecord,
  now: number,
  alias?: { functionVersion: string; additionalWeights: Record<string, number> },
): string | undefined {
  const problems = findRecordProblems(record, { now });
  const mismatch = alias ? findAliasMismatch(record, alias) : undefined;
  if (mismatch) problems.push(mismatch);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** RECORD_INVALID for a record that does not add up. */
export function untrustedRecordError(ctx: RecordTrustContext, problem: string): OperationError {
  const tag = `\`${recordTagKey(ctx.alias)}\` on function ${ctx.functionName}`;
  const clear = describeClearRecordCommand(ctx.functionName, ctx.alias);
  // A time ahead of this machine's clock is as often this machine's clock behind (found by a
  // hostile pass: a reader 3 h behind was told first to delete a live deployment's record).
  // Following a sandbox's clock, it is the record that was written on another one (found by a
  // hostile pass: told to set LSHIFT_SANDBOX with LSHIFT_SANDBOX set).
  const clock = !problem.includes(AHEAD_OF_CLOCK)
    ? ''
    : ctx.sandboxClock
      ? "lshift follows the sandbox's clock here (LSHIFT_SANDBOX or --sandbox), so the record was written on a clock ahead of it: by a command pointed at the sandbox another way (`--endpoint-url` runs on this machine's clock), or by hand. "
      : "First check this machine's clock (`date`, NTP): if it is behind, the record may be right — against lshift's sandbox, set LSHIFT_SANDBOX so lshift follows its clock. ";
  return new OperationError(
    'RECORD_INVALID',
    `The deployment record ${tag} does not add up, so lshift will not act on it: ${inClockWords(problem, ctx.sandboxClock)}.`,
    {
      hint:
        clock +
        (ctx.inStatus
          ? 'If no deployment is in progress (this status shows where the alias routes traffic), '
          : `Look at the alias with \`lshift status ${ctx.functionName} --alias ${ctx.alias}\`. If no deployment is in progress, `) +
        `delete the record with \`${clear}\`` +
        (ctx.otherwise ? `, or ${ctx.otherwise}.` : '.'),
      context: { functionName: ctx.functionName, alias: ctx.alias },
    },
  );
}

/**
 * The problem in the words of the clock this run follows: lshift following a sandbox's clock
 * compared the record's times with the sandbox's, not this machine's (the message said "ahead of
 * this machine's clock" while the hint said lshift follows the sandbox's; found by a docs audit).
 */
export function inClockWords(problem: string, sandboxClock: boolean | undefined): string {
  return sandboxClock ? problem.replaceAll(AHEAD_OF_CLOCK, AHEAD_OF_SANDBOX_CLOCK) : problem;
}

/** Throws RECORD_INVALID when the record does not add up; returns it otherwise. */
export function assertRecordTrusted(
  record: DeploymentRecord | undefined,
  ctx: RecordTrustContext,
  alias?: { functionVersion: string; additionalWeights: Record<string, number> },
): DeploymentRecord | undefined {
  if (!record) return undefined;
  const problem = describeUntrustedRecord(record, ctx.now, alias);
  if (problem) throw untrustedRecordError(ctx, problem);
  return record;
}

/**
 * The way out of a record that does not add up, for `lshift rollback`: `--to` acts on the alias
 * alone (a split alias: its primary version, named), and leaves the record as it is.
 */
export function describeRollbackWithoutRecord(
  functionName: string,
  aliasName: string,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> | undefined,
): string {
  if (!alias || !isSplit(alias.additionalWeights)) return 'pass --to <version> to roll back without it';
  return `pass --to to roll back without it (all traffic to the primary version: \`lshift rollback ${functionName} --alias ${aliasName} --to ${alias.functionVersion}\`)`;
}

/**
 * An unfinished lshift deployment whose alias routes traffic to a version it never wrote, with
 * nothing else wrong in its record: someone moved the alias (the console, `aws lambda
 * update-alias`). Not a record to delete (RECORD_INVALID told the user to untag it by hand, found
 * by a hostile pass over releases): `lshift rollback` without --to refuses to guess
 * (movedByHandRefusal), and with --to goes there and closes it. A CodeDeploy record keeps its
 * own rules (rollback.ts stops its deployment).
 */
export function isMovedByHand(
  record: DeploymentRecord,
  now: number,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): boolean {
  return record.engine !== 'codedeploy' && isOnForeignVersions(record, now, alias);
}

/**
 * isMovedByHand whatever its engine: a CodeDeploy record on a version it never wrote is refused
 * too (RECORD_INVALID: rollback-claim.ts claimWouldNotAddUp), untouched, and closed only by a
 * rollback --to, as a native one is (check-release-moved.ts).
 */
export function isOnForeignVersions(
  record: DeploymentRecord,
  now: number,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): boolean {
  return findRecordProblems(record, { now }).length === 0 && findAliasMismatch(record, alias) !== undefined;
}

/** NOTHING_TO_ROLL_BACK (exit 2) for isMovedByHand: the two commands that decide and close it. */
export function movedByHandRefusal(
  ctx: { functionName: string; alias: string },
  record: DeploymentRecord,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): PreflightError {
  const { functionName: fn, alias: name } = ctx;
  const split = isSplit(alias.additionalWeights);
  const routes = split ? describeAliasState(alias) : `all traffic to version ${alias.functionVersion}`;
  const back = `Put all traffic on its stable version ${record.stableVersion} and close the deployment: \`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\``;
  const main = alias.functionVersion;
  // A split whose main version is the stable one: `lshift alias … <stable>` is that same rollback,
  // offered as a second way out ("keep version 1") beside it (session 70). Split otherwise, the
  // alias command moves traffic too: not "keep".
  const other =
    main === record.stableVersion
      ? ''
      : split
        ? `; or put all traffic on version ${main}, its main version now, and close it: \`lshift alias ${fn} ${name} ${main}\``
        : `; or keep version ${main} and close it: \`lshift alias ${fn} ${name} ${main}\``;
  return new PreflightError(
    'NOTHING_TO_ROLL_BACK',
    `Alias ${name} of function ${fn} routes ${routes}, which deployment ${record.id} ` +
      `(version ${record.stableVersion} → ${record.targetVersion}, ${formatWeight(record.percent)} when last recorded) never wrote: ` +
      // Not only by hand: an `lshift rollback --to` stopped before it closed the record looks the same.
      'someone moved it (by hand, or with `lshift rollback --to`), so lshift will not guess where its traffic should go.',
    {
      hint: `${back}${other}.`,
      context: { functionName: fn, alias: name },
    },
  );
}
