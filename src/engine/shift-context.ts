/**
 * The mutable state of one running deployment, passed between the phases of `runDeploy`.
 */
import type { StepOutcome } from '../domain/events.js';
import type { HookPayload, HookPhase } from '../ports/hooks.js';
import type { AliasCursor } from './alias-step.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import type { DeploymentRecorder } from './deployment-recorder.js';
import type { HealthMonitor } from './health-monitor.js';

export interface ShiftContext {
  readonly deps: DeployDeps;
  readonly req: DeployRequest;
  readonly cursor: AliasCursor;
  /** Epoch ms the deployment started (before preflight). */
  readonly startedAt: number;
  readonly monitor: HealthMonitor;
  readonly recorder: DeploymentRecorder;
  readonly steps: StepOutcome[];
  /** True once a forward alias write was attempted: from then on the alias may be split. */
  trafficMoved: boolean;
  /** Where the deployment is, for reasons: `at step 2 (20%)`, `during the bake (100%)`. */
  where: string;
}

/**
 * How a phase ended. `failed` rolls back; `conflict` stops without another write;
 * `interrupted` obeys --on-interrupt.
 */
export type PhaseOutcome =
  | { kind: 'done' }
  | { kind: 'failed'; cause: string }
  | { kind: 'conflict'; cause: string }
  | { kind: 'interrupted' };

export function hookPayload(ctx: ShiftContext, phase: HookPhase): HookPayload {
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
