/**
 * Turns how the phases ended into the final alias state, record and DeployResult:
 * done → promoted; failed → run the rollback program, then the rollback hooks; conflict → stop
 * with no further alias write (someone else owns the alias) — unless the record shows a rollback
 * of this very deployment, which ends as a takeover does (moved-by-rollback.ts); interrupted →
 * roll back at once (no hooks: Ctrl-C must finish in seconds) or, with --on-interrupt leave,
 * pause with the weights as they are. Once another lshift has taken the deployment record over
 * (resume, supersede, `lshift rollback`), every outcome stops with no further write: the alias
 * is that runner's now (rolled back by them, exit 3, or a conflict: settle-result.ts).
 * A conflict ends in settle-conflict.ts, a rollback starts in settle-rollback-run.ts.
 */
import type { DeployResult } from '../domain/events.js';
import { isHandedOff } from '../domain/hand-off.js';
import { causeOf } from '../domain/outcome.js';
import { buildFixCommand, buildRollbackCommand } from './deploy-result.js';
import { logWarn } from './emit.js';
import { confirmOnTarget, type NotOnTarget } from './promote-guard.js';
import { settlePromotion } from './promotion-settle.js';
import { MAX_HISTORY, PROMOTE_UNCONFIRMED_REASON } from './record-view.js';
import { stopOnConflict } from './settle-conflict.js';
import { buildResult, stopTakenOver } from './settle-result.js';
import { noteNothingShifted, rollBack } from './settle-rollback-run.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { closeUnheldStep, handedOffOr, unheldStepResult } from './step-result.js';

/**
 * `markWaitMs`: the longest its rollback waits for its `rolling-back` mark (mark-wait.ts), when
 * the caller knows the store hangs (a release whose one mark did not land: release-settle.ts).
 * `releaseRollsBack`: a release whose verdict rolls its other functions back (release-settle.ts):
 * a split someone made of this one is closed as not resumable (settle-conflict.ts closeMovedByHand).
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
