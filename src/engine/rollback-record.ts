/**
 * The deployment record of `lshift rollback` (rollback.ts): read it — refusing a corrupt one
 * rather than guessing, or going on without it where the alias alone says enough — and close it
 * as rolled-back once the alias is back. Apart from rollback.ts because what the record may say
 * and how it is closed are rules of their own, beside the traffic the rollback moves.
 */
import { type DeploymentRecord, encodeRecord } from '../domain/deployment-record.js';
import { isLshiftError, type LshiftError, OperationError } from '../domain/errors.js';
import type { RecordSummary } from '../domain/outcome.js';
import { isNeverReopened } from '../domain/record-seal.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { isPromotedOverRollback } from './kept-over-rollback.js';
import { writeRecordEnd } from './record-end-write.js';
import { closedByHand, isSplit, PROMOTE_UNCONFIRMED_REASON, versionLeftOn } from './record-view.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';
import { isRolledBackAfterPromotion, rolledBackAfterPromotion } from './rolled-back-after-promotion.js';

/** What a closed record was, for the result (`closed`). */
export function summarizeRecord(record: DeploymentRecord): RecordSummary {
  return {
    deploymentId: record.id,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
    phase: record.phase,
    ...(record.endReason ? { endReason: record.endReason } : {}),
  };
}

/**
 * The record, or undefined (none, no store, or unreadable when `optional`: a warning). A
 * corrupt one, without `--to`, is refused with that way around it (corruptRecordRefusal).
 */
export async function readRollbackRecord(
  deps: RollbackDeps,
  req: RollbackRequest,
  optional: boolean,
  alias?: AliasInfo,
  /** Told why, when an unreadable record is gone on without (`optional`): it is then not closed. */
  onUnreadable?: (why: string) => void,
): Promise<DeploymentRecord | undefined> {
  if (!deps.store) return undefined;
  try {
    return await deps.store.read(req.functionName, req.alias);
  } catch (error) {
    // An alias too long to name the record's tag: its own usage error (exit 2), not unreadable —
    // unless the rollback needs no record (`--to`): such an alias may be split too.
    if (!optional && isLshiftError(error) && error.code === 'ALIAS_TOO_LONG') throw error;
    // A tag that is there but cannot be decoded was edited by someone: never acted on, as one that
    // does not add up (RECORD_INVALID) is not — a split alias is not drained to a guessed version.
    if (req.to === undefined && alias && isLshiftError(error) && error.code === 'RECORD_CORRUPT') {
      throw corruptRecordRefusal(error, req, alias);
    }
    if (!optional) {
      // A corrupt tag says itself that it is unreadable and how to clear it.
      if (isLshiftError(error) && error.code === 'RECORD_CORRUPT') throw error;
      throw new OperationError(
        'STATE_UNREADABLE',
        `Could not read the deployment record of ${req.functionName} alias ${req.alias}: ${describeError(error)}`,
        {
          hint: 'Pass --to <version> to roll back without the record.',
          context: { functionName: req.functionName, alias: req.alias },
          cause: error,
        },
      );
    }
    logWarn(deps, `could not read the deployment record: ${describeError(error)}`, 'record');
    onUnreadable?.(`could not read it: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * Closes the record as rolled-back to `to` (a failed write is a warning: the alias is back).
 * Returns why the record could not be closed, if it could not: the result carries it
 * (RollbackResult.recordNotClosed), since a release's rollback prints no warning of its functions.
 */
export async function closeRecordRolledBack(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord | undefined,
  to: string,
  now: number,
  /** The CodeDeploy deployment the rollback stopped: a record whose runner died before naming it gets it. */
  found?: string,
  /** The alias was already all on `to` when the rollback found it (fenced): nothing was moved. */
  alreadyThere = false,
): Promise<string | undefined> {
  if (!deps.store || !record) return undefined;
  // History is kept as it is: a second rollback must find this one done, not go further back.
  // This `--to` moved all traffic onto the deployment's own new version and closes it promoted:
  // the close says so (`rt=`) for the deploy still shifting it (rollback-to-taker.ts).
  const sentNow = isSentByThisRollback(record, req, to, alreadyThere);
  const updated: DeploymentRecord = isPromotedTo(record, req, to)
    ? // `--to` a promoted deployment's own new version (a split by hand dropped onto it): it stays
      // promoted, so a later `lshift rollback` still undoes it, once. Recorded "rolled back to
      // version 2" of deployment 1 → 2, the next rollback said "Nothing to roll back" (found by a
      // hostile pass, session 62), as `lshift alias` onto it keeps it promoted.
      { ...record, phase: 'promoted', percent: 100, heartbeatAt: now, endedAt: record.endedAt ?? now }
    : isPromotedMovedByHand(req, alreadyThere)
      ? closedMovedByHand(req, record, to, now)
      : isSentToTarget(record, req, to, alreadyThere)
        ? {
            ...record,
            ...closedByHand(record, { functionVersion: to, additionalWeights: {} }),
            heartbeatAt: now,
            endedAt: now,
            ...(sentNow ? { rollbackTo: to } : {}),
          }
        : closedRolledBack(deps, req, record, to, now, found);
  try {
    await writeRecordEnd(deps.store, req.functionName, req.alias, updated, undefined, {
      keepRollbackTo: sentNow,
    });
    emitEvent(deps, { type: 'record.written', phase: updated.phase });
    return undefined;
  } catch (error) {
    const why = describeError(error);
    logWarn(deps, `rolled back, but could not update the deployment record: ${why}`, 'record');
    return why;
  }
}

/**
 * This `--to` moved all traffic onto the deployment's own new version and closes it promoted (moved
 * by hand), not as one already promoted nor one already there: `rt=` and the command's words say so.
 */
export function isSentByThisRollback(
  record: DeploymentRecord,
  req: RollbackRequest,
  to: string,
  alreadyThere: boolean,
): boolean {
  return (
    req.to !== undefined &&
    !alreadyThere &&
    !isPromotedTo(record, req, to) &&
    !isPromotedMovedByHand(req, alreadyThere) &&
    isSentToTarget(record, req, to, alreadyThere)
  );
}

/**
 * A promoted deployment (claimed by this person's rollback) whose alias was already all on the
 * rollback's version: someone moved it there by hand after the promotion — this rollback moved
 * nothing. Closed "rolled back to version 1: after it was promoted, by rollback:root@…", `status`
 * and `history` said lshift rolled it back (found by a hostile pass, session 64). Closed as
 * `lshift alias` and a deploy's settle close a record whose alias was moved (record-view.ts
 * closedByHand), under the deployment's own owner.
 */
export function isPromotedMovedByHand(req: RollbackRequest, alreadyThere: boolean): boolean {
  return alreadyThere && req.wasPromoted === true && req.underStaleClaim !== true;
}

function closedMovedByHand(
  req: RollbackRequest,
  record: DeploymentRecord,
  to: string,
  now: number,
): DeploymentRecord {
  return {
    ...record,
    ...closedByHand(record, { functionVersion: to, additionalWeights: {} }),
    heartbeatAt: now,
    // When it was promoted: the move by hand came after, at a time nobody recorded.
    endedAt: record.endedAt ?? now,
    ...(req.promotedBy !== undefined ? { owner: req.promotedBy } : {}),
  };
}

/**
 * `--to` the own new version of a deployment still open (its runner gone mid-shift, or paused), or
 * of one already rolled back (sent forward again): closed promoted, moved by hand, as `lshift
 * alias` onto that version closes an open one. Recorded "rolled back to version 6" with all traffic
 * on version 6, `lshift check` skipped it ("rolled back …; nothing to watch") and `lshift rollback`
 * said nothing to roll back (h4's hostile pass, session 69). Over an alias already there (the
 * fence: a runner that died in the bake) only an open record this rollback claimed; never one
 * lshift had decided to roll back and not finished (`lshift alias` keeps that one `kept by <who>`).
 */
export function isSentToTarget(
  record: DeploymentRecord,
  req: RollbackRequest,
  to: string,
  alreadyThere: boolean,
): boolean {
  if (to !== record.targetVersion || to === record.stableVersion) return false;
  // Already all there (its runner died in the bake): fenced, nothing moved, but an open deployment
  // claimed by this rollback is as much promoted by hand as one moved there now (round 2).
  if (alreadyThere) return req.claimedOpen === true;
  return req.claimedOpen === true || !isNeverReopened(record.phase) || record.phase === 'rolled-back';
}

/** `--to` a promoted deployment's own new version: the record stays promoted (closeRecordRolledBack). */
export function isPromotedTo(record: DeploymentRecord, req: RollbackRequest, to: string): boolean {
  return (record.phase === 'promoted' || req.wasPromoted === true) && to === record.targetVersion;
}

function closedRolledBack(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord,
  to: string,
  now: number,
  found: string | undefined,
): DeploymentRecord {
  return {
    ...record,
    phase: 'rolled-back',
    percent: 0,
    heartbeatAt: now,
    endedAt: now,
    // How an earlier end came about (a promote by hand, one unconfirmed) no longer says how this
    // one did: `status` and `history` read "rolled-back (moved by hand)" after `lshift rollback`
    // (found by a hostile pass). A record already rolled back keeps its own, unless it names
    // another version than this rollback's: `--to 3` then `--to <stable>` kept "rolled back to
    // version 3", and `status` said a hand had moved the alias to the stable version since (found
    // by a hostile pass).
    endReason:
      record.phase === 'rolled-back' &&
      record.endReason !== PROMOTE_UNCONFIRMED_REASON &&
      versionLeftOn(record) === to
        ? record.endReason
        : undefined,
    // Its own stable version after its promotion too: without a word the record read as a shift
    // stopped at its last step, `history` gave the rollback's owner as who started it and its
    // time as the deployment's (h3's notes, session 62).
    ...(to === record.stableVersion && !ranAllSteps(record, req)
      ? {}
      : { endReason: endReasonTo(req, record, to) }),
    // Closed by this rollback, unclaimed (rollback-claim.ts claims no record its alias no longer
    // matches): its owner is who rolled it back, as when claimed.
    ...(record.phase === 'promoted' && deps.owner ? { owner: deps.owner } : {}),
    ...(req.endReason ? { endReason: req.endReason } : {}),
    // A check's own reason (an alarm) replaces one an earlier run recorded; a person's keeps it.
    ...(req.cause ? { cause: req.cause } : {}),
    // Found by its run token (the runner was killed right after CreateDeployment answered):
    // `lshift status` then names it instead of saying none was started.
    ...(record.engine === 'codedeploy' && !record.codeDeployId && found ? { codeDeployId: found } : {}),
  };
}

/**
 * `rolled back to version 3`, and of a promoted deployment, after its promotion. A record with no
 * room for even that (a strategy of many steps): no end reason, as before, rather than a close
 * refused as RECORD_TOO_LARGE that would leave it promoted over an alias back on stable.
 */
function endReasonTo(req: RollbackRequest, record: DeploymentRecord, to: string): string | undefined {
  const reason = ranAllSteps(record, req) ? rolledBackAfterPromotion(to) : `rolled back to version ${to}`;
  if (to !== record.stableVersion) return reason;
  try {
    encodeRecord({ ...record, phase: 'rolled-back', endedAt: record.heartbeatAt, endReason: reason });
    return reason;
  } catch {
    return undefined;
  }
}

/** Promoted when this rollback found it, or before an earlier rollback (`--to 3`, then `--to <stable>`). */
function wasPromoted(record: DeploymentRecord, req: RollbackRequest): boolean {
  return record.phase === 'promoted' || req.wasPromoted === true || isRolledBackAfterPromotion(record);
}

/**
 * Promoted by its own steps, or by a person (`lshift alias`), so "after it was promoted". Not one
 * someone else's move promoted over lshift's decided rollback (closed by hand, with the cause lshift
 * was rolling it back for: MOVED OVER LSHIFT'S ROLLBACK): a step hook that put all traffic on
 * the new version and failed was said "promoted, then rolled back", never promoted, one step of
 * two run, its cause cut for the longer reason's room (found by a hostile pass, session 66). It
 * closes as a rollback from the step it stopped at, its cause kept.
 */
function ranAllSteps(record: DeploymentRecord, req: RollbackRequest): boolean {
  if (!wasPromoted(record, req)) return false;
  return !(req.promotedOverRollback === true || isPromotedOverRollback(record));
}

/** RECORD_CORRUPT with the way around it: --to, which acts on the alias alone. */
function corruptRecordRefusal(error: LshiftError, req: RollbackRequest, alias: AliasInfo): OperationError {
  const to = isSplit(alias.additionalWeights) ? alias.functionVersion : '<version>';
  return new OperationError(error.code, error.message, {
    hint: `${error.hint ?? ''} Or roll back without it: \`lshift rollback ${req.functionName} --alias ${req.alias} --to ${to}\` (the record is left as it is).`.trim(),
    context: { functionName: req.functionName, alias: req.alias },
    cause: error,
  });
}
