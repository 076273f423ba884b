/**
 * Asynchronous-invocation configuration per qualifier: PutFunctionEventInvokeConfig,
 * GetFunctionEventInvokeConfig, ListFunctionEventInvokeConfigs
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html).
 * One config per qualifier (`$LATEST` when unqualified, a version or an alias); Put replaces it
 * whole. Limits: 0–2 retries, 60–21,600 s of event age, as Lambda's.
 */
import { lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { paginate } from './lambda-config-out.js';
import { parseFunctionRef, qualifierOf, requireFunction, resolveQualifier } from './lambda-names.js';
import { own, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { EventInvokeConfigData, FunctionData } from './types.js';

export function putFunctionEventInvokeConfig(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const { fn, qualifier } = target(call);
  const input = jsonBody(call);
  const config: EventInvokeConfigData = { lastModifiedMs: sb.simNow() };
  if (input.MaximumRetryAttempts !== undefined)
    config.maximumRetryAttempts = range(input.MaximumRetryAttempts, 'maximumRetryAttempts', 0, 2);
  if (input.MaximumEventAgeInSeconds !== undefined)
    config.maximumEventAgeInSeconds = range(
      input.MaximumEventAgeInSeconds,
      'maximumEventAgeInSeconds',
      60,
      21_600,
    );
  const destinations = (input.DestinationConfig ?? {}) as Record<
    string,
    { Destination?: unknown } | undefined
  >;
  const onSuccess = destinationOf(destinations.OnSuccess);
  const onFailure = destinationOf(destinations.OnFailure);
  if (onSuccess) config.onSuccess = onSuccess;
  if (onFailure) config.onFailure = onFailure;
  fn.eventInvokeConfigs ??= {};
  setOwn(fn.eventInvokeConfigs, qualifier, config);
  sb.markDirty();
  return { status: 200, json: configOut(sb, fn, qualifier, config) };
}

export function getFunctionEventInvokeConfig(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const { fn, qualifier } = target(call);
  const config = own(fn.eventInvokeConfigs ?? {}, qualifier);
  if (!config)
    throw lambdaErrors.notFound(
      `The function ${sb.functionArn(fn.name, qualifier === '$LATEST' ? undefined : qualifier)} doesn't have an EventInvokeConfig`,
    );
  return { status: 200, json: configOut(sb, fn, qualifier, config) };
}

export function listFunctionEventInvokeConfigs(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireFunction(sb, parseFunctionRef(label(call, 'FunctionName')).name);
  const all = Object.entries(fn.eventInvokeConfigs ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([q, c]) => configOut(sb, fn, q, c));
  const max = call.query.get('MaxItems');
  if (max !== null && !(Number(max) >= 1 && Number(max) <= 50))
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50`,
    );
  const { page, next } = paginate(all, call.query.get('Marker'), max);
  return { status: 200, json: { FunctionEventInvokeConfigs: page, ...(next ? { NextMarker: next } : {}) } };
}

/** The function and the qualifier a request names (`$LATEST` when unqualified); it must exist. */
function target(call: LambdaCall): { fn: FunctionData; qualifier: string } {
  const { sb } = call;
  const ref = parseFunctionRef(label(call, 'FunctionName'));
  const fn = requireFunction(sb, ref.name);
  const qualifier = qualifierOf(ref, call.query.get('Qualifier')) ?? '$LATEST';
  resolveQualifier(sb, fn, qualifier);
  return { fn, qualifier };
}

function configOut(sb: Sandbox, fn: FunctionData, qualifier: string, c: EventInvokeConfigData) {
  const destination: Record<string, unknown> = {};
  if (c.onSuccess) destination.OnSuccess = { Destination: c.onSuccess };
  if (c.onFailure) destination.OnFailure = { Destination: c.onFailure };
  return {
    FunctionArn: sb.functionArn(fn.name, qualifier === '$LATEST' ? '$LATEST' : qualifier),
    // A timestamp in epoch seconds here (FunctionConfiguration's LastModified is a string).
    LastModified: c.lastModifiedMs / 1000,
    ...(c.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.maximumRetryAttempts } : {}),
    ...(c.maximumEventAgeInSeconds !== undefined
      ? { MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds }
      : {}),
    DestinationConfig: destination,
  };
}

function destinationOf(raw: { Destination?: unknown } | undefined): string | undefined {
  const d = raw?.Destination;
  if (d === undefined || d === null || d === '') return undefined;
  if (typeof d !== 'string' || !d.startsWith('arn:'))
    throw lambdaErrors.invalidParameter(`The destination ARN ${String(d)} is invalid.`);
  return d;
}

function range(raw: unknown, field: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  return value;
}
