/** The DeployResult of a shift as it ends, and the alias as it is then (settle-result.ts). */
import type { DeployResult, DeployStatus } from '../domain/events.js';
import type { ShiftContext } from './shift-context.js';

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
