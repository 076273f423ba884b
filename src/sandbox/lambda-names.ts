/**
 * Function identifiers as Lambda accepts them in a path: `my-fn`, `my-fn:live`,
 * `123456789012:function:my-fn`, `arn:aws:lambda:us-east-1:123456789012:function:my-fn:3`.
 */
import { lambdaErrors } from './api-error.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { AliasData, FunctionConfig, FunctionData } from './types.js';

// The pattern from the Lambda API reference (FunctionName).
const FUNCTION_REF =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
export const FUNCTION_REF_PATTERN = FUNCTION_REF.source.slice(1, -1);
export const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
export const VERSION_NUMBER = /^[0-9]+$/;

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

export function parseFunctionRef(raw: string, field = 'functionName'): FunctionRef {
  if (raw === '') throw tooShort(raw, field);
  const match = FUNCTION_REF.exec(raw);
  if (!match || match[7]!.length > 64) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${raw}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_REF_PATTERN}`,
    );
  }
  return { name: match[7]!, qualifier: match[9] };
}

/** An alias name as Lambda takes it (GetAlias, UpdateAlias, CreateAlias): 1–128 characters, not all digits. */
export function checkAliasName(raw: unknown, field = 'name'): string {
  if (raw === '') throw tooShort(raw, field);
  if (typeof raw !== 'string' || raw.length > 128 || !ALIAS_NAME.test(raw)) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at '${field}' failed to satisfy constraint: Member must ${typeof raw === 'string' && raw.length > 128 ? 'have length less than or equal to 128' : `satisfy regular expression pattern: ${ALIAS_NAME.source.slice(1, -1)}`}`,
    );
  }
  return raw;
}

function tooShort(raw: unknown, field: string): Error {
  return lambdaErrors.validation(
    `1 validation error detected: Value '${String(raw)}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
  );
}

// The Qualifier of GetFunctionConfiguration, Invoke, …: 1–128 characters of this pattern.
const QUALIFIER = /^[a-zA-Z0-9$_-]+$/;

/** The qualifier of a call: from the name (`fn:live`) or `?Qualifier=`; both must agree. */
export function qualifierOf(ref: FunctionRef, queryQualifier: string | null): string | undefined {
  const fromQuery = queryQualifier === null || queryQualifier === '' ? undefined : queryQualifier;
  if (fromQuery !== undefined && (fromQuery.length > 128 || !QUALIFIER.test(fromQuery))) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${fromQuery}' at 'qualifier' failed to satisfy constraint: Member must ${fromQuery.length > 128 ? 'have length less than or equal to 128' : 'satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)'}`,
    );
  }
  if (ref.qualifier !== undefined && fromQuery !== undefined && ref.qualifier !== fromQuery) {
    throw lambdaErrors.invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return ref.qualifier ?? fromQuery;
}

export function requireFunction(sb: Sandbox, name: string): FunctionData {
  const fn = own(sb.data.functions, name);
  if (!fn) throw lambdaErrors.functionNotFound(sb.functionArn(name));
  return fn;
}

/** Operations that act on the function itself (PublishVersion, CreateAlias…) refuse a qualifier. */
export function requireUnqualified(sb: Sandbox, ref: FunctionRef): FunctionData {
  if (ref.qualifier !== undefined) {
    throw lambdaErrors.invalidParameter(
      `Unsupported qualified ARN or name ${ref.name}:${ref.qualifier} for this operation; use the unqualified function name or ARN.`,
    );
  }
  return requireFunction(sb, ref.name);
}

export interface ResolvedQualifier {
  config: FunctionConfig;
  /** The alias the qualifier named, if any. */
  alias?: AliasData;
  /** What goes after the function name in the returned ARN. */
  arnQualifier?: string;
}

/** `$LATEST`, a published version or an alias (its primary version). */
export function resolveQualifier(
  sb: Sandbox,
  fn: FunctionData,
  qualifier: string | undefined,
): ResolvedQualifier {
  if (qualifier === undefined || qualifier === '$LATEST') {
    return { config: fn.latest, arnQualifier: qualifier };
  }
  if (VERSION_NUMBER.test(qualifier)) {
    const config = own(fn.versions, qualifier);
    if (!config) throw lambdaErrors.functionNotFound(sb.functionArn(fn.name, qualifier));
    return { config, arnQualifier: qualifier };
  }
  const alias = own(fn.aliases, qualifier);
  if (!alias) throw lambdaErrors.aliasNotFound(sb.functionArn(fn.name, qualifier));
  const config = alias.functionVersion === '$LATEST' ? fn.latest : fn.versions[alias.functionVersion]!;
  return { config, alias, arnQualifier: qualifier };
}
