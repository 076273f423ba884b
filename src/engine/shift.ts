/**
 * Executes a plan forward: for each step, run the step hooks (before every increase after the
 * first), write the weight with the last seen RevisionId, then hold while the health monitor
 * polls. Then the optional bake at 100%. Never decides what a failure means for the alias —
 * it reports a PhaseOutcome and settle.ts settles it.
 */

import type { StepOutcome } from '../domain/events.js';
import type { PlanStep } from '../domain/plan.js';
import { applyStep } from './alias-step.js';
import { describeStep, formatWeight } from './deploy-result.js';
import { describeError, emitEvent } from './emit.js';
import type { WatchOutcome } from './health-monitor.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { awaitProvisionedConcurrencyReady } from './provisioned-concurrency.js';
import { isAliasChanged } from './rollback-plan.js';
import {
  checkOwnership,
  hookOptions,
  hookPayload,
  type PhaseOutcome,
  type ShiftContext,
} from './shift-context.js';

/**
 * Walks the plan from step `fromStep` (a resumed deployment starts at the step its runner was
 * on: that weight is written again and held for its full time). Step hooks run before every
 * step after the first one walked.
 */
export async function executeShiftPlan(ctx: ShiftContext, fromStep = 0): Promise<PhaseOutcome> {
  const steps = ctx.req.plan.steps;
  // When the previous hold was scheduled to end; the next step counts its hold from there.
  let previousHoldEnd: number | undefined;
  for (const [position, step] of steps.entries()) {
    if (position < fromStep) continue;
    if (position > fromStep && (ctx.req.hooks?.step?.length ?? 0) > 0) {
      const hooks = await runStepHooks(ctx, step);
      if (hooks.kind !== 'done') return hooks;
      previousHoldEnd = undefined;
    }
    if (ctx.req.signal?.aborted) return { kind: 'interrupted' };
    const lost = checkOwnership(ctx);
    if (lost) return lost;
    const outcome = await executeStep(ctx, step, steps.length, previousHoldEnd);
    if (outcome.kind !== 'done') return outcome;
    previousHoldEnd = outcome.holdEnd;
  }
  return { kind: 'done' };
}

/**
 * A step's hold counts from the end of the previous hold (or from just before its own weight
 * write), not from after the write: the engine's own work between holds (the last poll, the
 * alias and record writes) would otherwise add to every step and stretch the schedule. The
 * catch-up is capped at 10% of the hold, so a slow API never cuts a step's watch short.
 */
function holdAfterCatchUp(step: PlanStep, countFrom: number, writtenAt: number): number {
  const catchUpMs = Math.min(Math.max(0, writtenAt - countFrom), step.holdSeconds * 100);
  return step.holdSeconds - catchUpMs / 1000;
}

async function runStepHooks(ctx: ShiftContext, next: PlanStep): Promise<PhaseOutcome> {
  const specs = ctx.req.hooks?.step;
  if (!specs || specs.length === 0) return { kind: 'done' };
  const outcome = await runHookPhase(ctx.deps, specs, hookPayload(ctx, 'step'), hookOptions(ctx));
  if (outcome.kind === 'interrupted') return { kind: 'interrupted' };
  if (outcome.kind === 'failed') {
    return {
      kind: 'failed',
      cause: `${describeHookFailures('step', outcome.failures)} (before moving to ${formatWeight(next.percent)})`,
    };
  }
  return { kind: 'done' };
}

async function executeStep(
  ctx: ShiftContext,
  step: PlanStep,
  total: number,
  previousHoldEnd: number | undefined,
): Promise<PhaseOutcome & { holdEnd?: number }> {
  const { deps, req, cursor } = ctx;
  const countFrom = previousHoldEnd ?? deps.clock.now();
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
  // Issue 14: the hold counts once the alias's provisioned concurrency is READY again.
  const pcTarget = { functionName: req.functionName, alias: req.alias, signal: req.signal };
  await awaitProvisionedConcurrencyReady(deps, pcTarget, deps.clock);
  const outcome = recordStep(ctx, step, deps.clock.now(), 'completed');
  const hold = holdAfterCatchUp(step, countFrom, outcome.startedAt);
  const holdEnd = outcome.startedAt + hold * 1000;
  await ctx.recorder.write(
    { phase: 'shifting', stepIndex: step.index, percent: step.percent },
    { afterAliasWrite: true },
  );
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
    hold,
  );
  outcome.endedAt = deps.clock.now();
  if (watched.kind !== 'healthy') {
    outcome.result = watched.kind === 'interrupted' ? 'interrupted' : 'failed';
    return toPhaseOutcome(watched);
  }
  emitEvent(deps, { type: 'step.completed', index: step.index, percent: step.percent });
  return { kind: 'done', holdEnd };
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
  if (!(await ctx.recorder.write({ phase: 'baking' }))) return checkOwnership(ctx) ?? { kind: 'done' };
  emitEvent(deps, { type: 'bake.started', seconds });
  const watched = await ctx.monitor.watch(
    {
      functionName: req.functionName,
      alias: req.alias,
      stableVersion: cursor.stableVersion,
      targetVersion: cursor.targetVersion,
      phase: 'bake',
      stepIndex: last?.index ?? req.plan.steps.at(-1)?.index ?? 0,
      percent: cursor.percent,
      stepStartedAt: last?.startedAt ?? deps.clock.now(),
      deploymentStartedAt: ctx.startedAt,
    },
    seconds,
  );
  if (watched.kind !== 'healthy') return toPhaseOutcome(watched);
  emitEvent(deps, { type: 'bake.completed' });
  return { kind: 'done' };
}

function toPhaseOutcome(watched: Exclude<WatchOutcome, { kind: 'healthy' }>): PhaseOutcome {
  switch (watched.kind) {
    case 'interrupted':
      return { kind: 'interrupted' };
    case 'unhealthy':
      return { kind: 'failed', cause: watched.reason };
    case 'stopped':
      return { kind: 'conflict', cause: watched.reason };
  }
}
