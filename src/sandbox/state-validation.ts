/**
 * Validates a parsed state file against STATE_FILE_SCHEMA and names its first wrong field in the
 * file's own terms: `functions.demo.aliases.live.weights.2 must be a number`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { STATE_FILE_SCHEMA } from './state-schema.js';
import type { FunctionData, SandboxData } from './types.js';

let compiled: ValidateFunction | undefined;

/** Undefined when `data` has the shape of a state file; else its first problem. */
export async function findStateProblem(data: unknown): Promise<string | undefined> {
  // Loaded on first use: a sandbox without a state file never pays for ajv.
  const { Ajv } = await import('ajv');
  compiled ??= new Ajv({ allErrors: false, strict: true }).compile(STATE_FILE_SCHEMA);
  if (compiled(data)) return findInconsistency(data as SandboxData);
  const error = compiled.errors?.find((e) => e.keyword !== 'if') ?? compiled.errors?.[0];
  return error ? describeError(error, data) : 'it does not have the shape of a state file';
}

function describeError(error: ErrorObject, data: unknown): string {
  const params = error.params as Record<string, unknown>;
  const missing = error.keyword === 'required' ? String(params.missingProperty) : undefined;
  const field = fieldName(error.instancePath, data, missing);
  return `\`${field}\` ${problemOf(error, params)}`;
}

function problemOf(error: ErrorObject, params: Record<string, unknown>): string {
  switch (error.keyword) {
    case 'required':
      return 'is missing';
    case 'type':
      return `must be ${article(String(params.type))}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return error.message ?? 'is not valid';
  }
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `/functions/demo/history/1` → `functions.demo.history[1]` (a list's index in brackets). */
function fieldName(instancePath: string, data: unknown, missing?: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (missing !== undefined) segments.push(missing);
  let name = '';
  let value = data;
  for (const segment of segments) {
    name += Array.isArray(value) ? `[${segment}]` : `${name === '' ? '' : '.'}${segment}`;
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  return name === '' ? '(the top level)' : name;
}

/**
 * What the schema cannot see: an alias on a version the function does not have, a weight on the
 * alias's own version or on a missing one, a nextVersion no version number can follow (1e300
 * would publish version "1e+300"). Each was loaded and answered as Lambda never would (found by a
 * hostile pass).
 */
function findInconsistency(data: SandboxData): string | undefined {
  for (const [name, fn] of Object.entries(data.functions)) {
    const problem = functionInconsistency(`functions.${name}`, fn);
    if (problem) return problem;
  }
  return undefined;
}

function functionInconsistency(at: string, fn: FunctionData): string | undefined {
  const numbers = Object.keys(fn.versions).map(Number);
  if (!Number.isSafeInteger(fn.nextVersion)) {
    return `\`${at}.nextVersion\` must be a whole number up to ${Number.MAX_SAFE_INTEGER}`;
  }
  const highest = Math.max(0, ...numbers.filter(Number.isFinite));
  if (fn.nextVersion <= highest) {
    return `\`${at}.nextVersion\` (${fn.nextVersion}) must be above its highest version, ${highest}`;
  }
  const has = (version: string) => version === '$LATEST' || Object.hasOwn(fn.versions, version);
  for (const [aliasName, alias] of Object.entries(fn.aliases)) {
    const field = `${at}.aliases.${aliasName}`;
    if (!has(alias.functionVersion)) {
      return `\`${field}.functionVersion\` is version ${alias.functionVersion}, which \`${at}.versions\` does not have`;
    }
    for (const version of Object.keys(alias.weights)) {
      if (version === alias.functionVersion) {
        return `\`${field}.weights.${version}\` weighs the alias's own version ${version} (Lambda refuses that)`;
      }
      if (!has(version) || version === '$LATEST') {
        return `\`${field}.weights.${version}\` weighs version ${version}, which \`${at}.versions\` does not have`;
      }
    }
  }
  return undefined;
}
