/**
 * The two Invoke calls: a hook's synchronous run of a function, and the DryRun that checks the
 * permission before a deploy. Apart from LambdaAdapter because an Invoke is bounded by the
 * function's own run time, not by the control-plane bounds every other call of the adapter uses.
 */
import type { InvokeResult } from '../ports/lambda.js';
import type { FeatureReads } from './lambda-feature-reads.js';
import { anySignal, qualifierContext } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

const { InvokeCommand } = loadLambdaSdk();

/** Lambda runs a function for at most 15 minutes; an Invoke without a hook timeout waits that long. */
const MAX_INVOKE_MS = 900_000;
/** Room for the Invoke round trip beyond the function's own run time. */
const INVOKE_MARGIN_MS = 30_000;

/**
 * A hook's synchronous Invoke: bounded by the hook's own timeout (`opts.timeoutMs`, else
 * Lambda's 15-minute maximum) plus a margin, not by the control-plane bound.
 */
export async function invokeFunction(
  r: FeatureReads,
  functionName: string,
  qualifier: string,
  payload: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<InvokeResult> {
  const runMs = Math.min(opts.timeoutMs ?? MAX_INVOKE_MS, MAX_INVOKE_MS) + INVOKE_MARGIN_MS;
  const out = await r.caller.call(
    'InvokeFunction',
    qualifierContext(functionName, qualifier),
    (o) =>
      r.client.send(
        new InvokeCommand({
          FunctionName: functionName,
          Qualifier: qualifier,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(payload),
        }),
        { ...o, abortSignal: anySignal(o.abortSignal, opts.signal) },
      ),
    { requestTimeout: runMs, deadlineMs: runMs + r.caller.bounds.callMs },
  );
  const result: InvokeResult = {
    statusCode: out.StatusCode ?? 0,
    payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
  };
  if (out.FunctionError) result.functionError = out.FunctionError;
  if (out.ExecutedVersion) result.executedVersion = out.ExecutedVersion;
  return result;
}

/** Invoke with InvocationType DryRun: Lambda checks the caller may invoke, and runs nothing. */
export async function dryRunInvoke(r: FeatureReads, functionName: string, qualifier?: string): Promise<void> {
  await r.caller.call('InvokeFunction', qualifierContext(functionName, qualifier), (o) =>
    r.client.send(
      new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, InvocationType: 'DryRun' }),
      o,
    ),
  );
}
