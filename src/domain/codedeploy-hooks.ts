/**
 * The hook functions `--engine codedeploy` puts in the AppSpec: CodeDeploy runs one Lambda function
 * per lifecycle hook and nothing else; the rest is refused here, before anything is written.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-lambda
 */
import { refuseForCodeDeploy as refuse } from './codedeploy-refusal.js';
import type { UsageError } from './errors.js';
import type { HookPhase, HookSpec } from './hook-spec.js';

export interface CodeDeployHooks {
  /** The BeforeAllowTraffic function (name or ARN, qualifier kept). */
  beforeAllowTraffic?: string;
  afterAllowTraffic?: string;
}

/**
 * CodeDeploy runs one Lambda function per lifecycle hook (BeforeAllowTraffic before any traffic,
 * AfterAllowTraffic after 100%) and nothing per step; HTTP, command and invoke-target hooks are
 * lshift's own and refused here.
 */
export function mapHooksToCodeDeploy(
  hooks: {
    pre?: readonly HookSpec[];
    step?: readonly HookSpec[];
    post?: readonly HookSpec[];
    rollback?: readonly HookSpec[];
  },
  sources: Partial<Record<HookPhase, string>> = {},
  timeoutSource?: string,
): CodeDeployHooks {
  // The config file's hooks are refused in its words, not a flag's the user never typed.
  const from = (phase: HookPhase) => sources[phase] ?? `--${phase}-hook`;
  if ((hooks.step?.length ?? 0) > 0)
    throw refuse(`step hooks (${from('step')}): it has no hook between weight steps`);
  if ((hooks.rollback?.length ?? 0) > 0) {
    throw refuse(`rollback hooks (${from('rollback')}): it has no hook after a rollback`);
  }
  // CodeDeploy waits up to one hour for a hook function's report, a limit nobody sets (docs/codedeploy.md,
  // https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html):
  // a --hook-timeout given for its hooks was accepted and ignored.
  if (timeoutSource && (hooks.pre?.length ?? 0) + (hooks.post?.length ?? 0) > 0) {
    throw hourOnly(`the hook timeout ${timeoutSource} sets`, timeoutSource);
  }
  return {
    beforeAllowTraffic: oneLambda(hooks.pre ?? [], from('pre'), 'BeforeAllowTraffic'),
    afterAllowTraffic: oneLambda(hooks.post ?? [], from('post'), 'AfterAllowTraffic'),
  };
}

/** A hook timeout (`what`, given in `source`): CodeDeploy's is one hour, fixed. */
function hourOnly(what: string, source: string): UsageError {
  return refuse(
    `${what}: it waits up to one hour for a hook function's report, a limit lshift cannot change`,
    `Drop ${source} (under CodeDeploy a hook function must report within that hour), or use the native engine, which stops a hook at its timeout.`,
  );
}

function oneLambda(specs: readonly HookSpec[], source: string, event: string): string | undefined {
  const other = specs.find((s) => s.kind !== 'lambda');
  if (other) {
    throw refuse(
      `the ${other.kind} hook given in ${source}: its ${event} hook is a Lambda function`,
      `Give ${source} one lambda:<function> hook, a function that reports with PutLifecycleEventHookExecutionStatus (docs/codedeploy.md), or use the native engine.`,
    );
  }
  if (specs.length > 1) {
    throw refuse(
      `${specs.length} hooks in ${source}: its ${event} hook is one function`,
      'Give one lambda: hook, or use the native engine.',
    );
  }
  const spec = specs[0];
  if (spec?.kind !== 'lambda') return undefined;
  if (spec.timeoutSeconds !== undefined) {
    const where = `the \`timeout\` of the hook in ${source}`;
    throw hourOnly(where, where);
  }
  return spec.qualifier ? `${spec.functionName}:${spec.qualifier}` : spec.functionName;
}
