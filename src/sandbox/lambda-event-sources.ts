/**
 * Event source mappings, as much as lshift's preflight reads: CreateEventSourceMapping and
 * ListEventSourceMappings (https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html).
 * No events are polled from the source. A mapping keeps the function ARN it was created with
 * (qualified or not); listing by FunctionName returns the mappings whose ARN is exactly that one.
 */
import { lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply } from './lambda-call.js';
import { paginate } from './lambda-config-out.js';
import { parseFunctionRef, requireFunction, resolveQualifier } from './lambda-names.js';
import type { Sandbox } from './sandbox.js';
import type { EventSourceMappingData } from './types.js';

export function createEventSourceMapping(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const input = jsonBody(call);
  if (typeof input.FunctionName !== 'string')
    throw lambdaErrors.validation(
      "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    );
  const source = input.EventSourceArn;
  if (typeof source !== 'string' || !source.startsWith('arn:'))
    throw lambdaErrors.invalidParameter('Unrecognized event source, must be a valid ARN.');
  const functionArn = functionArnOf(sb, input.FunctionName);
  const mapping: EventSourceMappingData = {
    uuid: sb.nextId(),
    eventSourceArn: source,
    functionArn,
    state: input.Enabled === false ? 'Disabled' : 'Enabled',
    lastModifiedMs: sb.simNow(),
  };
  sb.data.eventSourceMappings ??= [];
  sb.data.eventSourceMappings.push(mapping);
  sb.markDirty();
  return { status: 202, json: mappingOut(mapping) };
}

export function listEventSourceMappings(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const name = call.query.get('FunctionName');
  const source = call.query.get('EventSourceArn');
  const arn = name === null ? undefined : functionArnOf(sb, name);
  const all = (sb.data.eventSourceMappings ?? [])
    .filter((m) => arn === undefined || m.functionArn === arn)
    .filter((m) => source === null || m.eventSourceArn === source)
    .map(mappingOut);
  const { page, next } = paginate(all, call.query.get('Marker'), call.query.get('MaxItems'), 100);
  return { status: 200, json: { EventSourceMappings: page, ...(next ? { NextMarker: next } : {}) } };
}

/** `fn`, `fn:live`, or an ARN → the function ARN, checking that the function and qualifier exist. */
function functionArnOf(sb: Sandbox, raw: string): string {
  const ref = parseFunctionRef(raw);
  const fn = requireFunction(sb, ref.name);
  if (ref.qualifier !== undefined) resolveQualifier(sb, fn, ref.qualifier);
  return sb.functionArn(fn.name, ref.qualifier);
}

function mappingOut(m: EventSourceMappingData): Record<string, unknown> {
  return {
    UUID: m.uuid,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn,
    State: m.state,
    LastModified: m.lastModifiedMs / 1000,
  };
}
