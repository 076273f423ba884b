/**
 * The SDK waiters `waitUntilFunctionUpdatedV2` / `waitUntilFunctionActiveV2` (they poll
 * GetFunction), wrapped so failures become OperationError with Lambda's own reason.
 * We never surface the waiter's error message: it is the JSON of the last GetFunction
 * response, which includes the function's environment variables. `readThenWait` is the
 * adapter's whole wait (a first read of its own, then the waiter), moved here from LambdaAdapter.
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { OperationError } from '../domain/errors.js';
import type { FunctionInfo } from '../ports/lambda.js';
import type { WaiterOptions } from './client-config.js';
import type { FeatureReads } from './lambda-feature-reads.js';
import { qualifierContext, toFunctionInfo } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

const {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} = loadLambdaSdk();

export type WaitKind = 'updated' | 'active';

export interface WaitRequest {
  client: LambdaClient;
  kind: WaitKind;
  functionName: string;
  qualifier?: string;
  /** The configuration as just read; the waiter is skipped when it is already done. */
  current: FunctionInfo;
  timeoutSeconds: number;
  delays: WaiterOptions;
  /** Re-reads the raw configuration (errors already mapped) to explain a failed wait. */
  readRaw: () => Promise<FunctionConfiguration>;
}

// SDK defaults are 1 s..300 s between polls; a deploy wants to notice success within seconds.
const DEFAULT_MIN_DELAY_SECONDS = 1;
const DEFAULT_MAX_DELAY_SECONDS = 5;

function statusOf(kind: WaitKind, info: FunctionInfo): string | undefined {
  return kind === 'updated' ? info.lastUpdateStatus : info.state;
}

function subject(req: WaitRequest): string {
  return req.qualifier
    ? `Version ${req.qualifier} of function ${req.functionName}`
    : `Function ${req.functionName}`;
}

function failure(req: WaitRequest, config: FunctionConfiguration): OperationError {
  const reason =
    req.kind === 'updated'
      ? (config.LastUpdateStatusReason ?? config.StateReason)
      : (config.StateReason ?? config.LastUpdateStatusReason);
  const status =
    req.kind === 'updated' ? `LastUpdateStatus ${config.LastUpdateStatus}` : `State ${config.State}`;
  return new OperationError(
    'UPDATE_FAILED',
    `${subject(req)} failed to become ${req.kind === 'updated' ? 'updated' : 'Active'} (${status})` +
      (reason ? `: ${reason}` : '.'),
    {
      context: { functionName: req.functionName, version: req.qualifier },
      hint: 'Fix the cause Lambda reports (code, image, role, VPC or layer), then publish again.',
    },
  );
}

function timedOut(req: WaitRequest, config: FunctionConfiguration): OperationError {
  const status = req.kind === 'updated' ? config.LastUpdateStatus : config.State;
  return new OperationError(
    'UPDATE_TIMEOUT',
    `${subject(req)} is still ${status ?? 'not ready'} after ${req.timeoutSeconds} s.`,
    {
      context: { functionName: req.functionName, version: req.qualifier },
      hint: 'Lambda is slow to apply the change; check the function in the console and retry.',
    },
  );
}

function isFailed(kind: WaitKind, config: FunctionConfiguration): boolean {
  return kind === 'updated' ? config.LastUpdateStatus === 'Failed' : config.State === 'Failed';
}

async function explain(req: WaitRequest, error: unknown): Promise<OperationError> {
  const config = await req.readRaw();
  if (isFailed(req.kind, config)) return failure(req, config);
  if ((error as { name?: string }).name === 'TimeoutError') return timedOut(req, config);
  return new OperationError('UPDATE_FAILED', `Waiting for ${subject(req).toLowerCase()} did not complete.`, {
    context: { functionName: req.functionName, version: req.qualifier },
    hint: 'Retry; if it persists, check the function state in the Lambda console.',
  });
}

export async function waitForFunction(req: WaitRequest): Promise<FunctionInfo> {
  const status = statusOf(req.kind, req.current);
  // Lambda leaves LastUpdateStatus/State out for functions that never changed: nothing to wait for.
  if (status === undefined || status === 'Successful' || status === 'Active') return req.current;
  if (status === 'Failed') return Promise.reject(await explain(req, undefined));
  const minDelay = req.delays.minDelaySeconds ?? DEFAULT_MIN_DELAY_SECONDS;
  const maxDelay = Math.max(minDelay, req.delays.maxDelaySeconds ?? DEFAULT_MAX_DELAY_SECONDS);
  const params = {
    client: req.client,
    minDelay,
    maxDelay,
    maxWaitTime: Math.max(req.timeoutSeconds, minDelay * 2),
  };
  const input = { FunctionName: req.functionName, Qualifier: req.qualifier };
  try {
    const result =
      req.kind === 'updated'
        ? await waitUntilFunctionUpdatedV2(params, input)
        : await waitUntilFunctionActiveV2(params, input);
    const reason = result.reason as { Configuration?: FunctionConfiguration } | undefined;
    return reason?.Configuration ? toFunctionInfo(reason.Configuration) : req.current;
  } catch (error) {
    throw await explain(req, error);
  }
}

/** What LambdaAdapter's waitUntilUpdated / waitUntilActive ask for. */
export interface WaitFor {
  kind: WaitKind;
  functionName: string;
  qualifier?: string;
  timeoutSeconds: number;
  delays: WaiterOptions;
}

/** The adapter's wait: one read of its own, then the SDK waiter unless that read says it is done. */
export async function readThenWait(r: FeatureReads, w: WaitFor): Promise<FunctionInfo> {
  const { functionName, qualifier } = w;
  // Read once ourselves first, with the API the waiter polls: the SDK waiter treats every
  // exception (404, 403 on lambda:GetFunction…) as "retry" and would poll until the timeout;
  // this read fails fast with a mapped error instead.
  const ctx = qualifierContext(functionName, qualifier);
  const first = await r.caller.call('GetFunction', ctx, (o) =>
    r.client.send(new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }), o),
  );
  const current = toFunctionInfo(first.Configuration);
  return waitForFunction({
    client: r.client,
    kind: w.kind,
    functionName,
    qualifier,
    current,
    timeoutSeconds: w.timeoutSeconds,
    delays: w.delays,
    readRaw: () =>
      r.caller.call('GetFunctionConfiguration', qualifierContext(functionName, qualifier), (o) =>
        r.client.send(
          new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier }),
          o,
        ),
      ),
  });
}
