/**
 * The words of a result: the engine returns `{status, step, cause, position, …}` as data and
 * this is the one place that turns it into the `reason` people read (the summary, `--json`,
 * NDJSON, the GitHub summary). Table-tested per cause code (test/cli/describe-outcome.test.ts).
 * It picks the words by cause code; those of a rollback that could not finish are
 * describe-rollback-failure.ts, those of a deployment rolled back, taken over, left or moved
 * underneath are describe-rolled-back.ts.
 */

import { describeFunctionDeleted } from '../domain/deletion-words.js';
import type { DeployResult, StoppedFor } from '../domain/events.js';
import type { OutcomeCause, RecordSummary } from '../domain/outcome.js';
import { describeAliasState, describePosition } from '../engine/deploy-result.js';
import { isByHandReason, isClosedOnSplit, versionNamedByEnd } from '../engine/record-view.js';
import {
  describeRollbackAbandoned,
  describeRollbackConflict,
  describeRollbackFailed,
  describeTargetDeleted,
} from './describe-rollback-failure.js';
import { describeFinishedByOther } from './describe-rollback-finished.js';
import {
  describeFinisher,
  describeLeftRunning,
  describeMovedUnderneath,
  describeRolledBack,
  describeRolledBackByOther,
  describeTakenOver,
  describeTakerLeftSplit,
  describeTakerUnknown,
} from './describe-rolled-back.js';
import type { CauseWith } from './reason-parts.js';
import { describeSplitLeftWayBack, isSplitMidShift } from './split-left.js';

/**
 * A result as the CLI prints it: the engine's data plus `reason`, and `interruptedAfterEnd` when a
 * stop signal came once it was promoted (late-interrupt.ts).
 */
export type ReasonedResult<R extends DeployResult = DeployResult> = R & {
  reason?: string;
  interruptedAfterEnd?: true;
};

/**
 * `rollbackCommand`: the command the advice after a refused rollback, or an unconfirmed
 * promotion, names instead of the result's own (a release member: `lshift rollback --release …`).
 */
export interface ReasonOptions {
  rollbackCommand?: string;
  /**
   * A function of a release: a deletion is said to be during the release, and one only the
   * restore found, gone when the release went to roll it back (deletion-words.ts).
   */
  inRelease?: boolean;
}

/**
 * The options a function's own `deploy.finished` event is worded with: a release adds its
 * `target` to every event of its functions (engine/release.ts), and their deletions are said of
 * the release, as their progress lines and the release's reason say them.
 */
export function eventReasonOptions(event: object): ReasonOptions {
  return 'target' in event && event.target !== undefined ? { inRelease: true } : {};
}

export function withReason<R extends DeployResult>(result: R, opts: ReasonOptions = {}): ReasonedResult<R> {
  const reason = describeReason(result, opts);
  return reason === undefined ? result : { ...result, reason };
}

/** The reason of a result, worded already (withReason) or now. */
export function reasonOf(result: ReasonedResult): string | undefined {
  return result.reason ?? describeReason(result);
}

/** Why a deploy or rollback ended as it did (undefined when promoted). */
export function describeReason(result: DeployResult, opts: ReasonOptions = {}): string | undefined {
  const base = describeCause(restateStoppedFor(result), opts);
  if (base === undefined || result.rollbackHooks === undefined) return base;
  const hooks = result.rollbackHooks;
  const note =
    hooks.kind === 'failed'
      ? `${hooks.detail} (the outcome is unchanged)`
      : `rollback hook ${hooks.hook} was interrupted`;
  return `${base}; ${note}`;
}

function describeCause(result: DeployResult, opts: ReasonOptions): string | undefined {
  const cause = result.cause;
  if (cause === undefined) return undefined;
  const { alias, functionName: fn } = result;
  const where = result.position ? describePosition(result.position) : 'while deploying';
  const state = result.aliasState ? describeAliasState(result.aliasState) : undefined;
  switch (cause.code) {
    case 'NOTHING_TO_DO':
      return describeNothingToDo(result, cause.data);
    case 'ROLLBACK_REQUESTED':
      return `${cause.data.why}: all traffic of alias ${alias} is on version ${result.toVersion}${wasState(result)}`;
    case 'ROLLED_BACK_BY_OTHER':
      return describeRolledBackByOther(result, cause, where);
    case 'ROLLBACK_CONFLICT':
      return describeRollbackConflict(result, cause, where, opts.rollbackCommand);
    case 'ROLLBACK_TARGET_DELETED':
      return describeTargetDeleted(result, cause, where, opts.inRelease === true);
    case 'FUNCTION_DELETED': {
      // The deleted function itself, or one of its release stopped for it: the same words.
      const own = cause.data.functionName === fn;
      const detail = describeFunctionDeleted(cause.data, own);
      return describeRolledBack(result, { ...cause, detail }, where) + describeFinisher(result);
    }
    case 'ROLLBACK_FAILED':
      return describeRollbackFailed(result, cause, { where, state }, opts.rollbackCommand);
    case 'PROMOTE_UNCONFIRMED':
      return describePromoteUnconfirmed(result, cause, state, opts.rollbackCommand);
    case 'GROUP_BUSY': {
      const now = state ? `; alias ${alias} is now ${state}` : '';
      return `${cause.detail ?? 'another CodeDeploy deployment runs on the group'} (${where})${now}`;
    }
    case 'ROLLBACK_ABANDONED':
      return describeRollbackAbandoned(result, cause, { where, state }, opts.rollbackCommand);
    case 'TAKEN_OVER':
      // The record was lost to another lshift: settle.ts stops every such outcome this way.
      if (result.status === 'conflict') return describeTakenOver(result, cause, { where, state });
      if (cause.data.stateUnknown) return describeTakerUnknown(result, cause, { where, state });
      if (cause.data.splitLeft) return describeTakerLeftSplit(result, cause, { where, state });
      break;
    case 'DETACHED':
    case 'INTERRUPTED': {
      const left = describeLeftRunning(result, cause, { where, state });
      if (left !== undefined) return left;
      break;
    }
  }
  // A move by hand under CodeDeploy whose stop was refused or not seen to end is unsafe (exit 4),
  // not rolled back: no rollback ran ("rolled back at step 1 (10%)" was said of it).
  if (result.status === 'conflict' || (result.status === 'unsafe' && cause.code === 'ALIAS_CHANGED'))
    return (
      describeMovedUnderneath(result, cause, { where, state }) +
      (isSplitMidShift(result) ? describeSplitLeftWayBack(result) : '')
    );
  return describeRolledBack(result, cause, where) + describeFinisher(result);
}

/**
 * Every step passed but the alias could not be confirmed on the new version: how to finish the
 * promotion, or undo it (`rollbackCommand`: a release member's is the release's rollback).
 */
function describePromoteUnconfirmed(
  result: DeployResult,
  cause: CauseWith<'PROMOTE_UNCONFIRMED'>,
  state: string | undefined,
  rollbackCommand: string | undefined,
): string {
  const { alias, functionName: fn } = result;
  const { targetVersion: target, stableVersion: stable, error } = cause.data;
  // A release member is undone with the release's rollback (it closes the release's record).
  const undo = rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
  const seen = error
    ? `lshift could not confirm where alias ${alias} is (${error})${state ? `; last seen ${state}` : ''}`
    : `alias ${alias} routes ${state ?? 'an unknown state'}`;
  return (
    `every step passed, but ${seen}, not all traffic to version ${target}: the deployment was not recorded promoted and nobody drives it now. ` +
    `Finish it: \`lshift alias ${fn} ${alias} ${target}\` (all traffic on version ${target}); ` +
    `or undo it: \`${undo}\` (all traffic on version ${stable})`
  );
}

function describeNothingToDo(
  result: DeployResult,
  data: Extract<OutcomeCause, { code: 'NOTHING_TO_DO' }>['data'],
): string {
  const { alias, functionName: fn, toVersion } = result;
  if (data.undone) {
    const r = data.undone;
    // Closed because someone moved the alias: no rollback ran (a CodeDeploy deployment was
    // stopped WITHOUT its rollback), though the record's phase reads rolled-back.
    const byHand = isByHandReason(r.endReason);
    const how = byHand
      ? `was already closed (${r.endReason})`
      : r.phase === 'rolled-back'
        ? `was already rolled back${r.endReason ? ` (${r.endReason})` : ''}`
        : 'has already been undone';
    // Rolled back `--to` another version, and moved since (found by the docs audit: "rolled back to
    // version 3: … is on its stable version 1" read as a contradiction).
    // Closed by hand over a split: no version had all its traffic, so any is "moved since".
    const leftOn = isClosedOnSplit(r) ? undefined : (versionNamedByEnd(r.endReason) ?? r.stableVersion);
    const on =
      toVersion === r.stableVersion
        ? `its stable version ${r.stableVersion}`
        : byHand && versionNamedByEnd(r.endReason) === toVersion
          ? `version ${toVersion}, where it was moved by hand`
          : `version ${toVersion}, where it was rolled back to`;
    const since = r.phase === 'rolled-back' && toVersion !== leftOn ? ', where it was moved since' : '';
    return `deployment ${r.deploymentId} (version ${r.stableVersion} → ${r.targetVersion}) ${how}: all traffic of alias ${alias} is on ${on}${since}`;
  }
  if (!('previousState' in result)) {
    return `alias ${alias} of function ${fn} already points at version ${toVersion}: nothing to deploy`;
  }
  if (data.finishedBy) return describeFinishedByOther(alias, toVersion, data.finishedBy);
  const routes = `alias ${alias} of function ${fn} already routes all traffic to version ${toVersion}`;
  const already = data.landed
    ? `${routes}: the rollback write was refused (412) because the alias had already been put there (an earlier write of this rollback, or another rollback); nothing was overwritten`
    : routes;
  if (data.closed && data.keptPromoted)
    return `${already}, deployment ${data.closed.deploymentId}'s new version: it stays promoted (a later \`lshift rollback\` undoes it)`;
  if (data.closed && data.movedByHand)
    return `${already}; deployment ${data.closed.deploymentId} (${describeClosed(data.closed)}) was promoted and its alias moved back by hand since: it is now recorded as moved by hand (this rollback moved no traffic)`;
  const stopped = data.stoppedCodeDeploy ? `; ${describeStoppedCodeDeploy(data.stoppedCodeDeploy)}` : '';
  if (data.closed && data.promotedByHand)
    return `${already}, deployment ${data.closed.deploymentId}'s new version${stopped}; it is now recorded as promoted (moved by hand), as \`lshift alias\` onto it records it (this rollback moved no traffic; a later \`lshift rollback\` undoes it)`;
  return data.closed
    ? `${already}${stopped}; deployment ${data.closed.deploymentId} (${describeClosed(data.closed)}) is now recorded as rolled back`
    : `${already}${stopped}`;
}

/**
 * A CodeDeploy deployment still running, stopped by this rollback: it said only "nothing to roll
 * back" of a deployment lshift had stopped without its rollback to keep a move by hand and not
 * seen end, which CodeDeploy then ended Stopped (session 65).
 */
function describeStoppedCodeDeploy(stopped: { deploymentId: string; keptMove?: true }): string {
  const before = stopped.keptMove
    ? " (lshift's earlier stop WITHOUT its rollback, to keep a move of the alias by hand, had not been seen to end)"
    : '';
  return `AWS CodeDeploy deployment ${stopped.deploymentId} was still running${before}: lshift stopped it with its rollback, so it moves the alias no more`;
}

/**
 * `rolling-back` is this rollback's own claim on the record (taken before it looked at the alias),
 * which says nothing about the deployment: its versions do. Another phase is the record as found.
 */
function describeClosed(closed: RecordSummary): string {
  return closed.phase === 'rolling-back'
    ? `version ${closed.stableVersion} → ${closed.targetVersion}`
    : closed.phase;
}

function wasState(result: DeployResult): string {
  const previous = (result as { previousState?: DeployResult['aliasState'] }).previousState;
  return previous ? ` (was ${describeAliasState(previous)})` : '';
}

/**
 * A release's function rolled back for another one taken over before the verdict carries the
 * words known when the release stopped (`function fb stopped: deployment d-1 was taken over by …`).
 * Once that function settled (`stoppedFor`: engine/release-takers.ts) its reason says what became
 * of it — rolled back by whom, held by whom — not that it failed, nor only that it stopped.
 */
function restateStoppedFor(result: DeployResult): DeployResult {
  const cause = result.cause;
  if (!result.stoppedFor || !cause) return result;
  const fate = describeStoppedFor(result.stoppedFor);
  const after = 'after' in cause.data ? cause.data.after : undefined;
  if (!after) return { ...result, cause: { ...cause, detail: fate } };
  const data = { ...cause.data, after: { ...after, detail: fate } };
  return { ...result, cause: { ...cause, data } as typeof cause };
}

function describeStoppedFor(by: StoppedFor): string {
  const fn = `function ${by.functionName}`;
  const when = "before the release's verdict";
  if (by.rolledBackBy) return `${fn} was rolled back by ${by.rolledBackBy} ${when}`;
  const held = by.heldBy;
  if (held)
    return `${fn} was taken over by ${held.owner} (its record: deployment ${held.deploymentId}, ${held.phase}) ${when}`;
  // No record of another owner to name (unreadable, or the alias moved by hand).
  if (by.aliasChanged) return `the alias of ${fn} was moved by someone else ${when}`;
  return `${fn} was taken over ${when}`;
}
