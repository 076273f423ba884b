/**
 * The words of a release's result (issue 13): each function's reason as for a single deploy
 * (describe-outcome.ts), the release's own reason naming the function that decided it, and the
 * summary table people read at the end.
 */

import { type CommandTarget, withTargetFlags } from '../domain/command-target.js';
import type { DeployResult, HeldBy } from '../domain/events.js';
import { isDeletionMetForward, type OutcomeCause } from '../domain/outcome.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { type ReasonedResult, type ReasonOptions, withReason } from './describe-outcome.js';
import { describeReleaseInterrupt, isLeftSplit } from './describe-release-interrupt.js';
import {
  describeBackOnStable,
  describeDeletedMates,
  describeFailedMates,
  describeFinishers,
  isRecordOpen,
} from './describe-release-mates.js';
import { describeMovedMates } from './describe-release-moved.js';
import { describeAllBack, describeReleaseAbort } from './describe-release-stop.js';
import {
  describeRolledBackByOther,
  describeTakenBySplitRollback,
  describeTakenOver,
  describeTakenUnder,
  isRolledBackByOther,
  isTakenOrSplitUnder,
  isTakenOver,
} from './describe-release-takers.js';
import { targetRelease } from './targeted-result.js';

export type ReasonedRelease = Omit<ReleaseResult, 'functions'> & {
  functions: ReasonedResult[];
  reason?: string;
  /** Several functions left split: the one `lshift rollback --release` line that fixes them all. */
  rollbackCommand?: string;
  /** A stop signal came once the release was promoted: nothing was rolled back (late-interrupt.ts). */
  interruptedAfterEnd?: true;
  /** Functions taken over before the release's verdict (isTakenOver), and who holds each when known. */
  takenOver?: TakenOver[];
};

/**
 * A function of the release taken from it before its verdict — its alias moved by someone else,
 * its record taken over — as the words say it ("was taken over (by …)"). Under `--json` the
 * release's `failed` names the function the release stopped for, taken over or failed alike;
 * `takenOver` says which were taken over, so a script need not read `cause.code` of each row.
 */
export interface TakenOver {
  functionName: string;
  alias: string;
  /** Who holds its record now, when another lshift run does (engine/release-takers.ts). */
  heldBy?: HeldBy;
}

export function withReleaseReason(result: ReleaseResult, target: CommandTarget = {}): ReasonedRelease {
  const rollbackCommand = withTargetFlags(releaseRollbackCommand(result), target);
  const functions = targetRelease(result, target).functions.map((f) =>
    withReason(f, memberReasonOptions(result, f, rollbackCommand, target)),
  );
  const said = describeReleaseReason(result, functions, rollbackCommand);
  const reason = said === undefined ? undefined : `${said}${describeFailedRollbackHooks(result, functions)}`;
  const takenOver = functions.filter(isTakenOver).map(
    (f): TakenOver => ({
      functionName: f.functionName,
      alias: f.alias,
      ...(f.heldBy ? { heldBy: f.heldBy } : {}),
    }),
  );
  return {
    ...result,
    functions,
    ...(reason === undefined ? {} : { reason }),
    ...(rollbackCommand === undefined ? {} : { rollbackCommand }),
    ...(takenOver.length > 0 ? { takenOver } : {}),
  };
}

/**
 * The functions whose rollback hooks failed, when another's than the one the release's reason
 * starts from (whose own reason says its hook): it named only that one's, however many failed.
 */
function describeFailedRollbackHooks(result: ReleaseResult, functions: readonly ReasonedResult[]): string {
  const failed = functions.filter((f) => f.rollbackHooks?.kind === 'failed').map((f) => f.functionName);
  const decider = pickDecider(result, [...functions])?.functionName;
  if (failed.every((fn) => fn === decider)) return '';
  if (failed.length === 1)
    return `; ${failed[0]}'s rollback hooks failed (the outcome is unchanged; its line says which hook)`;
  return `; ${failed.length} functions' rollback hooks failed: ${failed.join(', ')} (the outcome is unchanged; each function's line says which hook)`;
}

/**
 * When two or more functions may be left split, one `lshift rollback --release` puts them all
 * back (and closes their records) instead of one command per function. Its `--alias` is one
 * for all, so functions on different aliases keep their own commands.
 */
function releaseRollbackCommand(result: ReleaseResult): string | undefined {
  // Not one moved by hand whose record stayed open: a rollback would undo that person's move.
  const split = result.functions.filter((f) => (f.status === 'unsafe' && !isRecordOpen(f)) || isLeftSplit(f));
  const aliases = new Set(split.map((f) => f.alias));
  if (split.length < 2 || aliases.size !== 1) return undefined;
  const [alias = 'live'] = aliases;
  return releaseRollbackLine(
    result.releaseId,
    split.map((f) => f.functionName),
    alias,
  );
}

/**
 * The rollback a member's reason names: the release's one line when several are split; a member
 * whose promotion was not confirmed (alone) names its own `--release` rollback, which closes the
 * release's record as well as the function's.
 */
function memberReasonOptions(
  result: ReleaseResult,
  f: DeployResult,
  shared: string | undefined,
  target: CommandTarget,
): ReasonOptions {
  // A deletion is said of the release (deletion-words.ts), as its progress line says it.
  const member = { inRelease: true } as const;
  if (f.status !== 'unsafe') return member;
  if (shared) return { ...member, rollbackCommand: shared };
  if (f.cause?.code !== 'PROMOTE_UNCONFIRMED') return member;
  const own = releaseRollbackLine(result.releaseId, [f.functionName], f.alias);
  return { ...member, rollbackCommand: withTargetFlags(own, target) };
}

function releaseRollbackLine(releaseId: string, names: string[], alias: string): string {
  const aliasFlag = alias === 'live' ? '' : ` --alias ${alias}`;
  return `lshift rollback --release ${releaseId} ${names.join(' ')}${aliasFlag}`;
}

/** `rollbackCommand`: the release's one rollback line (releaseRollbackCommand), with the run's target flags. */
function describeReleaseReason(
  result: ReleaseResult,
  functions: ReasonedResult[],
  rollbackCommand: string | undefined,
): string | undefined {
  if (result.status === 'promoted' || result.status === 'nothing_to_deploy') return undefined;
  const decider = pickDecider(result, functions);
  const why = decider?.reason ?? 'unknown';
  // An operator's abort is not a failure of the function whose record happened to carry it,
  // nor is a Ctrl-C or SIGTERM a failure of the function that noticed it first.
  const code = decider?.cause?.code;
  if (decider?.heldBy) return describeTakenOver(decider, decider.heldBy, functions);
  const takenBySplitRollback = decider && describeTakenBySplitRollback(decider, functions);
  if (takenBySplitRollback) return takenBySplitRollback;
  if (decider && isTakenOrSplitUnder(decider)) return describeTakenUnder(decider, functions);
  if (isRolledBackByOther(decider) && result.status === 'rolled_back')
    return describeRolledBackByOther(result, decider, functions);
  // Not every other function is back (one's rollback failed: exit 4): the words below say which.
  const named =
    decider?.cause?.code === 'OPERATOR_ABORTED'
      ? describeReleaseAbort(decider.cause, result.functions)
      : code === 'INTERRUPTED'
        ? describeReleaseInterrupt(result, decider, why, rollbackCommand)
        : isRolledBackByOther(decider)
          ? `before the release's verdict, function ${decider.functionName} was ${why}`
          : result.failed && code === 'HEALTH_UNREADABLE'
            ? // Unknown health, not a failed version (src/engine/release-verdict.ts says why).
              `the health of function ${result.failed.functionName} could not be read: ${why}`
            : result.failed
              ? `function ${result.failed.functionName} failed: ${why}`
              : describeUnnamed(decider, functions, why);
  if (result.status === 'rolled_back') {
    return `${named}; ${describeAllBack(result)}${describeFinishers(functions, decider)}`;
  }
  const moved = describeMovedMates(functions, decider);
  const back = result.status === 'failed' || moved ? describeBackOnStable(functions) : '';
  return `${named}${describeFailedMates(functions, decider)}${moved}${back}${describeDeletedMates(functions, decider)}`;
}

/**
 * A function's own words that do not name it, said of the release: which function. A SIGTERM
 * whose rollback met one function's split read "rollback interrupted at step 1 (25%); it stopped:
 * alias live was changed by someone else …" — the alias, never the function (session 70).
 */
function describeUnnamed(
  decider: ReasonedResult | undefined,
  functions: readonly ReasonedResult[],
  why: string,
): string {
  if (!decider || functions.length < 2 || decider.cause?.code !== 'ROLLBACK_CONFLICT') return why;
  return `function ${decider.functionName}: ${why}`;
}

/**
 * The function the release's reason starts from: the one it failed for, else the first that
 * ended as the release did — but not one found deleted when the release rolled it back for
 * something else (a Ctrl-C, a SIGTERM): "function fb failed: could not roll back (interrupted …)"
 * blamed a Ctrl-C on fb. The release is said by what stopped it, the deletion as such after it.
 */
function pickDecider(result: ReleaseResult, functions: ReasonedResult[]): ReasonedResult | undefined {
  const failed = result.failed;
  const named =
    failed && functions.find((f) => f.functionName === failed.functionName && f.alias === failed.alias);
  // The deleted function may be the one that noticed a Ctrl-C or carried an abort first.
  if (named && !(isDeletedUnderRollback(named) && isReleaseWide(named.cause))) return named;
  const stopped = functions.filter((f) => !isDeletedUnderRollback(f));
  return (
    stopped.find((f) => f.status === result.status) ??
    stopped.find((f) => f.status === 'rolled_back') ??
    functions.find((f) => f.status === result.status)
  );
}

/** A deletion found by a rollback the whole release made (an interrupt, an operator's abort). */
function isReleaseWide(cause: OutcomeCause | undefined): boolean {
  const after = cause?.code === 'ROLLBACK_TARGET_DELETED' ? cause.data.after?.code : undefined;
  return after === 'INTERRUPTED' || after === 'OPERATOR_ABORTED';
}

/** Found deleted by a rollback made for another reason (its own deletion did not stop the release). */
function isDeletedUnderRollback(f: DeployResult): boolean {
  const cause = f.cause;
  return (
    cause?.code === 'ROLLBACK_TARGET_DELETED' && !isDeletionMetForward(cause.data.after, cause.data.what)
  );
}
