/** The DeployResult of a shift as it ends, and the stop when another lshift took it over. */
import type { DeployResult, DeployStatus } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { judgeFinisher, readStoredRecord } from './rollback-finished-by.js';
import type { ShiftContext } from './shift-context.js';

/**
 * Another lshift took the deployment over (resume, supersede, rollback): leave everything to it.
 * Taken over while this runner was rolling back, by someone who finished that same rollback
 * (rollback-finished-by.ts): rolled back (exit 3), saying who did it. `after`: what this runner
 * was rolling back for — given, the runner was rolling back even when its own record does not say
 * so: a release marks only one function's record `rolling-back` (release-settle.ts).
 */
export async function stopTakenOver(ctx: ShiftContext, after?: OutcomeCause): Promise<DeployResult> {
  const aliasState = await readAliasState(ctx);
  const stored = await readStoredRecord(ctx.deps.store, ctx.req);
  const current = ctx.recorder.current();
  const ours = after ? { ...current, phase: 'rolling-back' as const } : current;
  const finishedBy = judgeFinisher(ours, stored, aliasState);
  if (finishedBy) {
    ctx.cursor.percent = 0;
    const cause = after ?? causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason());
    return buildResult(ctx, 'rolled_back', { aliasState, cause, finishedBy });
  }
  const cause = causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason());
  return buildResult(ctx, 'conflict', { aliasState, cause });
}

export async function readAliasState(ctx: ShiftContext): Promise<DeployResult['aliasState']> {
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

export function buildResult(
  ctx: ShiftContext,
  status: DeployStatus,
  extra: Partial<DeployResult>,
): DeployResult {
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
