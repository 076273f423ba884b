/**
 * What `lshift deploy` is asked to do (DeployInvocation, run-deploy.ts executes it), what it calls
 * (its function and hooks), and its stop when a signal came before any traffic moved.
 */
import { OperationError } from '../domain/errors.js';
import type { HealthGate } from '../engine/health-gate.js';
import type { AwsTargetFlags } from './aws-target.js';
import type { DeployOptions } from './deploy-options.js';
import { hookSourcesOf, type RegionTargets } from './function-region.js';
import type { OutputMode } from './progress.js';
import type { Runtime } from './runtime.js';
import type { SandboxScenarioName } from './sandbox-session.js';

export interface DeployInvocation {
  functionName: string;
  options: DeployOptions;
  aws: AwsTargetFlags;
  output: OutputMode;
  json: boolean;
  sandbox?: { speed: number; seed?: number; scenario: SandboxScenarioName };
  /** Continue the deployment recorded on the alias (its owner died or it was paused). */
  resume?: boolean;
  /** `--guards-changed`: resume although this run's guards differ from the record's. */
  guardsChanged?: boolean;
  /** Roll back a deployment in progress on the alias first, then start this one. */
  supersede?: boolean;
  /** `--engine codedeploy --detach`: stop following once CodeDeploy accepted the deployment. */
  detach?: boolean;
  /** Extra health gates (canary analysis) built from the runtime's metrics port. */
  buildGates?: (runtime: Runtime) => HealthGate[];
}

/**
 * A signal during the upload/publish: nothing routes to the new version yet, so stop here with
 * exit 1 rather than start a shift only to roll it back.
 */
export function stopIfInterrupted(signal: AbortSignal, functionName: string, version: string): void {
  if (!signal.aborted) return;
  throw new OperationError(
    'INTERRUPTED',
    `${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)} before any traffic moved; the alias is unchanged (version ${version} is published, and no traffic goes to it).`,
    { context: { functionName }, hint: 'Run the deploy again when ready.' },
  );
}

/** What a deploy calls: its function, and its hooks of every phase (CodeDeploy's AppSpec hooks too). */
export function deployTargets(inv: Pick<DeployInvocation, 'functionName' | 'options'>): RegionTargets {
  return { functions: [inv.functionName], hooks: hookSourcesOf(inv.options) };
}
