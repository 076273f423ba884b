/**
 * Turns how the phases ended into the final alias state, record and DeployResult:
 * done → promoted; failed → run the rollback program, then the rollback hooks; conflict → stop
 * with no further alias write (someone else owns the alias) — unless the record shows a rollback
 * of this very deployment, which ends as a takeover does (moved-by-rollback.ts); interrupted →
 * roll back at once (no hooks: Ctrl-C must finish in seconds) or, with --on-interrupt leave,
 * pause with the weights as they are. Once another lshift has taken the deployment record over
 * (resume, supersede, `lshift rollback`), every outcome stops with no further write: the alias
 * is that runner's now (rolled back by them, exit 3, or a conflict: settle-result.ts).
 */
import type { RecordCause } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { isHandedOff } from '../domain/hand-off.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { isOnStable, routesTo } from './alias-step.js';
import { causeOfFollowedEnd } from './codedeploy-followed-end.js';
import {
  buildFixCommand,
  buildRollbackCommand,
  buildStopCommand,
  buildStopKeepingCommand,
  describePosition,
  runningDeploymentOf,
} from './deploy-result.js';
import { logWarn } from './emit.js';
import { markWaitMs } from './mark-wait.js';
import { stopIfLostToRollback, stopIfRolledBackUnder } from './moved-by-rollback.js';
import { confirmOnTarget, type NotOnTarget } from './promote-guard.js';
import { settlePromotion } from './promotion-settle.js';
import {
  closedByHand,
  isSplit,
  KEEP_MOVE_UNCONFIRMED_REASON,
  MAX_HISTORY,
  PROMOTE_UNCONFIRMED_REASON,
  WEIGHTS_BY_HAND,
} from './record-view.js';
import { recordCause } from './rollback-record-cause.js';
import { buildResult, readAliasState, stopTakenOver } from './settle-result.js';
import { announceRollback, endRollback, endUnwrittenMoved, readBeforeRollback } from './settle-rollback.js';
import { restoreStable } from './settle-rollback-restore.js';
import { endStepOverMove, endSucceededOverMove, isSucceededOverMove } from './settle-succeeded-over-move.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { splitLeftCommands } from './split-left-commands.js';
import { closeUnheldStep, handedOffOr, unheldStepResult } from './step-result.js';

/**
 * `markWaitMs`: the longest its rollback waits for its `rolling-back` mark (mark-wait.ts), when
 * the caller knows the store hangs (a release whose one mark did not land: release-settle.ts).
 * `releaseRollsBack`: a release whose verdict rolls its other functions back (release-settle.ts):
 * a split someone made of this one is closed as not resumable (closeMovedByHand).
 */
export async function settleDeployment(
  ctx: ShiftContext,
  outcome: PhaseOutcome,
  opts: { markWaitMs?: number; releaseRollsBack?: boolean } = {},
): Promise<DeployResult> {
  const byRequest = ctx.req.signal?.aborted === true;
  const unheld = handedOffOr(unheldStepResult(outcome.kind, true, byRequest), ctx.req.signal);
  closeUnheldStep(ctx.steps, unheld, ctx.deps.clock.now());
  if (ctx.recorder.lostReason() !== undefined) return stopTakenOver(ctx);
  switch (outcome.kind) {
    case 'done':
      return promote(ctx);
    case 'conflict':
      return stopOnConflict(ctx, outcome.cause, outcome.why, opts.releaseRollsBack === true);
    case 'interrupted':
      noteNothingShifted(ctx);
      if (ctx.req.onInterrupt === 'leave' && ctx.trafficMoved) return pause(ctx);
      return rollBack(ctx, undefined, causeOf('INTERRUPTED', { left: false }), opts.markWaitMs);
    case 'failed':
      // CodeDeploy's BeforeAllowTraffic hook failing, or its deployment stopped from outside
      // while that hook ran, ends it before any traffic moved, as an interrupt there does.
      noteNothingShifted(ctx);
      return rollBack(ctx, outcome.cause, outcome.why, opts.markWaitMs);
  }
}

/**
 * A driver that follows a service (CodeDeploy) is "at step 1" from the moment it started the
 * deployment, but the service shifts nothing before its BeforeAllowTraffic hook has passed: an
 * interrupt (or a failure: the hook, a stop from outside) while the alias still routes nothing
 * to the new version (as last polled, no step reached) happened before any traffic moved, and
 * is said so. The rollback still runs (it
 * stops the deployment), so `trafficMoved` stays as it is.
 */
function noteNothingShifted(ctx: ShiftContext): void {
  const { position } = ctx;
  if (!ctx.traffic.ownSchedule || position.kind !== 'step' || ctx.cursor.percent !== 0) return;
  // Seen carrying traffic before CodeDeploy's own rollback put it back (a post-traffic hook failed).
  if ((ctx.cursor.peakPercent ?? 0) > 0) return;
  // The follow's last read of the alias found CodeDeploy's weight, and what failed was the status
  // read after it (a GetDeployment held past its bound): traffic had moved (found by a hostile
  // pass: "CodeDeploy had shifted none yet …; alias live unchanged" of a read that found 10%).
  if (routesTo(ctx.cursor.aliasState, ctx.cursor.targetVersion)) return;
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
    ...alarmsJudged(ctx),
    history: [stableVersion, ...previous].slice(0, MAX_HISTORY),
  });
  if (!owned) return stopTakenOver(ctx);
  // Read back once a rollback claim written over by it would be back (promotion-settle.ts).
  const unsettled = await settlePromotion(ctx);
  if (unsettled?.kind === 'taken-over') return stopTakenOver(ctx);
  if (unsettled) return stopOnConflict(ctx, unsettled.cause, unsettled.why);
  return buildResult(ctx, 'promoted', {});
}

/**
 * Up to when this run's alarm polls judged every alarm, for `lshift check` to read flaps from
 * there: the promotion write comes after the last poll (a post-traffic hook, the alias write,
 * retries), and a flap in between is seen by no poll (check-flaps.ts). A run none of whose polls
 * judged them all (resumed after its last hold) says its start: check reads from there, as for a
 * deployment nobody drove. Without `--alarm` there is nothing judged: no field, and check reads
 * from the promotion as before.
 */
function alarmsJudged(ctx: ShiftContext): { alarmsJudgedUntil?: number } {
  if (ctx.req.alarms.length === 0) return {};
  return { alarmsJudgedUntil: ctx.monitor.alarmsJudgedUntil() ?? ctx.startedAt };
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
 * A moved alias (ALIAS_CHANGED: a 412, a hold's read of the alias, the promotion read-back) is
 * first told from a rollback of this deployment by its record (moved-by-rollback.ts); only what is
 * not one is a conflict. A CodeDeploy group busy with another deployment is one.
 */
async function stopOnConflict(
  ctx: ShiftContext,
  cause: string,
  why: OutcomeCause,
  releaseRollsBack = false,
): Promise<DeployResult> {
  const { functionName, alias } = ctx.req;
  // Under CodeDeploy a person's move is kept: its deployment stopped without its rollback first.
  // Said on the record before the stop: a stop not seen to end (refused, lost, a second signal's
  // exit) leaves it, and status, check and wait read CodeDeploy for it (record-view.ts).
  const keeping = why.code === 'ALIAS_CHANGED' && ctx.traffic.leaveToMove && runningDeploymentOf(ctx.cursor);
  if (keeping) await ctx.recorder.write({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
  const left = why.code === 'ALIAS_CHANGED' ? await ctx.traffic.leaveToMove?.(ctx.cursor) : undefined;
  const running = left === undefined ? undefined : runningDeploymentOf(ctx.cursor);
  const aliasState = await readAliasState(ctx);
  // CodeDeploy had Succeeded over the move before the stop: the record keeps its mark, unsafe.
  if (keeping && aliasState && isSucceededOverMove(ctx.cursor, aliasState))
    return endSucceededOverMove(ctx, why, left ? `${cause}; ${left}` : cause, aliasState);
  // CodeDeploy's own later step wrote over the move before the stop landed: the mark stays, unsafe.
  if (keeping && aliasState && ctx.cursor.stepOverMove !== undefined)
    return endStepOverMove(ctx, why, left ? `${cause}; ${left}` : cause, aliasState);
  // Seen to end: the closes below say how; one that writes no end reason must not keep the mark.
  if (keeping && !running) await ctx.recorder.write({ endReason: undefined });
  const ownEnd = why.code === 'ALIAS_CHANGED' ? ownRollbackOverMove(ctx, aliasState) : undefined;
  if (ownEnd) return rollBack(ctx, ownEnd.cause, ownEnd.why);
  if (why.code === 'ALIAS_CHANGED') {
    const rolledBack = await stopIfRolledBackUnder(ctx, aliasState);
    if (rolledBack) return rolledBack;
    // Not seen to end: not closed "moved by hand" (nothing would look at CodeDeploy again); the
    // record keeps its mark, its runner exits.
    if (running) ctx.recorder.stopHeartbeats();
    else if (aliasState) {
      await closeMovedByHand(ctx, aliasState, releaseRollsBack);
      // Closed before the warning: its ownership read may find the rollback after all.
      const lostToRollback = await stopIfLostToRollback(ctx);
      if (lostToRollback) return lostToRollback;
    }
  }
  logWarn(
    ctx.deps,
    why.code === 'GROUP_BUSY'
      ? `${cause} (${describePosition(ctx.position)})`
      : `alias ${alias} of function ${functionName} changed underneath ${describePosition(ctx.position)}: someone else moved it; lshift stopped (${cause})${left ? `; ${left}` : ''}`,
    why.code === 'GROUP_BUSY' ? 'codedeploy' : 'alias',
  );
  // None of ours started: the record ends here, or it would look like a shift to resume.
  if (why.code === 'GROUP_BUSY') {
    await ctx.recorder.write({
      phase: 'rolled-back',
      percent: 0,
      endedAt: ctx.deps.clock.now(),
      endReason: 'CodeDeploy group busy',
    });
  }
  const detail = left ? `${cause}; ${left}` : cause;
  if (why.code === 'ALIAS_CHANGED' && running) {
    // CodeDeploy refused the stop, or was not seen to end: it may still move the alias over the
    // person's move with nobody watching — exit 4 by the rule, not 5 (docs/exit-codes.md).
    // Its later step already over the move: the move is gone, a stop without rollback would
    // freeze CodeDeploy's split; `lshift rollback` stops it with its rollback (codedeploy-hand-move.ts).
    const gone = ctx.cursor.stepOverRunning !== undefined;
    return buildResult(ctx, 'unsafe', {
      aliasState,
      cause: { ...why, data: { codeDeployRunning: running }, detail },
      fixCommand: gone ? buildStopCommand(running) : buildStopKeepingCommand(running),
      ...(gone ? { rollbackCommand: buildRollbackCommand(functionName, alias) } : {}),
    });
  }
  // A split someone made mid-shift, its record closed: nobody drives it (`status` and `check` say
  // STALLED, exit 4), and DESIGN.md §6 lets only exit 4 leave an alias split, with the fix (it
  // was a conflict, exit 5, as the rollback's was: rollback-moved-close.ts movedStatus). Moved
  // whole onto one version: the person holds it, a conflict (exit 5). Under CodeDeploy too (a
  // kept move, its deployment stopped without its rollback: nothing drives the split either, its
  // record closed; it exited 5 until session 68, docs/codedeploy.md says why not).
  // Its record taken by another lshift (`deploy --resume`): that runner drives the split, theirs.
  const splitLeft = why.code === 'ALIAS_CHANGED' && ctx.recorder.lostReason() === undefined;
  if (splitLeft && aliasState && isSplit(aliasState.additionalWeights)) {
    return buildResult(ctx, 'unsafe', {
      aliasState,
      cause: { ...why, data: { splitLeft: true }, detail },
      ...splitLeftCommands(ctx, 'closed', aliasState),
    });
  }
  return buildResult(ctx, 'conflict', { aliasState, cause: { ...why, detail } });
}

/**
 * CodeDeploy ended the deployment on its own (its alarm, a hook, someone's stop) before this run's
 * stop for a move by hand reached it, and its rollback put all traffic back on the stable version
 * over the move: that end is how the run ended (exit 3, as when a follow reads it), not a person's
 * move (found by a hostile pass: exit 5 "moved by hand", the end never read). Left on another
 * version or split, the move stands: a conflict, as before.
 */
function ownRollbackOverMove(
  ctx: ShiftContext,
  aliasState: DeployResult['aliasState'],
): { cause: string; why: OutcomeCause } | undefined {
  const ended = ctx.cursor.endedBeforeStop;
  if (!ended || !aliasState || !isOnStable(aliasState, ctx.cursor.stableVersion)) return undefined;
  const why =
    causeOfFollowedEnd(ended, ctx.cursor.deploymentRef, ctx.req.engineHooks) ??
    causeOf('WEIGHT_WRITE_FAILED', { percent: ctx.cursor.percent, error: 'CODEDEPLOY_DEPLOYMENT_FAILED' });
  return { cause: ended.message, why };
}

/**
 * The alias was moved by hand (the console, another tool) mid-shift: nobody will finish this
 * deployment, so its record says how it ended instead of staying `shifting` until it looks stale
 * and offers `--resume`. The write checks ownership first: when another lshift moved the alias
 * (`lshift alias` closes the record itself, resume and supersede claim it), it is theirs and
 * nothing is written.
 */
const RELEASE_MET_MOVE: RecordCause = { code: 'ALIAS_CHANGED' };

async function closeMovedByHand(
  ctx: ShiftContext,
  aliasState: NonNullable<DeployResult['aliasState']>,
  releaseRollsBack: boolean,
): Promise<void> {
  // A CodeDeploy deployment is over (ended, or stopped for the move): nothing resumes a split.
  // Nor does a release's function whose release rolled the others back for it: left `paused`,
  // status and check offered its resume first, which shifted it alone to 100% against the
  // release's verdict (h4's hostile pass, session 68, F1). Closed `rolled-back (weights changed by
  // hand)` as a rollback that met a split is: only the rollback is offered, the resume refused.
  const resumable = !ctx.traffic.ownSchedule && !releaseRollsBack;
  const closed = closedByHand(ctx.recorder.current(), aliasState, { resumable });
  // Why its release rolled back (`y=`), as its other functions' records keep it: a resume's hint
  // said "`lshift status` says why", and nothing did (session 68's LOW). A split of its two
  // versions only: status then says lshift had decided to roll it back, and why; a whole move is
  // the person's, and a cause there would read as a decision over it (MOVED OVER LSHIFT'S ROLLBACK).
  const why = releaseRollsBack && closed.endReason === WEIGHTS_BY_HAND ? { cause: RELEASE_MET_MOVE } : {};
  await ctx.recorder.write({ ...closed, ...why, endedAt: ctx.deps.clock.now() }, { onlyIfRead: true });
}

async function pause(ctx: ShiftContext): Promise<DeployResult> {
  if (!(await ctx.recorder.write({ phase: 'paused' }))) return stopTakenOver(ctx);
  // A write abandoned in flight may have landed already: the state is read again, not as last
  // written; and it may still land, which the words say (found by a hostile pass: "left as they
  // are: 75/25", then 50/50 once the held write was applied).
  const inFlight = ctx.abandonedWrite;
  if (inFlight !== undefined) await ctx.traffic.observe(ctx.cursor);
  // `deploy --detach` handing the shift to CodeDeploy is no interrupt: no signal came.
  if (isHandedOff(ctx.req.signal))
    return buildResult(ctx, 'paused', {
      aliasState: { ...ctx.cursor.aliasState },
      cause: causeOf('DETACHED', {}),
    });
  return buildResult(ctx, 'paused', {
    aliasState: { ...ctx.cursor.aliasState },
    cause: causeOf('INTERRUPTED', {
      left: true,
      ...(inFlight !== undefined ? { writeInFlight: inFlight } : {}),
    }),
    // The undo its reason offers, as a field: the CLI gives it the run's target flags (it said
    // "Run `lshift rollback fn --alias a`", which acts on the default account: h2's pass, session 65).
    rollbackCommand: buildRollbackCommand(ctx.req.functionName, ctx.req.alias),
  });
}

/** `cause` undefined means an interrupt (Ctrl-C/SIGTERM); `why` is the same as data. */
async function rollBack(
  ctx: ShiftContext,
  cause: string | undefined,
  why: OutcomeCause,
  markWaitAtMostMs = Number.POSITIVE_INFINITY,
): Promise<DeployResult> {
  const seen = await readBeforeRollback(ctx);
  if (seen && seen.kind !== 'restored') return endUnwrittenMoved(ctx, seen, cause, why);
  announceRollback(ctx, cause);
  // The record says `rolling-back` before the alias moves: a crash in between is finished as a
  // rollback by `deploy --resume` and `lshift check`, never resumed forward. It says why too
  // (`y=`): whoever finishes it keeps that (found by a hostile pass: a check or resume that
  // finished a killed run's rollback recorded no reason, or only "resume finished it").
  // Waited for a few seconds at most (mark-wait.ts): a record write that hangs must not hold the
  // traffic on the new version for an AWS call bound or two. Left queued, it lands in its turn.
  const mark = { phase: 'rolling-back' as const, ...recordCause(why, ctx.recorder.current()) };
  const waitMs = Math.min(markWaitAtMostMs, markWaitMs(ctx.recorder.recordBehind() !== undefined));
  if ((await ctx.recorder.storeWithin(mark, waitMs)) === 'lost') return stopTakenOver(ctx);
  const restored = await restoreStable(ctx, seen ? { seen } : {});
  // Stopped before it shifted any traffic, and the alias is on the stable version: as last seen,
  // no traffic ever moved (the result and its words say so, as for lshift's own pre-traffic hook).
  if (restored.kind === 'restored' && shiftedNothing(ctx)) ctx.trafficMoved = false;
  return endRollback(ctx, restored, cause, why, { checked: true });
}
