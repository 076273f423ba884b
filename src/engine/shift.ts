/**
 * Executes a plan forward: for each step, run the step hooks (before every increase after the
 * first), write the weight with the last seen RevisionId, then hold while the health monitor
 * polls. Then the optional bake at 100%. Never decides what a failure means for the alias —
 * it reports a PhaseOutcome and deploy.ts settles it.
 */

import type { StepOutcome } from '../domain/events.js';
import type { PlanStep } from '../domain/plan.js';
import { applyStep } from './alias-step.js';
import { describeStep, formatWeight } from './deploy-result.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './deploy-types.js';
import { describeError, emitEvent } from './emit.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { isAliasChanged } from './rollback-plan.js';
import { hookPayload, type PhaseOutcome, type ShiftContext } from './shift-context.js';

export async function executeShiftPlan(ctx: ShiftContext): Promise<PhaseOutcome> {
  const steps = ctx.req.plan.steps;
  for (const [position, step] of steps.entries()) {
    if (position > 0) {
      const hooks = await runStepHooks(ctx, step);
      if (hooks.kind !== 'done') return hooks;
    }
    if (ctx.req.signal?.aborted) return { kind: 'interrupted' };
    const outcome = await executeStep(ctx, step, steps.length);
    if (outcome.kind !== 'done') return outcome;
  }
  return { kind: 'done' };
}

async function runStepHooks(ctx: ShiftContext, next: PlanStep): Promise<PhaseOutcome> {
  const specs = ctx.req.hooks?.step;
  if (!specs || specs.length === 0) return { kind: 'done' };
  const outcome = await runHookPhase(ctx.deps, specs, hookPayload(ctx, 'step'), {
    defaultTimeoutSeconds: ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    signal: ctx.req.signal,
  });
  if (outcome.kind === 'interrupted') return { kind: 'interrupted' };
  if (outcome.kind === 'failed') {
    return {
      kind: 'failed',
      cause: `${describeHookFailures('step', outcome.failures)} (before moving to ${formatWeight(next.percent)})`,
    };
  }
  return { kind: 'done' };
}

async function executeStep(ctx: ShiftContext, step: PlanStep, total: number): Promise<PhaseOutcome> {
  const { deps, req, cursor } = ctx;
  emitEvent(deps, {
    type: 'step.started',
    index: step.index,
    total,
    percent: step.percent,
    holdSeconds: step.holdSeconds,
  });
  ctx.where = `at ${describeStep(step.index, step.percent)}`;
  ctx.trafficMoved = true;
  try {
    await applyStep(deps.lambda, cursor, step);
  } catch (error) {
    const outcome: StepOutcome = recordStep(ctx, step, deps.clock.now(), 'failed');
    outcome.endedAt = outcome.startedAt;
    if (isAliasChanged(error)) return { kind: 'conflict', cause: describeError(error) };
    return { kind: 'failed', cause: `could not write the weight: ${describeError(error)}` };
  }
  const outcome = recordStep(ctx, step, deps.clock.now(), 'completed');
  await ctx.recorder.write({ phase: 'shifting', stepIndex: step.index, percent: step.percent });
  const watched = await ctx.monitor.watch(
    {
      functionName: req.functionName,
      alias: req.alias,
      stableVersion: cursor.stableVersion,
      targetVersion: cursor.targetVersion,
      phase: 'shift',
      stepIndex: step.index,
      percent: step.percent,
      stepStartedAt: outcome.startedAt,
      deploymentStartedAt: ctx.startedAt,
    },
    step.holdSeconds,
  );
  outcome.endedAt = deps.clock.now();
  if (watched.kind === 'interrupted') {
    outcome.result = 'interrupted';
    return { kind: 'interrupted' };
  }
  if (watched.kind === 'unhealthy') {
    outcome.result = 'failed';
    return { kind: 'failed', cause: watched.reason };
  }
  emitEvent(deps, { type: 'step.completed', index: step.index, percent: step.percent });
  return { kind: 'done' };
}

function recordStep(
  ctx: ShiftContext,
  step: PlanStep,
  startedAt: number,
  result: StepOutcome['result'],
): StepOutcome {
  const outcome: StepOutcome = {
    index: step.index,
    percent: step.percent,
    holdSeconds: step.holdSeconds,
    startedAt,
    result,
  };
  ctx.steps.push(outcome);
  return outcome;
}

/** Watches at 100% for `bakeSeconds`; a failure here rolls back like any other. */
export async function executeBake(ctx: ShiftContext): Promise<PhaseOutcome> {
  const seconds = ctx.req.bakeSeconds ?? 0;
  if (seconds <= 0) return { kind: 'done' };
  const { deps, req, cursor } = ctx;
  const last = ctx.steps.at(-1);
  ctx.where = `during the bake (${formatWeight(cursor.percent)})`;
  await ctx.recorder.write({ phase: 'baking' });
  emitEvent(deps, { type: 'bake.started', seconds });
  const watched = await ctx.monitor.watch(
    {
      functionName: req.functionName,
      alias: req.alias,
      stableVersion: cursor.stableVersion,
      targetVersion: cursor.targetVersion,
      phase: 'bake',
      stepIndex: last?.index ?? 0,
      percent: cursor.percent,
      stepStartedAt: last?.startedAt ?? deps.clock.now(),
      deploymentStartedAt: ctx.startedAt,
    },
    seconds,
  );
  if (watched.kind === 'interrupted') return { kind: 'interrupted' };
  if (watched.kind === 'unhealthy') return { kind: 'failed', cause: watched.reason };
  emitEvent(deps, { type: 'bake.completed' });
  return { kind: 'done' };
}
