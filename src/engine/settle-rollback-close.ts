/**
 * The close of a rollback (settle-rollback.ts), after its restore: the record's closing write
 * (rolled-back, or failed), and the result — a conflict, a takeover, a deleted target, an
 * unanswered CodeDeploy start, or the restore's own end.
 */

import { type DeletedWhen, describeDeletedSubject, describeDeletionWhen } from '../domain/deletion-words.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf, isDeletionMetForward, type OutcomeCause } from '../domain/outcome.js';
import { shortList } from '../domain/short-list.js';
import { withMovedAtStop } from './codedeploy-stop-move.js';
import { withStopOutran } from './codedeploy-stop-outran.js';
import { buildRestoreCommand, buildRollbackCommand, runningDeploymentOf } from './deploy-result.js';
import { emitEvent, logWarn } from './emit.js';
import { markWaitMs } from './mark-wait.js';
import { endMovedDuringRollback } from './rollback-moved-close.js';
import { recordCause } from './rollback-record-cause.js';
import { buildResult, stopTakenOver } from './settle-result.js';
import { type RestoreEnd, tellRestoreEnd } from './settle-rollback-restore.js';
import type { ShiftContext } from './shift-context.js';

/**
 * The rollback's closing record write, waited for as its mark was (mark-wait.ts): queued behind a
 * mark that hangs in TagResource, it held the process for up to two AWS call bounds (61 s
 * measured by hand) after the alias was back and the verdict known. Not landed by then, the run
 * ends (its process exits, and the write with it): the record stays as last written — the mark,
 * if it landed, else the shift — with its heartbeat growing stale, which `lshift check` closes
 * (the alias is already on its stable version). True unless the record was taken over.
 */
async function writeClose(
  ctx: ShiftContext,
  patch: Partial<DeploymentRecord>,
  opts: { afterAliasWrite: boolean; unclosed?: readonly string[] },
): Promise<boolean> {
  if (opts.unclosed?.length) {
    leaveMarkOpen(ctx, opts.unclosed);
    return true;
  }
  const waitMs = markWaitMs(ctx.recorder.recordBehind() !== undefined);
  return (await ctx.recorder.storeWithin(patch, waitMs, opts, 'ends')) !== 'lost';
}

/**
 * A release's mark (release-settle.ts) is closed last: while any other record's close has not
 * landed (a hung TagResource the close wait gave up on, or a failed write), closing the mark
 * would leave a release whose mark says it ended and whose other records still say `shifting`
 * at a weight their alias no longer has — read as moved by hand, its deployment offered to be
 * resumed. Left `rolling-back`, once stale it is a rollback whose runner died: `lshift check`,
 * `deploy --resume` and `lshift rollback --release` finish it, every function closed.
 */
function leaveMarkOpen(ctx: ShiftContext, unclosed: readonly string[]): void {
  logWarn(
    ctx.deps,
    `the deployment record of ${ctx.req.functionName} alias ${ctx.req.alias} stays rolling-back, the release's mark: the records of ${shortList(unclosed)} are not closed (a write of them hangs or failed), and the mark is closed last. lshift ends; once the records are stale, \`lshift check\` finishes the release's rollback and closes them all, as after a crash`,
    'record',
  );
}

/**
 * endRollback without its rollback hooks: the record and the result. `hooksDue`: the rollback
 * hooks are to run after it (not after a conflict or a takeover). `told`: the restore's end was
 * already told (tellRestoreEnd).
 */
export async function closeRollback(
  ctx: ShiftContext,
  outcome: RestoreEnd,
  cause: string | undefined,
  why: OutcomeCause,
  opts: { checked: boolean; told?: boolean; unclosed?: readonly string[] },
): Promise<{ result: DeployResult; hooksDue: boolean }> {
  const { deps, cursor, req } = ctx;
  const after = rollbackCause(cause, why);
  if (!opts.told) tellRestoreEnd(ctx, outcome);
  if (outcome.kind === 'conflict')
    return { result: await endMovedDuringRollback(ctx, outcome, after), hooksDue: false };
  if (outcome.kind === 'gone') {
    const deleted = await endDeleted(ctx, outcome, after);
    return { result: deleted, hooksDue: deleted.status === 'failed' };
  }
  // All traffic put back over a person's move its CodeDeploy stop found (codedeploy-stop-move.ts): said.
  // …and a stop CodeDeploy's own Succeeded outran (codedeploy-stop-outran.ts): said, not "all back" as its rollback.
  const told = outcome.kind === 'restored' ? withStopOutran(withMovedAtStop(after, cursor), cursor) : after;
  const end = deps.clock.now();
  // A CodeDeploy deployment first found by the rollback (a start whose answer was lost).
  const ref = cursor.deploymentRef ? { codeDeployId: cursor.deploymentRef } : {};
  // Why it rolled back, for `lshift status` once this run's output is gone (record key `y=`).
  const recorded = recordCause(told, ctx.recorder.current());
  const ownWrite = outcome.kind === 'restored' && outcome.attempts > 0 && !outcome.alreadyStable;
  // Retried (minutes, at worst) and found the alias put back, or never put it back itself:
  // someone may have taken the record over meanwhile (a check that took it for abandoned), so
  // the closing write reads first and leaves theirs alone.
  const retried = outcome.kind === 'unsafe' || (outcome.kind === 'restored' && outcome.attempts > 0);
  // A release's closing writes come after every function's restore (seconds after this one's,
  // behind the others' writes in Lambda's queue): `lshift rollback` claims the record before it
  // writes the alias, so a claim can land meanwhile. They read first, as a step's record write
  // does (traffic-steps.ts), and leave the claim standing (release-closing-claim.test.ts).
  // A service's restore (CodeDeploy's stop) is no RevisionId-guarded write of ours, and may have
  // waited minutes (a held StopDeployment): a wait or check may have claimed the record meanwhile.
  const afterAliasWrite =
    !ctx.inRelease && !ctx.traffic.ownSchedule && (ownWrite || (opts.checked && !retried));
  let result: DeployResult;
  if (outcome.kind === 'restored') {
    cursor.percent = 0;
    const owned = await writeClose(
      ctx,
      { phase: 'rolled-back', percent: 0, endedAt: end, ...ref, ...recorded },
      { afterAliasWrite, unclosed: opts.unclosed },
    );
    if (!owned) return { result: await stopTakenOver(ctx, after), hooksDue: false };
    result =
      cursor.startUnanswered && !cursor.deploymentRef
        ? unansweredStart(ctx, after, cursor.startUnanswered)
        : buildResult(ctx, 'rolled_back', { cause: told });
  } else {
    const owned = await writeClose(
      ctx,
      { phase: 'failed', endedAt: end, ...ref, ...recorded },
      { afterAliasWrite, unclosed: opts.unclosed },
    );
    if (!owned) return { result: await stopTakenOver(ctx, after), hooksDue: false };
    const running = runningDeploymentOf(cursor);
    result = buildResult(ctx, 'unsafe', {
      aliasState: { ...outcome.aliasState },
      // A start CodeDeploy never confirmed: first find out whether it runs.
      fixCommand:
        cursor.deploymentCheck ??
        buildRestoreCommand(
          { functionName: req.functionName, alias: req.alias, version: cursor.stableVersion },
          running,
        ),
      rollbackCommand: buildRollbackCommand(req.functionName, req.alias),
      cause: causeOf('ROLLBACK_FAILED', {
        attempts: outcome.attempts,
        error: outcome.message,
        ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
        ...(outcome.lastWriteUnanswered ? { lastWriteUnanswered: true as const } : {}),
        ...(outcome.aliasStateStale ? { aliasStateStale: true as const } : {}),
        ...(outcome.aliasUnread ? { aliasUnread: outcome.aliasUnread } : {}),
        after,
        ...(running ? { codeDeployRunning: running } : {}),
        ...(running && cursor.deploymentStopSent ? { codeDeployStopSent: true as const } : {}),
      }),
    });
  }
  return { result, hooksDue: true };
}

/**
 * The function or its alias was deleted under the rollback: nothing is left to roll back or to
 * fix. A deleted function took its record (a tag on it) with it; a deleted alias leaves the
 * function's record, closed as failed. Status `failed` (exit 1), no fix command: both would fail.
 */
async function endDeleted(
  ctx: ShiftContext,
  outcome: Extract<RestoreEnd, { kind: 'gone' }>,
  after: OutcomeCause,
): Promise<DeployResult> {
  const missingBefore = outcome.what === 'function' && ctx.recorder.foundMissingBeforeRollback();
  const when = whenDeleted(ctx, outcome.what, missingBefore || isDeletionMetForward(after, outcome.what));
  const message = describeDeleted(ctx, outcome.what, when);
  emitEvent(ctx.deps, { type: 'rollback.failed', message, deleted: outcome.what });
  if (outcome.what === 'alias') {
    const owned = await ctx.recorder
      .write(
        { phase: 'failed', endedAt: ctx.deps.clock.now(), ...recordCause(after, ctx.recorder.current()) },
        { afterAliasWrite: false },
      )
      .catch(() => true);
    if (!owned) return stopTakenOver(ctx, after);
  }
  return buildResult(ctx, 'failed', {
    cause: causeOf('ROLLBACK_TARGET_DELETED', {
      what: outcome.what,
      after,
      ...(missingBefore ? { missingBefore: true as const } : {}),
      ...(when === 'since-last-write' ? { sinceLastWrite: true as const } : {}),
    }),
  });
}

/**
 * When the deletion happened, as far as lshift knows (deletion-words.ts): a forward weight write
 * or a record write of the shift that met it first dates it to the shift. Otherwise only the
 * rollback found it: "during the rollback" needs a write of the rollback to have landed on it
 * first (a deploy's `rolling-back` mark before its alias write; in a release, the mark on the
 * failing function, or another function's own mark that landed before its restore found it
 * gone; tags on the function say nothing of its alias). Without one it may have been deleted any
 * time after lshift's last write to it.
 */
function whenDeleted(ctx: ShiftContext, what: 'function' | 'alias', beforeRollback: boolean): DeletedWhen {
  if (beforeRollback) return 'shift';
  const landed = what === 'function' && ctx.recorder.landedSinceRollbackBegan();
  return landed ? 'rollback' : 'since-last-write';
}

function describeDeleted(ctx: ShiftContext, what: 'function' | 'alias', when: DeletedWhen): string {
  const subject = describeDeletedSubject(what, ctx.req.functionName, ctx.req.alias);
  return describeDeletionWhen(subject, when, ctx.inRelease);
}

/** What a rollback is for: `why`, with the failure's own words when there are any. */
export function rollbackCause(cause: string | undefined, why: OutcomeCause): OutcomeCause {
  return cause === undefined ? why : { ...why, detail: cause };
}

/**
 * The alias is back on (or never left) stable, yet CodeDeploy may still take this run's
 * unanswered CreateDeployment and shift it with nobody following: exit 4, a human looks. The
 * record closes rolled back (where the alias is), so `lshift status` and `lshift check` find a
 * late start by its run token (codedeploy-late-start.ts).
 */
function unansweredStart(
  ctx: ShiftContext,
  after: OutcomeCause,
  unanswered: { command: string; why: string },
): DeployResult {
  // Ctrl-C stays INTERRUPTED (the person asked to stop), with the start's uncertainty said too.
  const cause =
    after.code === 'INTERRUPTED'
      ? causeOf('INTERRUPTED', { ...after.data, startUnanswered: true }, unanswered.why)
      : after;
  return buildResult(ctx, 'unsafe', {
    aliasState: { ...ctx.cursor.aliasState },
    fixCommand: unanswered.command,
    cause,
  });
}
