/**
 * `lshift rollback`: put all traffic back on the stable (or a chosen) version, from any
 * machine. Runs the same rollback program (`planRollback`), through the same interpreter, as a
 * failed deploy. Destination, in order: `--to`;
 * the stable version of an unfinished deployment (not promoted or rolled back) whose record
 * matches the alias — a crash during the bake or the post-traffic hooks leaves all traffic on
 * the target, and the version to go back to is the record's stable one; the primary version of
 * a split alias; the stable version of a promoted deployment whose target still has all traffic.
 *
 * Idempotent (DESIGN.md §6): the destination is always the record's own stable version, never
 * an older entry of its history, and a deployment that ended rolled back (by a deploy, `check`
 * or an earlier `lshift rollback`) with all traffic on its stable version is a no-op that says
 * so. Running it twice never goes further back than once. A record that does not add up
 * (record-trust.ts) is refused rather than followed. A 412 means someone else moved the alias:
 * stop, exit 5. An unfinished record is closed as rolled-back, even when the alias was already
 * all on its stable version (a runner that died before or during its rollback). Reading and
 * closing the record: rollback-record.ts; the result and its words: rollback-result.ts; a 412 over
 * traffic already back: rollback-landed.ts; the version drained: rollback-drained.ts.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { PreflightError } from '../domain/errors.js';
import type { DeployStatus } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { planRollback } from '../domain/release-program.js';
import type { AliasCursor, AliasState } from './alias-step.js';
import { buildRestoreCommand, buildRollbackCommand, runningDeploymentOf } from './deploy-result.js';
import { emitEvent } from './emit.js';
import { runProgram } from './interpreter.js';
import { trafficDriverOf } from './native-traffic-driver.js';
import { ownRoutingOfRecord } from './own-routing.js';
import { isMovedByHand } from './record-trust.js';
import { isFinished, isKeepMoveUnconfirmed, isSplit } from './record-view.js';
import { chooseDestination, isKilledRollbackTo, trustRecord } from './rollback-destination.js';
import { drainedPercent, drainedVersion, drainsClaimedDeployment } from './rollback-drained.js';
import { closeRecordMovedByHand, type HandClose, hasRecordToClose } from './rollback-hand-close.js';
import { stopIfInterrupted } from './rollback-interrupt.js';
import { landedElsewhere } from './rollback-landed.js';
import {
  closeRecordRolledBack,
  isPromotedMovedByHand,
  isPromotedTo,
  isSentByThisRollback,
  isSentToTarget,
  readRollbackRecord,
  summarizeRecord,
} from './rollback-record.js';
import type { RollbackResult } from './rollback-result.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';
import { rememberUndone, sameRouting } from './rollback-undone.js';
import { warnRestoreRetry } from './step-restore.js';
import { coolDown } from './warm.js';

export { describeRollbackDone, type RollbackResult } from './rollback-result.js';
export type { RollbackDeps, RollbackRequest } from './rollback-types.js';

export async function rollbackDeployment(deps: RollbackDeps, req: RollbackRequest): Promise<RollbackResult> {
  const { functionName: fn, alias: name } = req;
  const startedAt = deps.clock.now();
  const alias = await deps.lambda.getAlias(fn, name);
  if (!alias) {
    throw new PreflightError('ALIAS_NOT_FOUND', `Alias ${name} of function ${fn} does not exist.`, {
      hint: 'Check the function name and --alias.',
      context: { functionName: fn, alias: name },
    });
  }
  const split = isSplit(alias.additionalWeights);
  // Split, the rollback goes on without a record it cannot read: that record is then left open.
  let unread: string | undefined;
  const read = await readRollbackRecord(deps, req, split || req.to !== undefined, alias, (why) => {
    unread = why;
  });
  const record = trustRecord(deps, req, alias, read);
  // --to over a CodeDeploy record that does not add up: the record decides nothing, but its
  // deployment still names the group — stopped first if it runs, and no write beside another
  // deployment there (found by a hostile pass: `rollback --to` wrote the alias beside a running
  // CodeDeploy deployment, which moved it again a minute later).
  const engineRecord = record ?? (read?.engine === 'codedeploy' ? read : undefined);
  const destination = await chooseDestination(deps, req, alias, record);
  const to = destination.version;
  const previousState: AliasState = {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  const drained = drainedVersion(alias, to);
  let undoneState: AliasState | undefined;
  const result = (
    status: DeployStatus,
    cause: OutcomeCause,
    extra: Partial<RollbackResult> = {},
  ): RollbackResult => ({
    status,
    deploymentId: record?.id,
    functionName: fn,
    alias: name,
    fromVersion: drained,
    toVersion: to,
    steps: [],
    verdicts: [],
    cause,
    previousState,
    ...(undoneState ? { undoneState } : {}),
    startedAt,
    endedAt: deps.clock.now(),
    ...extra,
  });
  if (destination.undone !== undefined)
    return result(
      'nothing_to_deploy',
      causeOf('NOTHING_TO_DO', {
        undone: destination.undone,
        ...(destination.earlierStable === undefined ? {} : { earlierStable: destination.earlierStable }),
      }),
    );
  const already = !split && alias.functionVersion === to;
  // An unfinished deployment whose traffic is already back: its runner may still be alive (a
  // pre-traffic hook, or about to write a weight). Re-writing the same routing changes the
  // RevisionId, so that runner's next alias write gets a 412 and it stops.
  const fence =
    already &&
    record !== undefined &&
    !isFinished(record) &&
    (record.stableVersion === to ||
      (req.to !== undefined &&
        (isKilledRollbackTo(record, alias, req.to) || isMovedByHand(record, deps.clock.now(), alias))));
  if (already && !fence) {
    return result('nothing_to_deploy', causeOf('NOTHING_TO_DO', {}));
  }
  const cursor: AliasCursor = {
    functionName: fn,
    alias: name,
    stableVersion: to,
    targetVersion: drained,
    revisionId: alias.revisionId,
    aliasState: previousState,
    percent: fence ? 0 : drainedPercent(alias, to),
    // A CodeDeploy deployment still running is stopped (with auto-rollback) by its driver.
    ...(engineRecord?.codeDeployId && !isFinished(engineRecord)
      ? { deploymentRef: engineRecord.codeDeployId }
      : {}),
    // One that ended still names its group: no alias write beside another deployment there.
    ...(engineRecord?.codeDeployId && isFinished(engineRecord)
      ? { endedDeploymentRef: engineRecord.codeDeployId }
      : {}),
  };
  // The last moment to stop with nothing written; the write below finishes whatever comes.
  stopIfInterrupted(req.signal, req);
  emitEvent(deps, {
    type: 'rollback.started',
    functionName: fn,
    alias: name,
    reason: req.reason,
    fromPercent: cursor.percent,
    toVersion: to,
    fromVersion: alias.functionVersion,
    // Fenced: already all on `to`. "0%" read as if the new version had never carried traffic
    // (found by a hostile pass: a runner killed mid-rollback at 75%, then `check` said "the new
    // version carried no traffic").
    ...(fence
      ? {
          alreadyThere: {
            ...(record && record.percent > 0
              ? { recorded: { percent: record.percent, version: record.targetVersion } }
              : {}),
            ...(req.closeOnly ? { closeOnly: true as const } : {}),
          },
        }
      : {}),
  });
  const driver = deps.trafficFor?.(engineRecord, { functionName: fn, alias: name }) ?? trafficDriverOf(deps);
  const { traffic, undone } = rememberUndone(driver);
  const drains = drainsClaimedDeployment(record, to, drained);
  // Only the routings that deployment wrote or was writing are its own (own-routing.ts); a
  // service that moves the alias itself (CodeDeploy) writes routings of its own.
  const ownRouting =
    drains && record && !traffic.ownSchedule ? ownRoutingOfRecord(record, cursor.percent) : undefined;
  const outcome = await runProgram(
    {
      traffic,
      clock: deps.clock,
      cursor,
      restore: {
        stopOnConflict: true,
        ownDeploymentMoves: drains,
        ...(ownRouting ? { ownRouting } : {}),
        ...(req.onPoll ? { onPoll: req.onPoll, claimBeat: req.onPoll } : {}),
        onRetry: warnRestoreRetry(deps),
        ...(req.persistMs !== undefined ? { persistMs: req.persistMs } : {}),
      },
    },
    planRollback({ stableVersion: to }, { functionName: fn, alias: name }),
  );
  if (outcome.kind === 'conflict') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.cause, conflict: true });
    // Moved by someone (not refused beside a stranger's CodeDeploy deployment): the record it was
    // rolling back is closed as moved by hand, or a check would finish it over the move.
    const byHand = outcome.why.code === 'ALIAS_CHANGED' && hasRecordToClose(deps, record);
    const close = byHand && record ? await closeRecordMovedByHand(deps, req, record) : undefined;
    const aliasState = (close && 'aliasState' in close ? close.aliasState : undefined) ?? outcome.aliasState;
    // A split left by someone else is unsafe (exit 4), not a conflict: nobody drives it, and the
    // rollback asked for did not happen (a person must put it back). Left to a taker, theirs.
    const splitLeft =
      outcome.why.code === 'ALIAS_CHANGED' &&
      close?.kind !== 'taken' &&
      aliasState !== undefined &&
      isSplit(aliasState.additionalWeights);
    return result(
      close?.kind === 'open' || splitLeft ? 'unsafe' : 'conflict',
      causeOf('ROLLBACK_CONFLICT', { error: outcome.cause, ...describeClose(close) }),
      aliasState ? { aliasState } : {},
    );
  }
  if (outcome.kind === 'gone') {
    // Deleted under the rollback (a read confirmed it): nothing left to move, nothing to fix.
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    return result('failed', causeOf('ROLLBACK_TARGET_DELETED', { what: outcome.what }));
  }
  if (outcome.kind !== 'done' && outcome.kind !== 'unsafe')
    throw new Error(`a rollback program ended ${outcome.kind}`);
  if (outcome.kind === 'unsafe') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    // Split (or changed) is unsafe (exit 4); unsplit and unchanged is a plain failure (exit 1) —
    // unless the last write's answer never came: it may have landed, so where the alias is now
    // is unknown, and an unknown alias state is exit 4 (docs/exit-codes.md).
    const unsafe =
      isSplit(outcome.aliasState.additionalWeights) ||
      outcome.aliasState.functionVersion !== previousState.functionVersion ||
      outcome.lastWriteUnanswered === true ||
      outcome.aliasStateStale === true;
    const running = runningDeploymentOf(cursor);
    const cause = causeOf('ROLLBACK_FAILED', {
      attempts: outcome.attempts,
      error: outcome.message,
      ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
      ...(outcome.lastWriteUnanswered ? { lastWriteUnanswered: true as const } : {}),
      ...(outcome.aliasStateStale ? { aliasStateStale: true as const } : {}),
      ...(running ? { codeDeployRunning: running } : {}),
    });
    // CodeDeploy still moving the alias: unsafe, whatever the alias looks like this instant.
    return result(unsafe || running ? 'unsafe' : 'failed', cause, {
      aliasState: outcome.aliasState,
      fixCommand: buildRestoreCommand({ functionName: fn, alias: name, version: to }, running),
      rollbackCommand: buildRollbackCommand(fn, name, req.to === undefined ? undefined : to),
    });
  }
  emitEvent(deps, {
    type: 'rollback.completed',
    toVersion: to,
    ...(fence && req.closeOnly ? { closeOnly: true as const } : {}),
  });
  if (outcome.restored?.alreadyStable)
    return landedElsewhere(deps, req, record, to, (cause, aliasState, extra) =>
      result('nothing_to_deploy', cause, { aliasState, ...extra }),
    );
  // Its deployment's own step write landed between the read and the write: what was undone.
  const replaced = undone();
  if (replaced && !sameRouting(replaced, previousState)) undoneState = replaced;
  const notClosed =
    (await closeRecordRolledBack(deps, req, record, to, deps.clock.now(), cursor.deploymentRef, fence)) ??
    unread;
  const open = notClosed === undefined ? {} : { recordNotClosed: notClosed };
  // A crashed `deploy --warm` left its temporary provisioned concurrency: it is billed until removed.
  if (record?.warm !== undefined && !isFinished(record))
    await coolDown(deps, { functionName: fn, version: record.targetVersion }, record.warm);
  const release = record?.releaseId ? { releaseId: record.releaseId } : {};
  if (fence) {
    const closed = record && summarizeRecord(record);
    const kept = record && isPromotedTo(record, req, to) ? { keptPromoted: true as const } : {};
    const byHand =
      !kept.keptPromoted && isPromotedMovedByHand(req, true) ? { movedByHand: true as const } : {};
    // `--to` its own new version, already all there: closed promoted (moved by hand), said so.
    const promoted =
      record && !kept.keptPromoted && !byHand.movedByHand && isSentToTarget(record, req, to, true)
        ? { promotedByHand: true as const }
        : {};
    const stopped = describeStopped(cursor, record);
    return result(
      'nothing_to_deploy',
      causeOf('NOTHING_TO_DO', closed ? { closed, ...kept, ...byHand, ...promoted, ...stopped } : stopped),
      {
        aliasState: { ...cursor.aliasState },
        ...release,
        ...open,
      },
    );
  }
  // `--to` its own new version: a promotion by hand, said as one (describe-rollback.ts).
  const sent = record && isSentByThisRollback(record, req, to, false) ? { promoted: record.id } : {};
  return result('rolled_back', causeOf('ROLLBACK_REQUESTED', { why: req.reason, ...sent }), {
    aliasState: { ...cursor.aliasState },
    ...release,
    ...open,
  });
}

/**
 * A rollback stopped by someone else's move, which it left (ROLLBACK_CONFLICT): `conflict`, or
 * `unsafe` once that move is a split (exit 4 since session 67) — its record closed, not open.
 * Callers that answer a move as a conflict of their own (a supersede, a check's words) ask this.
 */
export function isMovedUnderRollback(result: Pick<RollbackResult, 'status' | 'cause'>): boolean {
  if (result.status === 'conflict') return true;
  return (
    result.status === 'unsafe' &&
    result.cause?.code === 'ROLLBACK_CONFLICT' &&
    result.cause.data.recordOpen !== true
  );
}

/** What became of the record of a rollback that met its alias moved by hand, for the cause. */
function describeClose(close: HandClose | undefined) {
  if (close?.kind === 'closed') return { recordClosed: close.closed };
  if (close?.kind === 'taken') return { recordTakenBy: close.owner };
  return close?.kind === 'open' ? { recordOpen: true as const } : {};
}

/**
 * A CodeDeploy deployment still running that this rollback stopped (with its rollback) while the
 * alias was already on the stable version: said, not only "nothing to roll back" (session 65: a
 * record whose stop without rollback, keeping a move by hand, had not been seen to end).
 */
function describeStopped(
  cursor: AliasCursor,
  record: DeploymentRecord | undefined,
): { stoppedCodeDeploy?: { deploymentId: string; keptMove?: true } } {
  if (!cursor.deploymentStopSent || !cursor.deploymentRef) return {};
  const keptMove = record && isKeepMoveUnconfirmed(record) ? { keptMove: true as const } : {};
  return { stoppedCodeDeploy: { deploymentId: cursor.deploymentRef, ...keptMove } };
}
