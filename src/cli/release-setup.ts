/**
 * What a release of several functions is, and the setup its run (run-release.ts) and its dry run
 * (run-release-dry-run.ts) share: the hooks checked, the targets named, the sandbox started,
 * each function's request drawn from its options.
 */
import { createDeploymentId } from '../domain/deployment-record.js';
import type { DeployRequest } from '../engine/deploy-types.js';
import type { HealthGate } from '../engine/health-gate.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import type { HookPhase, HookSpec } from '../ports/hooks.js';
import type { AwsTargetFlags } from './aws-target.js';
import { type DeployOptions, shiftSettingsOf } from './deploy-options.js';
import { type HookSet, hookSourcesOf, type RegionTargets } from './function-region.js';
import type { OutputMode } from './progress.js';
import type { Runtime } from './runtime.js';
import { type SandboxScenarioName, startSandboxSession } from './sandbox-session.js';

/** One function of the release, with its options (`{function}` already filled in). */
export interface ReleaseMember {
  functionName: string;
  options: DeployOptions;
}

export interface ReleaseInvocation {
  members: ReleaseMember[];
  /** Hooks of the whole release (specs without `{function}`): run once. */
  releaseHooks: Pick<Record<HookPhase, HookSpec[]>, 'pre' | 'step' | 'post'>;
  stagger: boolean;
  /** Continue the release recorded on the aliases (its runner died). */
  resume?: boolean;
  /** `--guards-changed`: resume although this run's guards differ from the records'. */
  guardsChanged?: boolean;
  aws: AwsTargetFlags;
  output: OutputMode;
  json: boolean;
  sandbox?: { speed: number; seed?: number; scenarios: Record<string, SandboxScenarioName> };
  buildGates?: (runtime: Runtime, member: ReleaseMember) => HealthGate[];
}

/** Every hook spec of the release (its own and each function's) is checked before anything starts. */
export async function checkReleaseHooks(
  inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>,
): Promise<void> {
  await checkHookSpecs(hookSourcesOf(...releaseHookSets(inv)), process.cwd());
}

/** What a release calls: its functions, its own hooks and each function's. */
export function releaseTargets(inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>): RegionTargets {
  return {
    functions: inv.members.map((m) => m.functionName),
    hooks: hookSourcesOf(...releaseHookSets(inv)),
  };
}

/**
 * Named by flag, as before: a release resolves its hooks through the config file's entries
 * (release-options.ts moves the flags there and filters them), so neither its `hookSources` nor
 * the entries' indices say where a hook was given. Not yet fixed for a release.
 */
function releaseHookSets(inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>): HookSet[] {
  return [{ hooks: inv.releaseHooks }, ...inv.members.map((m) => ({ hooks: m.options.hooks }))];
}

/** `--sandbox`: an in-process sandbox seeded with a demo function per function of the release. */
export function startReleaseSandbox(inv: Pick<ReleaseInvocation, 'members' | 'sandbox'>) {
  if (!inv.sandbox) return Promise.resolve(undefined);
  const first = inv.members[0]!;
  const scenarios = inv.sandbox.scenarios;
  return startSandboxSession({
    functionName: first.functionName,
    alias: first.options.alias,
    speed: inv.sandbox.speed,
    seed: inv.sandbox.seed,
    scenario: scenarios[first.functionName] ?? 'healthy',
    more: inv.members.slice(1).map((m) => ({
      functionName: m.functionName,
      scenario: scenarios[m.functionName] ?? 'healthy',
    })),
  });
}

/** A function's DeployRequest from its options, all but the version it will deploy. */
export function pendingRequest(
  member: ReleaseMember,
  owner: string,
  signal: AbortSignal,
  sandboxAlarms: Record<string, string> | undefined,
  releaseHooks?: DeployRequest['releaseHooks'],
): Omit<DeployRequest, 'targetVersion'> {
  const { options } = member;
  const sandboxAlarm = sandboxAlarms?.[member.functionName];
  const alarms = options.alarms.length > 0 || !sandboxAlarm ? options.alarms : [sandboxAlarm];
  return {
    functionName: member.functionName,
    ...shiftSettingsOf(options),
    alarms,
    strategy: options.strategy,
    plan: options.plan,
    // Part of the guards each record keeps (gd=): the release's own hooks and the analysis.
    ...(releaseHooks ? { releaseHooks } : {}),
    owner,
    signal,
    onInterrupt: options.onInterrupt,
    deploymentId: createDeploymentId(Math.random),
  };
}
