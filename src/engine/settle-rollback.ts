/**
 * Rolling a failed or interrupted shift back: say so, run the rollback program (all traffic on
 * the stable version), close the record, then run the rollback hooks, which report and never
 * change the outcome. settle.ts and release-settle.ts both end this way.
 */

import { type DeletedWhen, describeDeletedSubject, describeDeletionWhen } from '../domain/deletion-words.js';
import { type DeploymentRecord, recordCauseOf } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import {
  causeOf,
  isDeletionMetForward,
  type OutcomeCause,
  type RollbackHooksNote,
} from '../domain/outcome.js';
import { planRollback } from '../domain/release-program.js';
import { shortList } from '../domain/short-list.js';
import { isOnStable } from './alias-step.js';
import {
  buildRestoreCommand,
  buildRollbackCommand,
  describePosition,
  runningDeploymentOf,
} from './deploy-result.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './deploy-types.js';
import { emitEvent, logInfo, logWarn } from './emit.js';
import { describeHookFailures } from './hook-phase.js';
import { runProgram } from './interpreter.js';
import { markWaitMs } from './mark-wait.js';
import { ownRoutingOf } from './own-routing.js';
import {
  INTERRUPTED_ROLLBACK_HOOK_SECONDS,
  runHooksInOrder,
  runHooksSideBySide,
} from './rollback-hooks-run.js';
import { endMovedDuringRollback } from './rollback-moved-close.js';
import { buildResult, stopTakenOver } from './settle-result.js';
import type { ShiftContext } from './shift-context.js';
import { hookPayload } from './shift-hooks.js';
import { warnRestoreRetry } from './step-restore.js';

export { INTERRUPTED_ROLLBACK_HOOK_SECONDS };

/** `rollback.started`: where the deployment was and why it goes back. */
export function announceRollback(ctx: ShiftContext, cause: string | undefined): void {
  const where = describePosition(ctx.position);
  emitEvent(ctx.deps, {
    type: 'rollback.started',
    functionName: ctx.cursor.functionName,
    alias: ctx.cursor.alias,
    reason: cause === undefined ? `interrupted ${where}` : `${where}: ${cause}`,
    fromPercent: ctx.cursor.percent,
    toVersion: ctx.cursor.stableVersion,
    trafficMoved: ctx.trafficMoved,
    ...(inFlightAbove(ctx) ? { writeInFlight: ctx.abandonedWrite } : {}),
    ...(ctx.inRelease && ctx.recorder.goneDuringShift() ? { functionDeleted: true as const } : {}),
  });
}

/** A weight write an interrupt abandoned in flight, further than the alias as last seen. */
function inFlightAbove(ctx: ShiftContext): boolean {
  return ctx.abandonedWrite !== undefined && ctx.abandonedWrite !== ctx.cursor.percent;
}

export type RestoreEnd = Awaited<ReturnType<typeof runRollbackProgram>>;

/**
 * All traffic back on the stable version (nothing to write when no traffic ever moved). A
 * function of a release its record's read or heartbeat already found deleted, before any of its
 * traffic moved (a wait of the release: shift-waits.ts), is not "on its stable version": it is
 * gone, as a restore's write would have found it.
 */
export async function restoreStable(
  ctx: ShiftContext,
  opts: { persistMs?: number } = {},
): Promise<RestoreEnd> {
  const { cursor } = ctx;
  if (ctx.trafficMoved) return runRollbackProgram(ctx, opts.persistMs);
  const gone = ctx.inRelease ? ctx.recorder.goneDuringShift() : undefined;
  if (gone) return { kind: 'gone', what: 'function', message: gone.reason, index: 0 };
  return {
    kind: 'restored',
    attempts: 0,
    alreadyStable: isOnStable(cursor.aliasState, cursor.stableVersion),
  };
}

/**
 * After the alias write: the record (rolled-back, or failed), the result, the rollback hooks.
 * `checked`: ownership was checked since our last alias write (the `rolling-back` write), so the
 * closing write needs no ownership read; so does one right after our own restore — a single
 * deploy's, one round trip later; a release's closing writes always read first.
 */
export async function endRollback(
  ctx: ShiftContext,
  outcome: RestoreEnd,
  cause: string | undefined,
  why: OutcomeCause,
  opts: { checked: boolean },
): Promise<DeployResult> {
  const closed = await closeRollback(ctx, outcome, cause, why, opts);
  return closed.hooksDue ? runRollbackHooks(ctx, closed.result, cause) : closed.result;
}

/**
 * The line a restore's end is told by: all traffic back (`rollback.completed`), or why not. A
 * release tells each as its alias write lands (release-settle.ts); a function found deleted is
 * told at its close, which dates the deletion. True when it was told.
 */
export function tellRestoreEnd(ctx: ShiftContext, outcome: RestoreEnd): boolean {
  if (outcome.kind === 'gone') return false;
  emitEvent(
    ctx.deps,
    outcome.kind === 'restored'
      ? { type: 'rollback.completed', toVersion: ctx.cursor.stableVersion }
      : { type: 'rollback.failed', message: outcome.message },
  );
  return true;
}

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
  const end = deps.clock.now();
  // A CodeDeploy deployment first found by the rollback (a start whose answer was lost).
  const ref = cursor.deploymentRef ? { codeDeployId: cursor.deploymentRef } : {};
  // Why it rolled back, for `lshift status` once this run's output is gone (record key `y=`).
  const recorded = recordCause(after, ctx.recorder.current());
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
        : buildResult(ctx, 'rolled_back', { cause: after });
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

/**
 * The record's `cause` for what a rollback is for: none when no `y=` names it. A resume that only
 * finishes an earlier run's rollback (ROLLBACK_UNFINISHED) keeps that run's cause when the record
 * has one (resume.ts keeps it through its claim): why it rolled back, not who finished it.
 */
export function recordCause(after: OutcomeCause, record: DeploymentRecord): Pick<DeploymentRecord, 'cause'> {
  if (after.code === 'ROLLBACK_UNFINISHED' && record.cause !== undefined) return {};
  const cause = recordCauseOf(after);
  return cause === undefined ? {} : { cause };
}

/** What a rollback is for: `why`, with the failure's own words when there are any. */
export function rollbackCause(cause: string | undefined, why: OutcomeCause): OutcomeCause {
  return cause === undefined ? why : { ...why, detail: cause };
}

/** The rollback program (all traffic back on the stable version), run by the same interpreter. */
async function runRollbackProgram(ctx: ShiftContext, persistMs?: number) {
  const program = planRollback(ctx.cursor, { functionName: ctx.req.functionName, alias: ctx.req.alias });
  // A driver that waits for a service to put the alias back beats meanwhile, and so do retried
  // writes (step-restore.ts). In a release every function's record is beaten: the others wait
  // for this one before their records are closed, and a stale one looks abandoned to a check.
  const restore = {
    onPoll: async () => {
      await Promise.all([ctx, ...ctx.waitMates].map((c) => c.recorder.heartbeat(c.heartbeatMs)));
    },
    onRetry: warnRestoreRetry(ctx.deps),
    ...(persistMs !== undefined ? { persistMs } : {}),
    // A service that moves the alias itself (CodeDeploy) writes routings of its own.
    ...(ctx.traffic.ownSchedule ? {} : { ownRouting: ownRoutingOf(ctx) }),
  };
  const ended = await runProgram(
    { traffic: ctx.traffic, clock: ctx.deps.clock, cursor: ctx.cursor, restore },
    program,
  );
  if (ended.kind === 'done')
    return ended.restored ?? { kind: 'restored' as const, attempts: 0, alreadyStable: false };
  if (ended.kind === 'conflict')
    return {
      kind: 'conflict' as const,
      message: ended.cause,
      aliasState: ended.aliasState,
      // Someone moved the alias (not a stranger's CodeDeploy deployment on the group).
      byHand: ended.why.code === 'ALIAS_CHANGED',
    };
  if (ended.kind === 'unsafe' || ended.kind === 'gone') return ended;
  throw new Error(`a rollback program ended ${ended.kind}`);
}

/**
 * The rollback hooks tell people (a page, a chat message), so they run after a rollback that a
 * signal caused too: a cancelled CI job rolled production back and nobody was told (found by a
 * hostile pass: they were skipped without a word). The signal that caused it has already fired,
 * so it cannot stop them; they run side by side, each for at most
 * INTERRUPTED_ROLLBACK_HOOK_SECONDS; a signal during the hooks of a rollback a gate caused gives
 * them the same (rollback-hooks-run.ts). A second signal still exits at once (cli/second-signal.ts:
 * exit 3, the rollback had finished), stopping them.
 */
export async function runRollbackHooks(
  ctx: ShiftContext,
  result: DeployResult,
  cause: string | undefined,
  /** Says a signal during the hooks for this run (a release: once for its functions). */
  sayInterrupted?: () => void,
): Promise<DeployResult> {
  const afterInterrupt = cause === undefined;
  const specs = ctx.req.hooks?.rollback;
  if (!specs || specs.length === 0) return result;
  const defaultTimeoutSeconds = ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS;
  const payload = hookPayload(ctx, 'rollback');
  if (afterInterrupt)
    logInfo(
      ctx.deps,
      `running the rollback hooks after the interrupt, side by side, each for at most ${INTERRUPTED_ROLLBACK_HOOK_SECONDS} s (a second signal stops them)`,
    );
  const outcome = afterInterrupt
    ? await runHooksSideBySide(ctx.deps, specs, payload, defaultTimeoutSeconds)
    : await runHooksInOrder(ctx.deps, specs, payload, {
        defaultTimeoutSeconds,
        ...(ctx.req.signal ? { signal: ctx.req.signal } : {}),
        ...(sayInterrupted ? { sayInterrupted } : {}),
      });
  if (outcome.kind === 'ok') return result;
  const rollbackHooks: RollbackHooksNote =
    outcome.kind === 'failed'
      ? {
          kind: 'failed',
          hooks: outcome.failures.map((f) => f.hook),
          detail: describeHookFailures('rollback', outcome.failures),
          ...(outcome.failures[0]?.output ? { output: outcome.failures[0].output } : {}),
        }
      : { kind: 'interrupted', hook: outcome.hook };
  logWarn(
    ctx.deps,
    rollbackHooks.kind === 'failed'
      ? `${rollbackHooks.detail} (the outcome is unchanged)`
      : `rollback hook ${rollbackHooks.hook} was interrupted`,
    'hook',
  );
  return { ...result, rollbackHooks, endedAt: ctx.deps.clock.now() };
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
