/**
 * `lambda:` hooks must exist before anything is written: a hook that is not there would
 * otherwise be found when it runs, after the new version was published (and, for a step or post
 * hook, with traffic already on it). Each is checked with a DryRun invoke, which also proves the
 * caller may invoke it, so it needs no permission the hook's own run does not need.
 */
import { OperationError } from '../domain/errors.js';
import { formatHookSpec, type HookSpec } from '../domain/hook-spec.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { DeployHooks } from './deploy-types.js';
import { logWarn } from './emit.js';
import { type CheckDeps, codeOf, guard, pass } from './preflight-checks.js';

type LambdaHook = Extract<HookSpec, { kind: 'lambda' }>;

const MISSING = new Set(['FUNCTION_NOT_FOUND', 'VERSION_NOT_FOUND', 'ALIAS_NOT_FOUND']);

const PHASE_NAMES: Record<keyof DeployHooks, string> = {
  pre: 'pre-traffic',
  step: 'step',
  post: 'post-traffic',
  rollback: 'rollback',
};

/**
 * Every hook a deployment calls: the release program's own, and those its engine runs itself
 * (`--engine codedeploy`: the AppSpec's BeforeAllowTraffic/AfterAllowTraffic functions).
 */
export async function checkDeployHooks(
  deps: CheckDeps & { lambda: Pick<LambdaPort, 'checkInvoke'> },
  req: { hooks?: DeployHooks; engineHooks?: DeployHooks },
): Promise<void> {
  await checkHookFunctions(deps, req.hooks);
  await checkHookFunctions(deps, req.engineHooks, { byEngine: true });
}

/** Throws HOOK_FUNCTION_NOT_FOUND (exit 1) for the first `lambda:` hook whose function is missing. */
export async function checkHookFunctions(
  deps: CheckDeps & { lambda: Pick<LambdaPort, 'checkInvoke'> },
  hooks: DeployHooks | undefined,
  opts: { byEngine?: boolean } = {},
): Promise<void> {
  const found = listLambdaHooks(hooks);
  if (found.length === 0) return;
  const unchecked: string[] = [];
  for (const { spec, phase } of found) {
    const invoke = () => deps.lambda.checkInvoke(spec.functionName, spec.qualifier);
    await guard(
      deps,
      'hook-functions',
      async () => {
        try {
          await invoke();
        } catch (error) {
          // CodeDeploy invokes its hooks with its own service role: this caller need not be allowed to.
          if (!opts.byEngine || codeOf(error) !== 'ACCESS_DENIED') throw error;
          unchecked.push(formatHookSpec(spec));
        }
      },
      (error) => (MISSING.has(codeOf(error) ?? '') ? hookMissing(spec, phase, error) : undefined),
    );
  }
  for (const hook of unchecked) {
    logWarn(
      deps,
      `could not check that CodeDeploy's hook ${hook} exists: this caller may not invoke it (lambda:InvokeFunction, DryRun); CodeDeploy invokes it with its own service role`,
      'hook',
    );
  }
  const names = found.map(({ spec }) => formatHookSpec(spec)).filter((n) => !unchecked.includes(n));
  if (names.length === 0) return;
  pass(
    deps,
    'hook-functions',
    `hook function${names.length === 1 ? '' : 's'} ${names.join(', ')} can be invoked`,
  );
}

/** Each distinct `lambda:` hook once, with the first phase that runs it. */
function listLambdaHooks(hooks: DeployHooks | undefined): { spec: LambdaHook; phase: keyof DeployHooks }[] {
  const seen = new Set<string>();
  const found: { spec: LambdaHook; phase: keyof DeployHooks }[] = [];
  for (const phase of ['pre', 'step', 'post', 'rollback'] as const) {
    for (const spec of hooks?.[phase] ?? []) {
      if (spec.kind !== 'lambda') continue;
      const key = formatHookSpec(spec);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ spec, phase });
    }
  }
  return found;
}

function hookMissing(spec: LambdaHook, phase: keyof DeployHooks, cause: unknown): OperationError {
  const what =
    spec.qualifier === undefined
      ? `function ${spec.functionName}`
      : `function ${spec.functionName} (or its version or alias ${spec.qualifier})`;
  return new OperationError(
    'HOOK_FUNCTION_NOT_FOUND',
    `The ${PHASE_NAMES[phase]} hook ${formatHookSpec(spec)} cannot run: ${what} does not exist in this account and region.`,
    {
      hint: 'Check the name after `lambda:` (and the qualifier after its last colon), --region and --profile; create the hook function first, or remove the hook.',
      // Not `functionName`: in --json that names the function being deployed, not its hook.
      context: { action: 'lambda:InvokeFunction' },
      cause,
    },
  );
}

/**
 * The hooks of a whole release. Every event of a release but `release.started` names a function
 * (docs/events.md), and these belong to none: the check is silent unless it refuses.
 */
export function checkReleaseHookFunctions(
  deps: CheckDeps & { lambda: Pick<LambdaPort, 'checkInvoke'> },
  hooks: DeployHooks | undefined,
): Promise<void> {
  return checkHookFunctions({ ...deps, events: { emit() {} } }, hooks);
}
