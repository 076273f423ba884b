/**
 * A function ARN names its region, but every call goes to the region lshift's client resolved:
 * Lambda reaches a function only in the region it is called in, and answers one of another region
 * with a not-found error ("Functions from 'eu-west-1' are not reachable in this region"), which
 * reads like a typo. createRuntime refuses such a function or `lambda:` hook (FUNCTION_REGION_MISMATCH,
 * exit 2) before any call, naming both regions.
 */
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { foreignRegionOf } from '../domain/function-ref.js';
import { formatHookSpec, type HookSpec } from '../domain/hook-spec.js';

/** The region lshift calls and where it came from (`--region …`, `AWS_REGION`, a profile). */
export interface RegionInUse {
  region: string;
  source: string;
}

/** What a command is about to call: its functions as given, and its hooks with the flag that gave them. */
export interface RegionTargets {
  functions: readonly string[];
  hooks?: readonly { spec: HookSpec; where: string }[];
}

export function refuseForeignRegions(inUse: RegionInUse, targets: RegionTargets): void {
  for (const text of targets.functions) {
    const named = foreignRegionOf(text, inUse.region);
    if (named === undefined) continue;
    throw new UsageError(
      'FUNCTION_REGION_MISMATCH',
      `Function ${echoInput(text)} is in region ${named}, but lshift calls Lambda in ${describe(inUse)}.`,
      {
        hint: `Lambda reaches a function only in its own region: run in ${named} (--region ${named}), or name the function of ${inUse.region}.`,
        context: { functionName: text },
      },
    );
  }
  for (const { spec, where } of targets.hooks ?? []) {
    if (spec.kind !== 'lambda') continue;
    const named = foreignRegionOf(spec.functionName, inUse.region);
    if (named === undefined) continue;
    throw new UsageError(
      'FUNCTION_REGION_MISMATCH',
      `Hook ${formatHookSpec(spec)} (${where}) is a function of region ${named}, but lshift invokes it in ${describe(inUse)}.`,
      {
        hint: `Lambda invokes a function only in its own region: use a hook function of ${inUse.region}, or run in ${named} (--region ${named}).`,
      },
    );
  }
}

function describe(inUse: RegionInUse): string {
  return `${inUse.region} (${inUse.source})`;
}

/**
 * Where the region lshift uses came from, in the order the client resolves it
 * (src/aws/clients.ts): --region (or the config file's), AWS_REGION, AWS_DEFAULT_REGION, the profile.
 */
export function describeRegionSource(
  given: { region?: string; profile?: string; fromConfig?: readonly string[] },
  sandbox: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (given.region !== undefined) {
    return given.fromConfig?.includes('region') ? 'the config file’s `region`' : '--region';
  }
  if (sandbox) return 'the sandbox’s default; --region changes it';
  if (env.AWS_REGION?.trim()) return 'AWS_REGION';
  if (env.AWS_DEFAULT_REGION?.trim()) return 'AWS_DEFAULT_REGION';
  return `the region of AWS profile ${given.profile?.trim() || env.AWS_PROFILE?.trim() || 'default'}`;
}

/** A phase → specs map, and where each phase's specs came from (DeployOptions.hookSources). */
export interface HookSet {
  hooks: Partial<Record<string, readonly HookSpec[]>>;
  hookSources?: Partial<Record<string, string>>;
}

/**
 * Every hook of the given sets, with where it was given: `--pre-hook`, or `hooks.pre[0] in the
 * config file` when the phase's hooks came from the config file (the words the file's other hook
 * errors use). A config file's `invoke-target:` payload error blamed `--pre-hook`, which nobody
 * had given (found by a hostile pass).
 */
export function hookSourcesOf(...sets: readonly HookSet[]): { spec: HookSpec; where: string }[] {
  return sets.flatMap(({ hooks, hookSources }) =>
    Object.entries(hooks).flatMap(([phase, specs]) => {
      const flag = `--${phase}-hook`;
      const fromFile = hookSources?.[phase] !== undefined && hookSources[phase] !== flag;
      return (specs ?? []).map((spec, i) => ({
        spec,
        where: fromFile ? `hooks.${phase}[${i}] in the config file` : flag,
      }));
    }),
  );
}
