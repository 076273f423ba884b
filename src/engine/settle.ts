/**
 * Turns how the phases ended into the final alias state, record and DeployResult:
 * done → promoted; failed → run the rollback program, then the rollback hooks; conflict → stop
 * with no further write (someone else owns the alias, and the record tag too); interrupted →
 * roll back at once (no hooks: Ctrl-C must finish in seconds) or, with --on-interrupt leave,
 * pause with the weights as they are. Once another lshift has taken the deployment record over
 * (resume, supersede, `lshift rollback`), every outcome stops as a conflict with no further
 * write: the alias is that runner's now.
 */
import type { DeployResult, DeployStatus } from '../domain/events.js';
import { causeOf, type OutcomeCause, type RollbackHooksNote } from '../domain/outcome.js';
import { planRollback } from '../domain/release-program.js';
import { isOnStable } from './alias-step.js';
import {
  buildFixCommand,
  buildRestoreCommand,
  buildRollbackCommand,
  describePosition,
  runningDeploymentOf,
} from './deploy-result.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './deploy-types.js';
import { emitEvent, logWarn } from './emit.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { runProgram } from './interpreter.js';
import { confirmOnTarget, type NotOnTarget } from './promote-guard.js';
import { closedByHand, MAX_HISTORY, PROMOTE_UNCONFIRMED_REASON } from './record-view.js';
import { judgeFinisher, readStoredRecord } from './rollback-finished-by.js';
import { hookPayload, type PhaseOutcome, type ShiftContext } from './shift-context.js';

export async function settleDeployment(ctx: ShiftContext, outcome: PhaseOutcome): Promise<DeployResult> {
  if (ctx.recorder.lostReason() !== undefined) return stopTakenOver(ctx);
  switch (outcome.kind) {
    case 'done':
      return promote(ctx);
    case 'conflict':
      return stopOnConflict(ctx, outcome.cause, outcome.why);
    case 'interrupted':
      noteNothingShifted(ctx);
      if (ctx.req.onInterrupt === 'leave' && ctx.trafficMoved) return pause(ctx);
      return rollBack(ctx, undefined, causeOf('INTERRUPTED', { left: false }));
    case 'failed':
      return rollBack(ctx, outcome.cause, outcome.why);
  }
}

/**
 * A driver that follows a service (CodeDeploy) is "at step 1" from the moment it started the
 * deployment, but the service shifts nothing before its BeforeAllowTraffic hook has passed: an
 * interrupt while the alias still routes nothing to the new version (as last polled, no step
 * reached) happened before any traffic moved, and is said so. The rollback still runs (it
 * stops the deployment), so `trafficMoved` stays as it is.
 */
function noteNothingShifted(ctx: ShiftContext): void {
  const { position } = ctx;
  if (!ctx.traffic.ownSchedule || position.kind !== 'step' || ctx.cursor.percent !== 0) return;
  if (ctx.steps.some((s) => s.result === 'completed')) return;
  const preHook = (ctx.req.engineHooks?.pre?.length ?? 0) > 0;
  ctx.position = { kind: 'before-traffic', during: preHook ? 'codedeploy-pre-hook' : 'codedeploy-start' };
  // No step ran: the result lists none, as after an interrupt in lshift's own pre-traffic hook.
  ctx.steps.splice(0, ctx.steps.length);
}

/** Set by noteNothingShifted: a CodeDeploy deployment interrupted before it shifted anything. */
function shiftedNothing(ctx: ShiftContext): boolean {
  return ctx.position.kind === 'before-traffic' && ctx.position.during?.startsWith('codedeploy') === true;
}

async function promote(ctx: ShiftContext): Promise<DeployResult> {
  const notOnTarget = await confirmOnTarget(ctx);
  if (notOnTarget) return stopUnpromoted(ctx, notOnTarget);
  const { stableVersion } = ctx.cursor;
  const previous = ctx.recorder.current().history.filter((v) => v !== stableVersion);
  const owned = await ctx.recorder.write({
    phase: 'promoted',
    percent: ctx.cursor.percent,
    endedAt: ctx.deps.clock.now(),
    history: [stableVersion, ...previous].slice(0, MAX_HISTORY),
  });
  if (!owned) return stopTakenOver(ctx);
  return buildResult(ctx, 'promoted', {});
}

/**
 * Every step passed but the alias is not known to be on the new version alone: the record keeps
 * its last phase (never `promoted` over a split alias, which nobody would resume) with the end
 * reason `promote unconfirmed` (best effort: the store may be what failed), and the result
 * is unsafe (exit 4) with the alias state and both ways out.
 */
async function stopUnpromoted(ctx: ShiftContext, seen: NotOnTarget): Promise<DeployResult> {
  const { req, cursor } = ctx;
  // Said on the record, so status, check and --resume do not take the recent heartbeat for a
  // runner still driving it, nor the alias for moved by hand (promote-unconfirmed.ts).
  await ctx.recorder.write({ endReason: PROMOTE_UNCONFIRMED_REASON });
  ctx.recorder.stopHeartbeats();
  const data = {
    targetVersion: cursor.targetVersion,
    stableVersion: cursor.stableVersion,
    ...(seen.error ? { error: seen.error } : {}),
  };
  logWarn(
    ctx.deps,
    `every step passed, but alias ${req.alias} of function ${req.functionName} is not on version ${cursor.targetVersion} alone; the deployment is not recorded promoted`,
    'alias',
  );
  return buildResult(ctx, 'unsafe', {
    ...(seen.aliasState ? { aliasState: { ...seen.aliasState } } : {}),
    cause: causeOf('PROMOTE_UNCONFIRMED', data),
    fixCommand: buildFixCommand(req.functionName, req.alias, cursor.targetVersion),
    rollbackCommand: buildRollbackCommand(req.functionName, req.alias),
  });
}

/**
 * Another lshift took the deployment over (resume, supersede, rollback): leave everything to it.
 * Taken over while this runner was rolling back, by someone who finished that same rollback
 * (rollback-finished-by.ts): rolled back (exit 3), saying who did it. `after`: what this runner
 * was rolling back for.
 */
export async function stopTakenOver(ctx: ShiftContext, after?: OutcomeCause): Promise<DeployResult> {
  const aliasState = await readAliasState(ctx);
  const stored = await readStoredRecord(ctx.deps.store, ctx.req);
  const finishedBy = judgeFinisher(ctx.recorder.current(), stored, aliasState);
  if (finishedBy) {
    ctx.cursor.percent = 0;
    const cause = after ?? causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason());
    return buildResult(ctx, 'rolled_back', { aliasState, cause, finishedBy });
  }
  const cause = causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason());
  return buildResult(ctx, 'conflict', { aliasState, cause });
}

async function readAliasState(ctx: ShiftContext): Promise<DeployResult['aliasState']> {
  try {
    const seen = await ctx.deps.lambda.getAlias(ctx.req.functionName, ctx.req.alias);
    return seen
      ? { functionVersion: seen.functionVersion, additionalWeights: seen.additionalWeights }
      : undefined;
  } catch {
    // Best effort: the result still says what happened.
    return undefined;
  }
}

async function stopOnConflict(ctx: ShiftContext, cause: string, why: OutcomeCause): Promise<DeployResult> {
  const { functionName, alias } = ctx.req;
  const aliasState = await readAliasState(ctx);
  logWarn(
    ctx.deps,
    why.code === 'GROUP_BUSY'
      ? `${cause} (${describePosition(ctx.position)})`
      : `alias ${alias} of function ${functionName} changed underneath ${describePosition(ctx.position)}: someone else moved it; lshift stopped (${cause})`,
    why.code === 'GROUP_BUSY' ? 'codedeploy' : 'alias',
  );
  if (why.code === 'ALIAS_CHANGED' && aliasState) await closeMovedByHand(ctx, aliasState);
  // None of ours started: the record ends here, or it would look like a shift to resume.
  if (why.code === 'GROUP_BUSY') {
    await ctx.recorder.write({
      phase: 'rolled-back',
      percent: 0,
      endedAt: ctx.deps.clock.now(),
      endReason: 'CodeDeploy group busy',
    });
  }
  return buildResult(ctx, 'conflict', { aliasState, cause: { ...why, detail: cause } });
}

/**
 * The alias was moved by hand (the console, another tool) mid-shift: nobody will finish this
 * deployment, so its record says how it ended instead of staying `shifting` until it looks stale
 * and offers `--resume`. The write checks ownership first: when another lshift moved the alias
 * (`lshift alias` closes the record itself, resume and supersede claim it), it is theirs and
 * nothing is written.
 */
async function closeMovedByHand(
  ctx: ShiftContext,
  aliasState: NonNullable<DeployResult['aliasState']>,
): Promise<void> {
  const closed = closedByHand(ctx.recorder.current(), aliasState);
  await ctx.recorder.write({ ...closed, endedAt: ctx.deps.clock.now() });
}

async function pause(ctx: ShiftContext): Promise<DeployResult> {
  if (!(await ctx.recorder.write({ phase: 'paused' }))) return stopTakenOver(ctx);
  return buildResult(ctx, 'paused', {
    aliasState: { ...ctx.cursor.aliasState },
    cause: causeOf('INTERRUPTED', { left: true }),
  });
}

/** `cause` undefined means an interrupt (Ctrl-C/SIGTERM); `why` is the same as data. */
async function rollBack(
  ctx: ShiftContext,
  cause: string | undefined,
  why: OutcomeCause,
): Promise<DeployResult> {
  announceRollback(ctx, cause);
  // The record says `rolling-back` before the alias moves: a crash in between is finished as a
  // rollback by `deploy --resume` and `lshift check`, never resumed forward.
  if (!(await ctx.recorder.write({ phase: 'rolling-back' }))) return stopTakenOver(ctx);
  const restored = await restoreStable(ctx);
  // Stopped before it shifted any traffic, and the alias is on the stable version: as last seen,
  // no traffic ever moved (the result and its words say so, as for lshift's own pre-traffic hook).
  if (restored.kind === 'restored' && shiftedNothing(ctx)) ctx.trafficMoved = false;
  return endRollback(ctx, restored, cause, why, { checked: true });
}

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
  });
}

export type RestoreEnd = Awaited<ReturnType<typeof runRollbackProgram>>;

/** All traffic back on the stable version (nothing to write when no traffic ever moved). */
export async function restoreStable(ctx: ShiftContext): Promise<RestoreEnd> {
  const { cursor } = ctx;
  if (ctx.trafficMoved) return runRollbackProgram(ctx);
  return {
    kind: 'restored',
    attempts: 0,
    alreadyStable: isOnStable(cursor.aliasState, cursor.stableVersion),
  };
}

/**
 * After the alias write: the record (rolled-back, or failed), the result, the rollback hooks.
 * `checked`: ownership was checked since our last alias write (the `rolling-back` write), so the
 * closing write needs no ownership read; so does one right after our own restore.
 */
export async function endRollback(
  ctx: ShiftContext,
  outcome: RestoreEnd,
  cause: string | undefined,
  why: OutcomeCause,
  opts: { checked: boolean },
): Promise<DeployResult> {
  const { deps, cursor, req } = ctx;
  const after: OutcomeCause = cause === undefined ? why : { ...why, detail: cause };
  if (outcome.kind === 'conflict') {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    return buildResult(ctx, 'conflict', {
      aliasState: outcome.aliasState,
      cause: causeOf('ROLLBACK_CONFLICT', { error: outcome.message, after }),
    });
  }
  const end = deps.clock.now();
  // A CodeDeploy deployment first found by the rollback (a start whose answer was lost).
  const ref = cursor.deploymentRef ? { codeDeployId: cursor.deploymentRef } : {};
  const ownWrite = outcome.kind === 'restored' && outcome.attempts > 0 && !outcome.alreadyStable;
  // Retried (minutes, at worst) and found the alias put back, or never put it back itself:
  // someone may have taken the record over meanwhile (a check that took it for abandoned), so
  // the closing write reads first and leaves theirs alone.
  const retried = outcome.kind === 'unsafe' || (outcome.kind === 'restored' && outcome.attempts > 0);
  const afterAliasWrite = ownWrite || (opts.checked && !retried);
  let result: DeployResult;
  if (outcome.kind === 'restored') {
    cursor.percent = 0;
    emitEvent(deps, { type: 'rollback.completed', toVersion: cursor.stableVersion });
    const owned = await ctx.recorder.write(
      { phase: 'rolled-back', percent: 0, endedAt: end, ...ref },
      { afterAliasWrite },
    );
    if (!owned) return stopTakenOver(ctx, after);
    result = buildResult(ctx, 'rolled_back', { cause: after });
  } else {
    emitEvent(deps, { type: 'rollback.failed', message: outcome.message });
    const owned = await ctx.recorder.write({ phase: 'failed', endedAt: end, ...ref }, { afterAliasWrite });
    if (!owned) return stopTakenOver(ctx, after);
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
        after,
        ...(running ? { codeDeployRunning: running } : {}),
      }),
    });
  }
  if (cause === undefined) return result;
  return runRollbackHooks(ctx, result);
}

/** The rollback program (all traffic back on the stable version), run by the same interpreter. */
async function runRollbackProgram(ctx: ShiftContext) {
  const program = planRollback(ctx.cursor, { functionName: ctx.req.functionName, alias: ctx.req.alias });
  // A driver that waits for a service to put the alias back beats meanwhile (step-restore.ts).
  const restore = { onPoll: () => ctx.recorder.heartbeat(ctx.heartbeatMs) };
  const ended = await runProgram(
    { traffic: ctx.traffic, clock: ctx.deps.clock, cursor: ctx.cursor, restore },
    program,
  );
  if (ended.kind === 'done')
    return ended.restored ?? { kind: 'restored' as const, attempts: 0, alreadyStable: false };
  if (ended.kind === 'conflict')
    return { kind: 'conflict' as const, message: ended.cause, aliasState: ended.aliasState };
  if (ended.kind === 'unsafe') return ended;
  throw new Error(`a rollback program ended ${ended.kind}`);
}

/** Rollback hooks report, they never change the outcome. */
async function runRollbackHooks(ctx: ShiftContext, result: DeployResult): Promise<DeployResult> {
  const specs = ctx.req.hooks?.rollback;
  if (!specs || specs.length === 0) return result;
  const outcome = await runHookPhase(ctx.deps, specs, hookPayload(ctx, 'rollback'), {
    defaultTimeoutSeconds: ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    signal: ctx.req.signal,
    continueOnFailure: true,
  });
  if (outcome.kind === 'ok') return result;
  const rollbackHooks: RollbackHooksNote =
    outcome.kind === 'failed'
      ? {
          kind: 'failed',
          hooks: outcome.failures.map((f) => f.hook),
          detail: describeHookFailures('rollback', outcome.failures),
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

function buildResult(ctx: ShiftContext, status: DeployStatus, extra: Partial<DeployResult>): DeployResult {
  const { req, cursor } = ctx;
  return {
    status,
    deploymentId: req.deploymentId,
    functionName: req.functionName,
    alias: req.alias,
    fromVersion: cursor.stableVersion,
    toVersion: cursor.targetVersion,
    strategy: req.strategy.name,
    steps: ctx.steps.map((s) => ({ ...s })),
    verdicts: ctx.monitor.latestVerdicts(),
    startedAt: ctx.startedAt,
    endedAt: ctx.deps.clock.now(),
    step: ctx.programIndex,
    position: ctx.position,
    trafficMoved: ctx.trafficMoved,
    ...(cursor.deploymentRef ? { codeDeploy: { deploymentId: cursor.deploymentRef } } : {}),
    ...extra,
  };
}
