/**
 * What a running deployment hands its hooks: the payload of a function's hook, of a hook of the
 * whole release, and a forward hook phase's options (timeouts, Ctrl-C, heartbeats while it runs).
 */
import type { FunctionHookPayload, HookPhase, ReleaseHookPayload } from '../ports/hooks.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from './deploy-types.js';
import type { HookPhaseOptions } from './hook-phase.js';
import type { ShiftContext } from './shift-context.js';
import { hookStopOf, pollWhileHookRuns, waitingWith } from './shift-waits.js';

export function hookPayload(ctx: ShiftContext, phase: HookPhase): FunctionHookPayload {
  return {
    deploymentId: ctx.req.deploymentId,
    phase,
    functionName: ctx.req.functionName,
    alias: ctx.req.alias,
    stableVersion: ctx.cursor.stableVersion,
    targetVersion: ctx.cursor.targetVersion,
    weight: ctx.cursor.percent,
    strategy: ctx.req.strategy.name,
    startedAt: new Date(ctx.startedAt).toISOString(),
  };
}

/**
 * The payload of a hook of the whole release: the release and each function's facts, run by the
 * first function's context but not about that function alone.
 */
export function releaseHookPayload(
  releaseId: string,
  members: readonly ShiftContext[],
  phase: HookPhase,
): ReleaseHookPayload {
  return {
    releaseId,
    phase,
    functions: members.map((m) => ({
      functionName: m.req.functionName,
      alias: m.req.alias,
      deploymentId: m.req.deploymentId,
      stableVersion: m.cursor.stableVersion,
      targetVersion: m.cursor.targetVersion,
      weight: m.cursor.percent,
    })),
    strategy: members[0]!.req.strategy.name,
    startedAt: new Date(Math.min(...members.map((m) => m.startedAt))).toISOString(),
  };
}

/**
 * Options of a forward hook phase (pre, step, post): timeouts, Ctrl-C, and heartbeats while it
 * runs. `watched` are the runs whose takeover (or deletion) ends the hook: by default every record
 * this wait beats (this run's, and in a release every function's: a function's own hook holds up
 * the whole release, which can no longer finish once any of its functions is taken over or gone).
 */
export function hookOptions(
  ctx: ShiftContext,
  watched: readonly ShiftContext[] = waitingWith(ctx),
): HookPhaseOptions {
  return {
    defaultTimeoutSeconds: ctx.req.hookTimeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    signal: ctx.req.signal,
    // Each beat reads an operator's abort too: obeyed, it ends the hook (hookStopOf).
    heartbeat: () => pollWhileHookRuns(ctx),
    // As often as a hold polls: the recorder writes at most one heartbeat per `heartbeatMs`, and
    // a record whose last write was just under that ago is not left a whole interval more.
    heartbeatIntervalMs: ctx.req.pollIntervalSeconds * 1000,
    // Taken over (or, in a release, a function deleted) or aborted by an operator meanwhile: the
    // hook is ended at once, not run to its end for a deployment that can no longer finish.
    stopReason: () => hookStopOf(watched),
  };
}
