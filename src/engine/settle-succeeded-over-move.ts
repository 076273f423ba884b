/**
 * A person moved the alias while AWS CodeDeploy ran lshift's deployment, and when the run came to
 * stop CodeDeploy WITHOUT its rollback (to keep that move), CodeDeploy had already ended it
 * Succeeded: its last step put all traffic on the new version over the move. Found by h2's pass
 * (session 65): the run said "conflict … it Succeeded (nothing was stopped)", exit 5, and closed
 * the record `promoted`, "moved by hand … leaving the alias where it was moved", which status then
 * said with exit 0: the person's move was gone and nothing said so. The record keeps its mark
 * instead (status says OVERRIDDEN, check STALLED, wait UNSAFE, all exit 4), and the run is unsafe
 * (exit 4): a human decides where traffic goes.
 */
import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';
import { isOnStable } from './alias-step.js';
import { buildFixCommand, buildRollbackCommand, describePosition } from './deploy-result.js';
import { logWarn } from './emit.js';
import { KEEP_MOVE_STEP_OVER_REASON, KEEP_MOVE_SUCCEEDED_FIRST_REASON } from './record-view.js';
import { buildResult } from './settle-result.js';
import type { ShiftContext } from './shift-context.js';

/**
 * True when CodeDeploy had ended the deployment Succeeded before the run's stop and the alias,
 * read after, routes all traffic to the new version: where CodeDeploy put it, not the person.
 */
export function isSucceededOverMove(
  cursor: Pick<TrafficCursor, 'succeededBeforeStop' | 'targetVersion'>,
  aliasState: DeployResult['aliasState'],
): boolean {
  return cursor.succeededBeforeStop === true && !!aliasState && isOnStable(aliasState, cursor.targetVersion);
}

/**
 * The run's end: the record left open with its mark, its heartbeats stopped; unsafe, exit 4. The
 * mark says CodeDeploy had Succeeded before the stop: status said "did not see the stop end".
 */
export async function endSucceededOverMove(
  ctx: ShiftContext,
  why: OutcomeCause,
  detail: string,
  aliasState: NonNullable<DeployResult['aliasState']>,
): Promise<DeployResult> {
  const { functionName, alias } = ctx.req;
  const { deploymentRef: id = '', targetVersion, stableVersion } = ctx.cursor;
  await ctx.recorder.write({ endReason: KEEP_MOVE_SUCCEEDED_FIRST_REASON });
  ctx.recorder.stopHeartbeats();
  logWarn(
    ctx.deps,
    `alias ${alias} of function ${functionName} was moved by hand ${describePosition(ctx.position)} while AWS CodeDeploy ran the deployment, but AWS CodeDeploy had ended deployment ${id} Succeeded before lshift's stop reached it: all traffic is on version ${targetVersion}, not where the person put it; the record stays open for a human (\`lshift rollback ${functionName} --alias ${alias}\` puts all traffic back on version ${stableVersion})`,
    'alias',
  );
  return buildResult(ctx, 'unsafe', {
    aliasState,
    cause: { ...why, data: { codeDeploySucceededOver: id }, detail } as OutcomeCause,
    fixCommand: buildFixCommand(functionName, alias, stableVersion),
    rollbackCommand: buildRollbackCommand(functionName, alias),
  });
}

/**
 * CodeDeploy's own later step gave the new version `cursor.stepOverMove` over the person's move
 * before the run's stop landed (codedeploy-hand-move.ts leaveCodeDeployToMove): the alias is where
 * CodeDeploy's schedule put it, not the person. Found by a hostile pass (session 66, F4b): the
 * run said it left the alias "where it was put", exit 5, and closed the record moved by hand. The
 * record keeps its keep-move mark (status and check then say STALLED: Stopped, nobody to finish
 * it) and the run is unsafe (exit 4): a human decides where traffic goes.
 */
export async function endStepOverMove(
  ctx: ShiftContext,
  why: OutcomeCause,
  detail: string,
  aliasState: NonNullable<DeployResult['aliasState']>,
): Promise<DeployResult> {
  const { functionName, alias } = ctx.req;
  const { deploymentRef: id = '', targetVersion, stableVersion, stepOverMove } = ctx.cursor;
  // The mark says the stop was seen to end (status and history said "did not see the stop end") —
  // unless its answer was lost: then the Stopped may be someone's stop with a rollback to come,
  // and `lshift alias` must keep its window (`r=@km`, written before the stop, stays).
  if (!ctx.cursor.stopAnswerLost) await ctx.recorder.write({ endReason: KEEP_MOVE_STEP_OVER_REASON });
  ctx.recorder.stopHeartbeats();
  logWarn(
    ctx.deps,
    `alias ${alias} of function ${functionName} was moved by hand ${describePosition(ctx.position)} while AWS CodeDeploy ran the deployment, but CodeDeploy's own later step gave version ${targetVersion} ${stepOverMove}% over that move before lshift's stop of deployment ${id} landed: the alias is where CodeDeploy put it, not where the person put it; the record stays open for a human (\`lshift rollback ${functionName} --alias ${alias}\` puts all traffic back on version ${stableVersion})`,
    'alias',
  );
  return buildResult(ctx, 'unsafe', {
    aliasState,
    cause: { ...why, detail } as OutcomeCause,
    fixCommand: buildFixCommand(functionName, alias, stableVersion),
    rollbackCommand: buildRollbackCommand(functionName, alias),
  });
}
