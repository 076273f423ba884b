/**
 * SAM-style lifecycle hook functions for the demo (`hooks` in seedDemo / a scenario's `demo`):
 * `<demo>-before-allow-traffic` and `<demo>-after-allow-traffic`, whose sandbox behaviour
 * (LSHIFT_SANDBOX_HOOK_STATUS, codedeploy/hooks.ts) says what they report to CodeDeploy.
 */
import { ENV_HOOK_STATUS } from './codedeploy/hook-env.js';
import { buildZip } from './demo-zip.js';

export type HookBehaviour = 'Succeeded' | 'Failed' | 'none';
export const HOOK_BEHAVIOURS: readonly HookBehaviour[] = ['Succeeded', 'Failed', 'none'];
export const HOOK_EVENTS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export type DemoHooks = Partial<Record<(typeof HOOK_EVENTS)[number], HookBehaviour>>;

const HOOK_ROLE = 'arn:aws:iam::123456789012:role/lshift-sandbox-demo-hook';

export function hookFunctionName(functionName: string, event: (typeof HOOK_EVENTS)[number]): string {
  return `${functionName}-${event === 'BeforeAllowTraffic' ? 'before' : 'after'}-allow-traffic`;
}

/** CreateFunction bodies for the demo's hook functions. */
export function hookFunctionBodies(functionName: string, hooks: DemoHooks): Record<string, unknown>[] {
  return HOOK_EVENTS.filter((event) => hooks[event] !== undefined).map((event) => ({
    FunctionName: hookFunctionName(functionName, event),
    Role: HOOK_ROLE,
    Description: `lshift sandbox demo ${event} hook: reports ${hooks[event]}`,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Code: {
      ZipFile: buildZip(
        'index.js',
        // What a SAM hook does; the sandbox acts out LSHIFT_SANDBOX_HOOK_STATUS instead of running it.
        [
          "const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');",
          'exports.handler = async (event) => {',
          `  await new CodeDeployClient({}).send(new PutLifecycleEventHookExecutionStatusCommand({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: process.env.${ENV_HOOK_STATUS} }));`,
          '};',
          '',
        ].join('\n'),
      ).toString('base64'),
    },
    Environment: { Variables: { [ENV_HOOK_STATUS]: hooks[event] } },
  }));
}

/** A scenario's `demo.hooks`; `fail(field, problem)` throws the scenario's usage error. */
export function validateDemoHooks(raw: unknown, fail: (field: string, problem: string) => never): DemoHooks {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('demo.hooks', 'must be a mapping');
  const hooks = raw as Record<string, unknown>;
  const out: DemoHooks = {};
  for (const [event, value] of Object.entries(hooks)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      fail(`demo.hooks.${event}`, `is not a hook; use ${HOOK_EVENTS.join(' or ')}`);
    }
    if (!HOOK_BEHAVIOURS.includes(value as HookBehaviour)) {
      fail(`demo.hooks.${event}`, `must be ${HOOK_BEHAVIOURS.join(', ')} (what the hook function reports)`);
    }
    out[event as (typeof HOOK_EVENTS)[number]] = value as HookBehaviour;
  }
  return out;
}
