/**
 * Lifecycle hooks. CodeDeploy invokes the hook function with `{DeploymentId,
 * LifecycleEventHookExecutionId}` and waits for its PutLifecycleEventHookExecutionStatus
 * (Succeeded or Failed), failing the event after an hour.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#reference-appspec-file-structure-hooks-section-structure-lambda-sample-function
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_PutLifecycleEventHookExecutionStatus.html
 *
 * The sandbox cannot run a hook function's code, so the function's environment says what its
 * code would report: LSHIFT_SANDBOX_HOOK_STATUS `Succeeded` (default), `Failed`, or `none`
 * (nothing: someone calls PutLifecycleEventHookExecutionStatus, or the hook times out), after
 * LSHIFT_SANDBOX_HOOK_DELAY_SECONDS simulated seconds (default 5). Each call's payload is kept
 * (GET /__lshift/hook-invocations) so a test or a person can report for a `none` hook.
 */
import { parseFunctionRef } from '../lambda-names.js';
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import type { FunctionConfig, FunctionData } from '../types.js';
import { codeDeployErrors } from './errors.js';
import { ENV_HOOK_DELAY, ENV_HOOK_STATUS } from './hook-env.js';
import type { Input } from './input.js';
import { codeDeployOf, requireDeployment } from './state.js';
import type { DeploymentData, HookRunData } from './types.js';

/** "If the hook doesn't complete in one hour, the deployment fails" (simulated time). */
export const HOOK_TIMEOUT_MS = 3_600_000;
const DEFAULT_DELAY_SECONDS = 5;
const KEPT_INVOCATIONS = 100;

export type HookStart =
  | { ok: true; run: HookRunData }
  | { ok: false; errorCode: 'ScriptMissing' | 'ScriptFailed'; message: string };

export function invokeHook(
  sb: Sandbox,
  d: DeploymentData,
  event: HookRunData['event'],
  ref: string,
  at: number,
): HookStart {
  const found = hookFunction(sb, ref);
  if (!found) {
    return {
      ok: false,
      errorCode: 'ScriptMissing',
      message: `The ${event} hook function ${ref} does not exist.`,
    };
  }
  const env = found.config.environment;
  const status = env[ENV_HOOK_STATUS] ?? 'Succeeded';
  if (!['Succeeded', 'Failed', 'none'].includes(status)) {
    return {
      ok: false,
      errorCode: 'ScriptFailed',
      message: `The ${event} hook function ${ref} failed: ${ENV_HOOK_STATUS}=${status} is not Succeeded, Failed or none.`,
    };
  }
  const delay = Number(env[ENV_HOOK_DELAY] ?? DEFAULT_DELAY_SECONDS);
  const delayMs = Number.isFinite(delay) && delay >= 0 ? delay * 1000 : DEFAULT_DELAY_SECONDS * 1000;
  const executionId = `${sb.nextId()}${sb.nextId()}`.replaceAll('-', '');
  d.hookExecutions.push(executionId);
  const cd = codeDeployOf(sb);
  cd.hookInvocations ??= [];
  const invocations = cd.hookInvocations;
  invocations.push({
    functionName: found.fn.name,
    event,
    atMs: at,
    payload: { DeploymentId: d.id, LifecycleEventHookExecutionId: executionId },
  });
  invocations.splice(0, Math.max(0, invocations.length - KEPT_INVOCATIONS));
  const run: HookRunData = {
    event,
    executionId,
    functionName: found.fn.name,
    invokedMs: at,
    timeoutAtMs: at + HOOK_TIMEOUT_MS,
  };
  if (status !== 'none') {
    run.reportAtMs = at + delayMs;
    run.reportStatus = status as 'Succeeded' | 'Failed';
  }
  return { ok: true, run };
}

/** A hook names a function by name, `name:qualifier` or ARN; its configuration is the qualifier's. */
function hookFunction(sb: Sandbox, ref: string): { fn: FunctionData; config: FunctionConfig } | undefined {
  let parsed: { name: string; qualifier?: string };
  try {
    parsed = parseFunctionRef(ref);
  } catch {
    return undefined;
  }
  const fn = own(sb.data.functions, parsed.name);
  if (!fn) return undefined;
  const q = parsed.qualifier;
  if (q === undefined || q === '$LATEST') return { fn, config: fn.latest };
  const version = own(fn.aliases, q)?.functionVersion ?? q;
  const config = version === '$LATEST' ? fn.latest : own(fn.versions, version);
  return config ? { fn, config } : undefined;
}

export function putLifecycleEventHookExecutionStatus(sb: Sandbox, input: Input): Input {
  const d = requireDeployment(sb, input.deploymentId);
  const status = input.status;
  if (status !== 'Succeeded' && status !== 'Failed') {
    throw codeDeployErrors.make(
      'InvalidLifecycleEventHookExecutionStatusException',
      `The status ${JSON.stringify(status)} is not valid: a hook reports Succeeded or Failed.`,
    );
  }
  const id = input.lifecycleEventHookExecutionId;
  if (typeof id !== 'string' || !d.hookExecutions.includes(id)) {
    throw codeDeployErrors.make(
      'InvalidLifecycleEventHookExecutionIdException',
      `The lifecycle event hook execution id ${JSON.stringify(id)} does not belong to deployment ${d.id}.`,
    );
  }
  const now = sb.simNow();
  const run = d.phase.kind === 'hook' && d.phase.run.executionId === id ? d.phase.run : undefined;
  if (!run || (run.reportAtMs !== undefined && run.reportAtMs <= now)) {
    throw codeDeployErrors.make(
      'LifecycleEventAlreadyCompletedException',
      `The lifecycle event of hook execution ${id} has already completed (deployment ${d.id} is ${d.status}).`,
    );
  }
  run.reportAtMs = now;
  run.reportStatus = status;
  sb.markDirty();
  return { lifecycleEventHookExecutionId: id };
}
