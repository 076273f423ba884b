/**
 * ajv's errors about a config file, in the file's terms: where (`functions[1] (billing).alias`),
 * what is wrong, and a hint naming the keys of the place that holds an unknown key. A typo inside
 * a `functions:` entry must be answered with an entry's keys, not the top level's, which are
 * mostly keys an entry may not hold.
 */
import type { ValidateFunction } from 'ajv';
import { echoInput } from '../domain/echo.js';
import { printable } from '../domain/printable.js';
import { CONFIG_SCHEMA } from './option-schema.js';
import { closestName } from './suggest.js';

type SchemaError = NonNullable<ValidateFunction['errors']>[number];

export interface SchemaErrorReport {
  problems: string[];
  hint: string;
}

const TOP_LEVEL_KEYS = Object.keys(CONFIG_SCHEMA.properties).filter((k) => k !== '$schema');

const TOP_LEVEL_HINT = `Keys are the long flag names (see docs/configuration.md); allowed: ${TOP_LEVEL_KEYS.join(
  ', ',
)}; $schema may name lshift.schema.json for editors.`;

const ENTRY_SHAPE =
  'a list of entries, each a function name or a mapping with `name` and the function’s own settings';
const ENTRY_EXAMPLE = '`functions: [orders, {name: billing, alias: prod}]`';
const RELEASES_DOC = 'docs/releases.md#the-config-file';

const FUNCTION_ENTRY = /^\/functions\/(\d+)$/;

export function describeSchemaErrors(errors: readonly SchemaError[], data: unknown): SchemaErrorReport {
  const shown = errors.filter((e) => !isOtherEntryForm(e, data) && !isBranchOfScalar(e, data)).slice(0, 5);
  const problems = [...new Set(shown.map((e) => describeSchemaError(e, data)))];
  const hints = [...new Set(shown.map(hintFor).filter((h): h is string => h !== undefined))];
  return { problems, hint: hints.length > 0 ? hints.join(' ') : TOP_LEVEL_HINT };
}

/**
 * A `functions:` entry or a hook is a string or a mapping (anyOf): a mapping with a wrong key also
 * fails the string form, and a string is never a mapping. Only the form the value has is worth
 * an error.
 */
function isOtherEntryForm(e: SchemaError, data: unknown): boolean {
  if (e.keyword !== 'anyOf' && !/\/anyOf\/0\/type$/.test(e.schemaPath)) return false;
  const value = valueAt(data, e.instancePath);
  return value !== null && typeof value === 'object';
}

/**
 * A scalar where a hook takes text or a mapping (`pre: [5]`) fails each branch of the anyOf and
 * the anyOf itself: the anyOf alone says it, as `must be text or a mapping, not a whole number`.
 */
function isBranchOfScalar(e: SchemaError, data: unknown): boolean {
  if (!/\/anyOf\/\d+\/type$/.test(e.schemaPath)) return false;
  const value = valueAt(data, e.instancePath);
  return value === null || typeof value !== 'object';
}

function valueAt(data: unknown, instancePath: string): unknown {
  let value = data;
  for (const segment of instancePath.split('/').slice(1)) {
    value = (value as Record<string, unknown> | null | undefined)?.[segment];
  }
  return value;
}

/** `functions[1].alarms[0]: must be string`, the entry's function named when it has one. */
function describeSchemaError(e: SchemaError, data: unknown): string {
  if (e.instancePath === '/functions') return describeFunctionsList(e, data);
  const index = /^\/functions\/(\d+)/.exec(e.instancePath)?.[1];
  const entry = index === undefined ? undefined : (data as { functions: unknown[] }).functions[Number(index)];
  if (index !== undefined && (entry === null || typeof entry !== 'object')) {
    const found = entry === null ? 'empty (null)' : `a ${typeof entry}`;
    return `functions[${index}] is ${found}: an entry is a function name, or a mapping with \`name\` and the function’s own settings`;
  }
  const name = (entry as { name?: unknown } | undefined)?.name;
  const where = placeName(e.instancePath);
  const at = typeof name === 'string' ? where.replace(/^functions\[\d+\]/, (m) => `${m} (${name})`) : where;
  if (e.keyword === 'additionalProperties') return `${at}: ${describeUnknownKey(e)}`;
  if (isEntryWithoutName(e)) {
    return `${at}: the entry has no \`name\`: write \`- name: <function>\` with the function’s settings under it, or the function’s name alone`;
  }
  if (KIND_KEYWORDS.has(e.keyword)) return `${at}: ${describeWrongKind(e, data)}`;
  if (e.keyword === 'pattern' && /\/version$/.test(e.instancePath)) {
    const found = valueAt(data, e.instancePath);
    return `${at}: must be a published version number (1, 2, …), not ${echoInput(JSON.stringify(found) ?? String(found))}`;
  }
  if (RANGE_KEYWORDS.has(e.keyword)) {
    // `min-invocations: 0x3B9ACA01` (hex, which YAML 1.2 reads as a number) said "must be <=
    // 1000000000" without the number it read, 1000000001 (found by a hostile pass).
    const found = valueAt(data, e.instancePath);
    if (typeof found === 'number') return `${at}: ${e.message}, not ${found}`;
  }
  return `${at}: ${e.message}`;
}

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/**
 * `must be one of "native", "codedeploy", not "CODEDEPLOY"`, `must be true or false, not text`:
 * ajv says "must be equal to one of the allowed values" and "must be boolean", without the
 * values or what the file holds.
 */
function describeWrongKind(e: SchemaError, data: unknown): string {
  const found = valueAt(data, e.instancePath);
  if (e.keyword === 'enum') {
    const allowed = (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return `must be one of ${allowed}, not ${echoInput(JSON.stringify(found) ?? String(found))}`;
  }
  const types =
    e.keyword === 'anyOf'
      ? branchTypes(e.schemaPath)
      : ([] as string[]).concat(e.params.type as string | string[]);
  return `must be ${types.map((t) => KIND_OF_TYPE[t] ?? t).join(' or ')}, not ${describeKind(found)}`;
}

const KIND_KEYWORDS = new Set(['enum', 'type', 'anyOf']);

/** The types of an anyOf's branches (`string`, `object` for a hook entry). */
function branchTypes(schemaPath: string): string[] {
  const branches = (schemaAt(schemaPath.replace(/\/anyOf$/, '')) as { anyOf?: { type?: string }[] }).anyOf;
  return (branches ?? []).map((b) => b.type).filter((t): t is string => t !== undefined);
}

/** The schema node at a path of ajv's (`#/properties/hooks/…`). */
function schemaAt(schemaPath: string): unknown {
  let node: unknown = CONFIG_SCHEMA;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (segment) node = (node as Record<string, unknown> | undefined)?.[segment];
  }
  return node ?? {};
}

const KIND_OF_TYPE: Record<string, string> = {
  string: 'text',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  array: 'a list',
  object: 'a mapping',
};

function describeKind(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : `a fraction (${value})`;
  return KIND_OF_TYPE[typeof value] ?? `a ${typeof value}`;
}

const KIND_HINT =
  'Each key takes the kind of value docs/configuration.md shows (lshift.schema.json tells your editor the same): text for names, strategies and durations (`bake: 10m`), true or false for switches, whole numbers for counts, a list for `alarms` and `functions`; quote a value YAML would read as another kind (`application: "2024"`).';

function placeName(instancePath: string): string {
  if (!instancePath) return '(top level)';
  return instancePath
    .slice(1)
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replaceAll('/', '.');
}

/** ajv's "must be array" does not say what the list holds; the file's author needs exactly that. */
function describeFunctionsList(e: SchemaError, data: unknown): string {
  const value = (data as { functions: unknown }).functions;
  if (e.keyword === 'minItems') {
    return '`functions:` is an empty list: name at least one function, or remove the key';
  }
  if (e.keyword !== 'type') return `functions: ${e.message}`;
  return `\`functions:\` is ${describeFound(value)}, but it takes ${ENTRY_SHAPE}, e.g. ${ENTRY_EXAMPLE}`;
}

function describeFound(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** `unknown key "alarm" (did you mean "alarms"?)`, or why a top-level key is not an entry's. */
function describeUnknownKey(e: SchemaError): string {
  const key = String(e.params.additionalProperty);
  const unknown = `unknown key "${printable(key)}"`;
  if (FUNCTION_ENTRY.test(e.instancePath) && TOP_LEVEL_KEYS.includes(key)) {
    return `${unknown} (\`${key}\` is the release’s: set it at the top of the file, not in an entry)`;
  }
  const match = closestName(key, keysAt(e.schemaPath));
  return match ? `${unknown} (did you mean "${match}"?)` : unknown;
}

/** The hint for one error: the keys of the place holding an unknown key, or how to write the list. */
function hintFor(e: SchemaError): string | undefined {
  if (e.instancePath === '/functions') {
    return `Write one \`- <function>\` (or a \`- name: <function>\` mapping with its settings) per line under \`functions:\` (see ${RELEASES_DOC}).`;
  }
  if (KIND_KEYWORDS.has(e.keyword)) return KIND_HINT;
  if (e.keyword === 'pattern' && /\/version$/.test(e.instancePath))
    return '$LATEST cannot take weighted traffic: publish it first (lshift publish), or leave `version` out to publish it with the deploy.';
  if (e.keyword === 'minimum' || e.keyword === 'maximum') return rangeHint(e);
  if (isEntryWithoutName(e)) return entryKeysHint(e);
  if (e.keyword !== 'additionalProperties') return undefined;
  if (!e.instancePath) return TOP_LEVEL_HINT;
  const keys = keysAt(e.schemaPath).join(', ');
  if (FUNCTION_ENTRY.test(e.instancePath)) return entryKeysHint(e);
  if (/(^|\/)hooks$/.test(e.instancePath)) return `\`hooks:\` takes the phases ${keys}.`;
  if (/\/hooks\/[^/]+\/\d+$/.test(e.instancePath)) {
    return `A hook is a spec string, or a mapping with the keys ${keys} (see docs/hooks.md).`;
  }
  return `\`${placeName(e.instancePath)}\` takes: ${keys}.`;
}

/**
 * `functions: [{}]` or an entry with settings but no `name`: ajv's "must have required property"
 * fell through to the top level's keys, mostly keys an entry may not hold.
 */
function isEntryWithoutName(e: SchemaError): boolean {
  return e.keyword === 'required' && FUNCTION_ENTRY.test(e.instancePath);
}

/** The keys of a `functions:` entry (the mapping form's schema, where `e` was raised). */
function entryKeysHint(e: SchemaError): string {
  const keys = keysAt(e.schemaPath).join(', ');
  return `A \`functions:\` entry takes: ${keys} (see ${RELEASES_DOC}); the strategy and the other keys at the top of the file are the release’s.`;
}

/** `` `health-error-limit`: roll back after …, 1 to 10 [default: 3] ``: the key's own description. */
function rangeHint(e: SchemaError): string | undefined {
  const { description } = schemaAt(e.schemaPath.replace(/\/[^/]+$/, '')) as { description?: string };
  return description && `\`${placeName(e.instancePath)}\`: ${description} (see docs/configuration.md).`;
}

/** The keys the schema allows where an `additionalProperties` (or `required`) error was raised. */
function keysAt(schemaPath: string): string[] {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let node: unknown = CONFIG_SCHEMA;
  for (const segment of segments) {
    if (segment) node = (node as Record<string, unknown> | undefined)?.[segment];
  }
  const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return Object.keys(properties ?? {}).filter((k) => k !== '$schema');
}
