/**
 * `runDeploy`: preflight → record → pre-hooks → plan steps (step hooks, weight, hold + health)
 * → bake → post-hooks → promoted; any failure settles through settle.ts (a rollback plan, a
 * conflict stop, or a pause). Preflight refusals throw (nothing was written); once the record
 * is written, every expected outcome is a DeployResult, never a throw.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UsageError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { formatStrategy } from '../domain/strategy.js';
import { createAlarmGate } from './alarm-gate.js';
import { formatWeight } from './deploy-result.js';
import {
  DEFAULT_HEALTH_ERROR_LIMIT,
  DEFAULT_HOOK_TIMEOUT_SECONDS,
  type DeployDeps,
  type DeployRequest,
  HEARTBEAT_INTERVAL_MS,
} from './deploy-types.js';
import { DeploymentRecorder } from './deployment-recorder.js';
import { describeError, emitEvent } from './emit.js';
import { HealthMonitor } from './health-monitor.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { type PreflightResult, runPreflight } from './preflight.js';
import { settleDeployment } from './settle.js';
import { executeBake, executeShiftPlan } from './shift.js';
import { hookPayload, type PhaseOutcome, type ShiftContext } from './shift-context.js';

export { exitCodeForStatus } from './deploy-result.js';
export type { DeployDeps, DeployHooks, DeployRequest } from './deploy-types.js';

export async function runDeploy(deps: DeployDeps, req: DeployRequest): Promise<DeployResult> {
  checkRequest(req);
  const startedAt = deps.clock.now();
  const pre = await runPreflight(deps, {
    functionName: req.functionName,
    alias: req.alias,
    targetVersion: req.targetVersion,
    alarms: req.alarms,
    ignoreInitialAlarms: req.ignoreInitialAlarms,
    staleAfterSeconds: req.staleAfterSeconds,
  });
  if (pre.nothingToDeploy) return finish(deps, nothingToDeploy(deps, req, pre, startedAt));
  const ctx = createShiftContext(deps, req, pre, startedAt);
  emitEvent(deps, {
    type: 'shift.started',
    deploymentId: req.deploymentId,
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: pre.stableVersion,
    targetVersion: req.targetVersion,
    plan: req.plan,
  });
  await ctx.recorder.write({ phase: 'started' });
  let outcome: PhaseOutcome;
  try {
    outcome = await runPhases(ctx);
  } catch (error) {
    // A bug or an unexpected port failure mid-shift: the alias may be split, so roll back.
    outcome = { kind: 'failed', cause: `internal error: ${describeError(error)}` };
  }
  return finish(deps, await settleDeployment(ctx, outcome));
}

async function runPhases(ctx: ShiftContext): Promise<PhaseOutcome> {
  if (ctx.req.signal?.aborted) return { kind: 'interrupted' };
  const pre = await runHooks(ctx, 'pre', 'pre-hook');
  if (pre.kind !== 'done') return pre;
  const shift = await executeShiftPlan(ctx);
  if (shift.kind !== 'done') return shift;
  const bake = await executeBake(ctx);
  if (bake.kind !== 'done') return bake;
  const last = ctx.steps.at(-1);
  ctx.where = `after step ${(last?.index ?? 0) + 1} (${formatWeight(ctx.cursor.percent)})`;
  return runHooks(ctx, 'post', 'post-hook');
}

async function runHooks(
  ctx: ShiftContext,
  phase: 'pre' | 'post',
  recordPhase: 'pre-hook' | 'post-hook',
): Promise<PhaseOutcome> {
  const specs = ctx.req.hooks?.[phase];
  if (!specs || specs.length === 0) return { kind: 'done' };
  await ctx.recorder.write({ phase: recordPhase });
  const outcome = await runHookPhase(ctx.deps, specs, hookPayload(ctx, phase), {
    defaultTimeoutSeconds: ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    signal: ctx.req.signal,
  });
  if (outcome.kind === 'interrupted') return { kind: 'interrupted' };
  if (outcome.kind === 'failed')
    return { kind: 'failed', cause: describeHookFailures(phase, outcome.failures) };
  return { kind: 'done' };
}

function createShiftContext(
  deps: DeployDeps,
  req: DeployRequest,
  pre: PreflightResult,
  startedAt: number,
): ShiftContext {
  const initial: DeploymentRecord = {
    id: req.deploymentId,
    stableVersion: pre.stableVersion,
    targetVersion: req.targetVersion,
    strategy: formatStrategy(req.strategy),
    stepIndex: 0,
    percent: 0,
    phase: 'started',
    startedAt,
    owner: req.owner,
    heartbeatAt: startedAt,
    history: [...(pre.record?.history ?? [])],
  };
  const recorder = new DeploymentRecorder(deps, req.functionName, req.alias, initial);
  const monitor = new HealthMonitor(deps, createAlarmGate(deps.metrics, req.alarms), deps.gates ?? [], {
    pollIntervalSeconds: req.pollIntervalSeconds,
    healthErrorLimit: req.healthErrorLimit ?? DEFAULT_HEALTH_ERROR_LIMIT,
    ignoreHealthErrors: req.ignoreHealthErrors ?? false,
    onInconclusive: req.onInconclusive ?? 'continue',
    signal: req.signal,
    onPoll: () => recorder.heartbeat(HEARTBEAT_INTERVAL_MS),
  });
  return {
    deps,
    req,
    cursor: {
      functionName: req.functionName,
      alias: req.alias,
      stableVersion: pre.stableVersion,
      targetVersion: req.targetVersion,
      revisionId: pre.aliasRevisionId,
      aliasState: {
        functionVersion: pre.alias.functionVersion,
        additionalWeights: { ...pre.alias.additionalWeights },
      },
      percent: 0,
    },
    startedAt,
    monitor,
    recorder,
    steps: [],
    trafficMoved: false,
    where: 'before any traffic moved',
  };
}

function nothingToDeploy(
  deps: DeployDeps,
  req: DeployRequest,
  pre: PreflightResult,
  startedAt: number,
): DeployResult {
  return {
    status: 'nothing_to_deploy',
    deploymentId: req.deploymentId,
    functionName: req.functionName,
    alias: req.alias,
    fromVersion: pre.stableVersion,
    toVersion: req.targetVersion,
    strategy: req.strategy.name,
    steps: [],
    verdicts: [],
    reason: `alias ${req.alias} of function ${req.functionName} already points at version ${req.targetVersion}: nothing to deploy`,
    startedAt,
    endedAt: deps.clock.now(),
  };
}

function finish(deps: DeployDeps, result: DeployResult): DeployResult {
  emitEvent(deps, { type: 'deploy.finished', result });
  return result;
}

function checkRequest(req: DeployRequest): void {
  const steps = req.plan.steps;
  const context = { functionName: req.functionName, alias: req.alias };
  const bad = steps.find((s) => !(s.percent > 0 && s.percent <= 100) || !(s.holdSeconds >= 0));
  if (steps.length === 0 || steps.at(-1)?.percent !== 100 || bad) {
    throw new UsageError(
      'PLAN_INVALID',
      `The plan of strategy ${req.strategy.name} must be steps with weights in (0, 100] ending at 100%.`,
      {
        hint: 'Build the plan with planShift(parseStrategy(...)); run `lshift plan <strategy>` to see it.',
        context,
      },
    );
  }
  if (!(req.pollIntervalSeconds > 0)) {
    throw new UsageError(
      'INTERVAL_INVALID',
      `The poll interval must be positive (got ${req.pollIntervalSeconds}).`,
      {
        hint: 'Pass --interval like 10s or 1m.',
        context,
      },
    );
  }
}
