/**
 * The forward walk of a deployment: pre-traffic hooks → plan steps → bake → post-traffic hooks.
 * `runDeploy` starts at the beginning; `resumeDeploy` starts where a dead runner stopped. Each
 * phase reports a PhaseOutcome; settle.ts decides what it means for the alias.
 */
import { formatWeight } from './deploy-result.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { executeBake, executeShiftPlan } from './shift.js';
import {
  checkOwnership,
  hookOptions,
  hookPayload,
  type PhaseOutcome,
  type PhaseStart,
  type ShiftContext,
} from './shift-context.js';

export const FROM_THE_START: PhaseStart = { kind: 'shift', fromStep: 0, preHooks: true };

export async function runPhases(
  ctx: ShiftContext,
  start: PhaseStart = FROM_THE_START,
): Promise<PhaseOutcome> {
  if (ctx.req.signal?.aborted) return { kind: 'interrupted' };
  if (start.kind === 'shift') {
    if (start.preHooks) {
      const pre = await runHooks(ctx, 'pre', 'pre-hook');
      if (pre.kind !== 'done') return pre;
    }
    const shift = await executeShiftPlan(ctx, start.fromStep);
    if (shift.kind !== 'done') return shift;
  }
  if (start.kind !== 'post') {
    const bake = await executeBake(ctx);
    if (bake.kind !== 'done') return bake;
  }
  const last = ctx.req.plan.steps.at(-1);
  ctx.where = `after step ${(last?.index ?? 0) + 1} (${formatWeight(ctx.cursor.percent)})`;
  const post = await runHooks(ctx, 'post', 'post-hook');
  if (post.kind !== 'done') return post;
  return checkOwnership(ctx) ?? post;
}

async function runHooks(
  ctx: ShiftContext,
  phase: 'pre' | 'post',
  recordPhase: 'pre-hook' | 'post-hook',
): Promise<PhaseOutcome> {
  const specs = ctx.req.hooks?.[phase];
  if (!specs || specs.length === 0) return { kind: 'done' };
  if (!(await ctx.recorder.write({ phase: recordPhase }))) return checkOwnership(ctx) ?? { kind: 'done' };
  const outcome = await runHookPhase(ctx.deps, specs, hookPayload(ctx, phase), hookOptions(ctx));
  if (outcome.kind === 'interrupted') return { kind: 'interrupted' };
  if (outcome.kind === 'failed')
    return { kind: 'failed', cause: describeHookFailures(phase, outcome.failures) };
  return checkOwnership(ctx) ?? { kind: 'done' };
}
