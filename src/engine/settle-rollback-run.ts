/**
 * A settled run's own rollback (settle.ts: failed, interrupted, or a CodeDeploy end over a move):
 * its `rolling-back` mark first, then the restore and the close (settle-rollback*.ts); and
 * a CodeDeploy deployment stopped before it shifted anything, said so.
 */
import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { routesTo } from './alias-step.js';
import { markWaitMs } from './mark-wait.js';
import { recordCause } from './rollback-record-cause.js';
import { stopTakenOver } from './settle-result.js';
import { announceRollback, endRollback, endUnwrittenMoved, readBeforeRollback } from './settle-rollback.js';
import { restoreStable } from './settle-rollback-restore.js';
import type { ShiftContext } from './shift-context.js';

/**
 * A driver that follows a service (CodeDeploy) is "at step 1" from the moment it started the
 * deployment, but the service shifts nothing before its BeforeAllowTraffic hook has passed: an
 * interrupt (or a failure: the hook, a stop from outside) while the alias still routes nothing
 * to the new version (as last polled, no step reached) happened before any traffic moved, and
 * is said so. The rollback still runs (it
 * stops the deployment), so `trafficMoved` stays as it is.
 */
export function noteNothingShifted(ctx: ShiftContext): void {
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

/** `cause` undefined means an interrupt (Ctrl-C/SIGTERM); `why` is the same as data. */
export async function rollBack(
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
