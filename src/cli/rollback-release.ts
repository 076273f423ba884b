/**
 * What `lshift rollback --release` (commands/rollback.ts) says and refuses around the engine's
 * release rollback (release-rollback-claim.ts): its flags checked, the release's functions found
 * when none is named (release-members-found.ts), the watch a second Ctrl-C reads while that
 * listing runs, and the lines of its result.
 */
import { isReleaseId } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import { OperationError, UsageError } from '../domain/errors.js';
import { describeAliasState } from '../engine/deploy-result.js';
import type { LeftSplitError } from '../engine/release-errors-split.js';
import { findReleaseMembers } from '../engine/release-members-found.js';
import type { ClaimedReleaseRollbackResult } from '../engine/release-rollback-claim.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { AliasWatch } from './alias-watch.js';
import {
  describeReleaseRollbackHeadline,
  describeSkippedMember,
  describeUnnamedMembers,
} from './describe-release-rollback.js';
import { describeByOther, describeRollback } from './describe-rollback.js';

/** --to has no meaning for a release; a release id has one shape. */
export function refuseReleaseFlags(releaseId: string, to: string | undefined): void {
  if (to !== undefined) {
    throw new UsageError('CONFLICTING_FLAGS', '--to and --release cannot be combined.', {
      hint: 'A release goes back to each function’s own stable version; use --to on one function.',
    });
  }
  if (!isReleaseId(releaseId)) {
    throw new UsageError(
      'INVALID_FLAG',
      `--release must be a release id like r-k3j9x2, not "${echoInput(releaseId)}".`,
      {
        hint: 'The release id is in the deploy’s output and in `lshift status <function>`.',
      },
    );
  }
}

/**
 * What a second signal says while the functions in reach are listed (none named): nothing was
 * written yet, nothing may be split (not exit 4).
 */
export function listingWatch(fix: string): AliasWatch {
  return {
    sink: { emit: () => {} },
    touched: () => false,
    describe: () => ['Nothing was rolled back: it was still listing the functions in reach.', `Fix: ${fix}`],
  };
}

/** How a finder's words name the command that runs it (`rollback`, or an operator verb's `abort`). */
export interface FinderWords {
  /** The command as typed: `rollback`, `abort`, `pause`… */
  verb: string;
  /** What an interrupted listing left undone: `nothing was rolled back`. */
  nothing: string;
}

const ROLLBACK_WORDS: FinderWords = { verb: 'rollback', nothing: 'nothing was rolled back' };

/**
 * None named: the records in reach name the release's functions, or the command is refused, saying
 * why. The one finder of `rollback --release` and the operator verbs' `--release` (release-abort.ts).
 */
export async function findMembersOrRefuse(
  lambda: LambdaPort,
  releaseId: string,
  alias: string | undefined,
  signal: AbortSignal,
  note: (text: string) => void,
  words: FinderWords = ROLLBACK_WORDS,
) {
  const again = `lshift ${words.verb} --release ${releaseId}`;
  note(`${words.verb}: no function named: ${FINDING_NOTICE}`);
  const found = await findReleaseMembers(lambda, releaseId, alias, signal);
  if (found.kind === 'found') return found;
  if (found.kind === 'interrupted') {
    throw new OperationError(
      'INTERRUPTED',
      `Interrupted while listing the functions in reach for release ${releaseId}: ${words.nothing}.`,
      {
        hint: `Run the same command again: \`${again}${alias ? ` --alias ${alias}` : ''}\``,
      },
    );
  }
  throw new UsageError('USAGE', `Name the functions of release ${releaseId}: ${found.why}.`, {
    hint: `${again} <function…> (or list \`functions:\` in the config file); \`lshift status <function>\` shows the release of each record.${found.unlisted ? allowListing(words.verb) : ''}`,
  });
}

/** The result's lines: the headline, then each function, skipped one, other actor, error and open function not named. */
export function describeReleaseRollbackLines(
  releaseId: string,
  result: ClaimedReleaseRollbackResult,
  named: boolean,
): string[] {
  return [
    describeReleaseRollbackHeadline(releaseId, result.status, result.unnamed, named),
    ...(named ? [] : [`  ${FOUND_BY_RECORD}`]),
    ...result.functions.flatMap((f) => [`  ${describeRollback(f)}`, ...describeRecordNotClosed(f)]),
    ...result.skipped.map((s) => `  ${describeSkippedMember(releaseId, s)}`),
    ...result.byOthers.map((o) => `  ${describeByOther(o)}`),
    ...result.errors.flatMap((e) => [
      `  ✖ ${e.functionName}:${e.alias}: ${e.message}`,
      ...describeLeftSplit(e),
    ]),
    ...describeUnnamedMembers(releaseId, result.unnamed).map((line) => `  ${line}`),
  ];
}

/**
 * The alias is back but the record could not be closed: said under its row, as the single
 * rollback's warning says it. The release's printed `✔ Rolled back` for every function and exited
 * 0 without a word while one record stayed `rolling-back` (STALE in status; found by a hostile
 * pass, session 63). The exit code stays the single rollback's: the alias is where it was asked.
 */
function describeRecordNotClosed(f: {
  functionName: string;
  alias: string;
  recordNotClosed?: string;
}): string[] {
  if (f.recordNotClosed === undefined) return [];
  return [
    `    ! but its deployment record could not be closed (${f.recordNotClosed}): it still says what lshift last wrote of it (\`lshift status ${f.functionName} --alias ${f.alias}\` may call it STALE, its alias on its stable version); the same command run again closes it, as the next \`lshift check\` does`,
  ];
}

/**
 * A function not rolled back whose alias is split or unknown (release-errors-split.ts): exit 4,
 * and the alias state and the fix under its row (DESIGN.md: no split without both).
 */
function describeLeftSplit(e: LeftSplitError): string[] {
  if (!e.leftSplit) return [];
  if (!e.aliasState || !e.fixCommand)
    return [
      `    ! not rolled back, and its alias could not be read: it may be split; look with \`lshift status ${e.functionName} --alias ${e.alias}\`, then run the same rollback again`,
    ];
  return [
    `    ! not rolled back: its alias is left split: ${describeAliasState(e.aliasState)}`,
    `    Fix: run the same rollback again, or put all traffic on version ${e.aliasState.functionVersion}: ${e.fixCommand}`,
  ];
}

function allowListing(verb: string): string {
  return ` Without names, lambda:ListFunctions ("Resource": "*"; \`lshift iam-policy --list-functions\`) lets the ${verb} find them.`;
}

const FINDING_NOTICE =
  'listing every function in reach (ListFunctions, then ListTags of each) for the records of the release';

/**
 * None named: the functions are found by their current records. One whose alias a later
 * deployment took (its record now that deployment's) cannot be seen, and was left out without a
 * word (found by a hostile pass, F2); named, it is said "left alone".
 */
const FOUND_BY_RECORD =
  'Found by their records: a function of the release whose alias a later deployment took is not found; name it to see it.';
