/**
 * TagResource, UntagResource, ListTags — on function ARNs only, with Lambda's tag rules:
 * keys 1–128 and values 0–256 characters of letters, digits, spaces and `_ . : / = + - @`
 * (so JSON does not fit in a tag value), at most 50 tags, no `aws:` prefix.
 */
import { lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { requireFunction } from './lambda-names.js';
import { setOwn } from './own.js';
import { RPM_TAG, rpmAt, rpmFromTags } from './traffic-params.js';
import type { FunctionData } from './types.js';

const ARN =
  /^arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:function:([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

export function tagResource(call: LambdaCall): LambdaReply {
  const fn = taggedFunction(call);
  const tags = readTags(jsonBody(call).Tags);
  const merged = { ...fn.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw lambdaErrors.invalidParameter(`Number of tags exceeds resource tag limit (${MAX_TAGS}).`);
  }
  fn.tags = merged;
  recordRpm(fn, call.sb.simNow());
  call.sb.markDirty();
  return { status: 204 };
}

export function untagResource(call: LambdaCall): LambdaReply {
  const fn = taggedFunction(call);
  for (const key of call.query.getAll('tagKeys')) delete fn.tags[key];
  recordRpm(fn, call.sb.simNow());
  call.sb.markDirty();
  return { status: 204 };
}

export function listTags(call: LambdaCall): LambdaReply {
  const fn = taggedFunction(call);
  return { status: 200, json: { Tags: { ...fn.tags } } };
}

function taggedFunction(call: LambdaCall): FunctionData {
  const resource = label(call, 'Resource');
  const match = ARN.exec(resource);
  if (!match) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${resource}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN.source.slice(1, -1)}`,
    );
  }
  if (match[7] !== undefined) {
    throw lambdaErrors.invalidParameter(
      'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
  }
  return requireFunction(call.sb, match[6]!);
}

/** Validates a Tags map (TagResource, CreateFunction). */
export function readTags(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw lambdaErrors.validation(
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  }
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const text = tagValueText(value);
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key) || key.toLowerCase().startsWith('aws:')) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '{${key}=${text}}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$]`,
      );
    }
    if (text.length > 256 || !TAG_CHARS.test(text)) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '{${key}=${text}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]`,
      );
    }
    setOwn(tags, key, text);
  }
  if (Object.keys(tags).length > MAX_TAGS) {
    throw lambdaErrors.invalidParameter(`Number of tags exceeds resource tag limit (${MAX_TAGS}).`);
  }
  return tags;
}

/**
 * Tags are a string-to-string map, read by Lambda's JSON parser (Jackson): a list or a mapping
 * where a value belongs fails the whole request before any validation; a number or a boolean is
 * read as its text (scalar coercion); a key without a value (null) is a tag with an empty value.
 * Never `String(value)`: `["a"]` would become the valid tag value `a`.
 */
function tagValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const found = Array.isArray(value)
    ? 'Array value (token `JsonToken.START_ARRAY`)'
    : 'Object value (token `JsonToken.START_OBJECT`)';
  throw lambdaErrors.badJson(`Cannot deserialize value of type \`java.lang.String\` from ${found}`);
}

/** Records a change of the traffic rate (the `lshift-sandbox:rpm` tag) for the traffic model. */
export function recordRpm(fn: FunctionData, at: number): void {
  const rpm = rpmFromTags(fn.tags);
  const hasRpmEvent = fn.history.some((e) => e.kind === 'rpm');
  if (hasRpmEvent && rpmAt(fn, at) === rpm) return;
  if (!hasRpmEvent && fn.tags[RPM_TAG] === undefined) return;
  fn.history.push({ at, kind: 'rpm', rpm });
}
