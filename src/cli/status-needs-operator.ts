/**
 * When `lshift status` exits 4 (commands/status.ts): a split alias, or a deployment, that nobody
 * drives and a person must finish or undo. A status that exited 0 there would let a script take
 * it for done.
 */

import { isMovedOverRollbackRecord } from '../engine/kept-over-rollback.js';
import { isDecidedSplitMovedWhole, isHandSplitAfterRollbackDecision } from '../engine/record-view.js';
import { isSplitLeftClosed } from '../engine/split-left-closed.js';
import { isFailedOnTarget as isFailedAllOnTarget } from '../engine/stale-over-split.js';
import type { AliasStatus } from '../engine/status.js';
import { isLeftPaused } from '../engine/status-stalled.js';

/**
 * Exit 4: the record says promoted while the alias is still split (promoted-split.ts), its
 * promote could not be confirmed (promote-unconfirmed.ts), or CodeDeploy no longer knows the
 * deployment it names or ended it with the alias split, or runs (or ended) it against lshift's decision to
 * roll it back (status-codedeploy.ts), or the record's own
 * deployment started after its run ended and runs unwatched (codedeploy-late-start.ts). Nobody drives
 * it (or nobody watches it); a status that exited 0 would let a script take it for done.
 */
export function needsOperator(status: AliasStatus): boolean {
  return (
    status.record?.promotedButSplit === true ||
    status.record?.promoteUnconfirmed === true ||
    // A stopped rollback someone moved past since: neither a resume nor a check finishes it.
    status.record?.rollbackOvertaken !== undefined ||
    status.record?.rollbackMovedAway !== undefined ||
    status.record?.forgottenByCodeDeploy === true ||
    status.record?.leftSplitByCodeDeploy === true ||
    // An alarm fires over a split another CodeDeploy deployment drives: `lshift check` exits 4 (STALLED).
    status.record?.alarmOverDrivenSplit !== undefined ||
    status.record?.againstRollback !== undefined ||
    status.record?.againstKeptMove !== undefined ||
    status.record?.lateCodeDeployStart?.running === true ||
    isSplitWithoutRecord(status) ||
    isSplitNobodyDrives(status)
  );
}

/**
 * Exit 4 too: a split alias whose lshift deployment nobody drives — its rollback failed (phase
 * `failed`), or its runner is gone (STALE), or its runner left it `paused` and exited, or someone
 * split it after lshift decided to roll it back — as `lshift check` says (STALLED, exit 4). Found by a
 * hostile pass: `status` exited 0 for both, and `status --watch` ended 0 once the runner died, so
 * a script gating on it took a split alias for done. CodeDeploy runs its own deployments without
 * a runner (`--detach`): a stale CodeDeploy record is judged above, a failed rollback here.
 */
export function isSplitNobodyDrives(status: AliasStatus): boolean {
  const record = status.record;
  if (record && (isFailedOnTarget(status) || isMovedOverRollback(status))) return true;
  if (!status.split || !record) return false;
  // lshift's rollback failed: whatever CodeDeploy does now (runs on towards 100%, or cannot be
  // asked), nobody lshift trusts is putting the alias back (found by a hostile pass: exit 0).
  if (record.phase === 'failed') return true;
  // A person's split its run met, left and closed its record over (of versions it does not place, or
  // a CodeDeploy deployment stopped to keep it): the run exited 4 for it (split-left-closed.ts).
  if (isSplitLeftClosed(status, record)) return true;
  if (record.engine === 'codedeploy') return false;
  // Left paused by a runner that exited (status-stalled.ts isLeftPaused): as `lshift check` says, STALLED.
  if (isLeftPaused(record)) return true;
  // Split by someone after lshift decided to roll it back: only its rollback is offered, a person's to run.
  if (isHandSplitAfterRollbackDecision(record)) return true;
  return record.stale === true && record.phase !== 'promoted' && record.phase !== 'rolled-back';
}

/**
 * Exit 4 too: a split alias whose deployment record cannot be used (RECORD_CORRUPT,
 * RECORD_INVALID, an alias too long to name it). Nobody can say who drives the split, and an
 * lshift runner whose record changed underneath stops: nothing will finish it. A record that
 * could not be read (a network error, a 5xx, no lambda:ListTags) is not that: a live runner may
 * drive the split, and the rollback this advised killed a healthy deployment (found by a hostile
 * pass) — it is health not known, exit 1 (isSplitRecordUnread).
 */
export function isSplitWithoutRecord(status: AliasStatus): boolean {
  return status.split && status.recordError !== undefined && status.recordUnreadable !== true;
}

/** A split alias whose record could not be read: who drives it is not known (exit 1). */
export function isSplitRecordUnread(status: AliasStatus): boolean {
  return status.split && status.recordUnreadable === true;
}

/**
 * A failed rollback that left all traffic on the version it was taking it from (its own lost
 * write had put it there, and nothing could read the alias again): as much a human's as a split
 * it left. `status` exited 0 and showed no warning (found by a hostile pass); CodeDeploy's
 * records are judged with CodeDeploy (status-codedeploy.ts).
 */
export function isFailedOnTarget(status: AliasStatus): boolean {
  return status.record !== undefined && isFailedAllOnTarget(status.record, status);
}

/**
 * lshift had decided to roll the deployment back (the record keeps why: its own pre-traffic hook
 * failed, a gate) when someone else — the failing hook itself, a person — moved all traffic onto
 * the new version, and lshift left that move (a conflict, exit 5; the record closed `promoted
 * (moved by hand)`). The version lshift judged bad serves everything: as much a human's call as
 * a rollback that failed there. `status` said it promoted, exit 0, nothing of the failure
 * (session 66). A deliberate move is kept: the line names both ways (status-text.ts), and once
 * a person kept the version with `lshift alias` (kept-over-rollback.ts) nothing is asked.
 */
export function isMovedOverRollback(status: AliasStatus): boolean {
  const record = status.record;
  // Or a split after lshift's decision, since moved whole onto the new version (session 67).
  if (
    record &&
    isDecidedSplitMovedWhole(record, {
      functionVersion: status.functionVersion,
      additionalWeights: status.additionalWeights,
    })
  )
    return true;
  return (
    record !== undefined &&
    isMovedOverRollbackRecord(record) &&
    record.engine !== 'codedeploy' &&
    !status.split &&
    status.functionVersion === record.targetVersion
  );
}
