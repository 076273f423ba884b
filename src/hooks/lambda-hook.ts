/**
 * `lambda:` hooks: a synchronous (RequestResponse) invoke with the JSON payload. Fails on a
 * function error, on `{"status":"Failed"}`, or when the answer does not come in time. The
 * invocation itself cannot be recalled once sent; on timeout it may still finish in AWS.
 */
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import type { InvokeResult } from '../ports/lambda.js';
import { type DeadlineOutcome, formatTimeout, runWithDeadline } from './deadline.js';
import { describeThrown } from './hook-output.js';
import type { HookLambda, HookOutcome, HookRunContext } from './hook-types.js';
import { describeFunctionError, findHookFailure, isSuccessStatus, responseHead } from './lambda-response.js';

// An unqualified invoke runs $LATEST; the port always takes a qualifier, so say it.
const UNQUALIFIED = '$LATEST';

export async function runLambdaHook(
  spec: Extract<HookSpec, { kind: 'lambda' }>,
  payload: HookPayload,
  ctx: HookRunContext,
  getLambda: () => Promise<HookLambda>,
): Promise<HookOutcome> {
  const qualifier = spec.qualifier ?? UNQUALIFIED;
  const name = spec.qualifier === undefined ? spec.functionName : `${spec.functionName}:${spec.qualifier}`;
  let outcome: DeadlineOutcome<InvokeResult>;
  try {
    outcome = await runWithDeadline(
      async (signal) =>
        (await getLambda()).invoke(spec.functionName, qualifier, JSON.stringify(payload), {
          timeoutMs: ctx.timeoutMs,
          signal,
        }),
      ctx.timeoutMs,
      ctx.signal,
    );
  } catch (error) {
    return { ok: false, reason: `could not invoke ${name}: ${describeThrown(error)}` };
  }
  if (outcome.kind === 'timeout') {
    return {
      ok: false,
      reason: `${name} did not answer within ${formatTimeout(ctx.timeoutMs)} (the invocation may still be running)`,
    };
  }
  if (outcome.kind === 'aborted') return { ok: false, reason: `invoking ${name} was aborted` };
  return judgeLambdaAnswer(name, outcome.value, ctx.mask);
}

function judgeLambdaAnswer(name: string, result: InvokeResult, mask?: (line: string) => string): HookOutcome {
  const outputTail = responseHead(result.payload, mask);
  if (result.functionError !== undefined && result.functionError !== '') {
    return { ok: false, reason: `${name} failed with a ${describeFunctionError(result, mask)}`, outputTail };
  }
  if (!isSuccessStatus(result.statusCode)) {
    return { ok: false, reason: `${name} answered with status code ${result.statusCode}`, outputTail };
  }
  const failure = findHookFailure(result.payload, mask);
  if (failure !== undefined) return { ok: false, reason: `${name}: ${failure}`, outputTail };
  return { ok: true };
}
