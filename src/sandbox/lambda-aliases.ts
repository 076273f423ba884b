/**
 * CreateAlias, GetAlias, UpdateAlias, ListAliases with Lambda's routing rules: published
 * versions only, at most one additional version with a weight in [0, 1], not the primary, and
 * the same execution role and dead-letter queue as the primary.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */
import { lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { aliasOut, paginate } from './lambda-config-out.js';
import {
  checkAliasName,
  parseFunctionRef,
  requireFunction,
  requireUnqualified,
  VERSION_NUMBER,
} from './lambda-names.js';
import { reallocateAfterAliasWrite } from './lambda-provisioned.js';
import { hasOwn, own, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { AliasData, FunctionConfig, FunctionData } from './types.js';

export function createAlias(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const input = jsonBody(call);
  const name = checkAliasName(input.Name);
  const version = readVersion(input.FunctionVersion);
  versionConfig(sb, fn, version);
  const weights = readWeights(input.RoutingConfig);
  checkRouting(sb, fn, version, weights);
  if (hasOwn(fn.aliases, name))
    throw lambdaErrors.conflict(`Alias already exists: ${sb.functionArn(fn.name, name)}`);
  const alias: AliasData = {
    name,
    functionVersion: version,
    weights: weights ?? {},
    description: typeof input.Description === 'string' ? input.Description : '',
    revisionId: sb.nextId(),
  };
  setOwn(fn.aliases, name, alias);
  recordRouting(sb, fn, alias);
  return { status: 201, json: aliasOut(sb, fn, alias) };
}

export function getAlias(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  return { status: 200, json: aliasOut(sb, fn, requireAlias(sb, fn, checkAliasName(label(call, 'Name')))) };
}

export function updateAlias(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const alias = requireAlias(sb, fn, checkAliasName(label(call, 'Name')));
  const input = jsonBody(call);
  if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId)
    throw lambdaErrors.preconditionFailed();
  const version =
    input.FunctionVersion === undefined ? alias.functionVersion : readVersion(input.FunctionVersion);
  versionConfig(sb, fn, version);
  // RoutingConfig left out keeps the current routing; an empty map clears it.
  const weights =
    input.RoutingConfig === undefined ? alias.weights : (readWeights(input.RoutingConfig) ?? {});
  checkRouting(sb, fn, version, weights);
  const changed =
    version !== alias.functionVersion || JSON.stringify(weights) !== JSON.stringify(alias.weights);
  alias.functionVersion = version;
  alias.weights = { ...weights };
  if (typeof input.Description === 'string') alias.description = input.Description;
  alias.revisionId = sb.nextId();
  if (changed) recordRouting(sb, fn, alias);
  reallocateAfterAliasWrite(sb, fn, alias.name);
  sb.markDirty();
  return { status: 200, json: aliasOut(sb, fn, alias) };
}

/**
 * DeleteAlias: the alias and its routing go; the versions stay.
 * https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html
 */
export function deleteAlias(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const alias = requireAlias(sb, fn, checkAliasName(label(call, 'Name')));
  delete (fn.aliases as Record<string, AliasData>)[alias.name];
  sb.markDirty();
  return { status: 204 };
}

export function listAliases(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const filter = call.query.get('FunctionVersion');
  const aliases = Object.values(fn.aliases)
    .filter((a) => !filter || a.functionVersion === filter)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => aliasOut(sb, fn, a));
  const { page, next } = paginate(aliases, call.query.get('Marker'), call.query.get('MaxItems'));
  return { status: 200, json: { Aliases: page, ...(next ? { NextMarker: next } : {}) } };
}

function requireAlias(sb: Sandbox, fn: FunctionData, name: string): AliasData {
  const alias = own(fn.aliases, name);
  if (!alias) throw lambdaErrors.aliasNotFound(sb.functionArn(fn.name, name));
  return alias;
}

function readVersion(raw: unknown): string {
  if (typeof raw !== 'string' || !(raw === '$LATEST' || VERSION_NUMBER.test(raw))) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)`,
    );
  }
  return raw;
}

function versionConfig(sb: Sandbox, fn: FunctionData, version: string): FunctionConfig {
  if (version === '$LATEST') return requireFunction(sb, fn.name).latest;
  const config = own(fn.versions, version);
  if (!config) throw lambdaErrors.functionNotFound(sb.functionArn(fn.name, version));
  return config;
}

function readWeights(raw: unknown): Record<string, number> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const weights =
    (raw as { AdditionalVersionWeights?: Record<string, unknown> }).AdditionalVersionWeights ?? {};
  const out: Record<string, number> = {};
  for (const [version, weight] of Object.entries(weights)) {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '{${version}=${String(weight)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`,
      );
    }
    if (!VERSION_NUMBER.test(version)) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value '{${version}=${weight}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]`,
      );
    }
    out[version] = weight;
  }
  return out;
}

function checkRouting(
  sb: Sandbox,
  fn: FunctionData,
  primary: string,
  weights: Record<string, number> | undefined,
): void {
  const entries = Object.entries(weights ?? {});
  if (entries.length === 0) return;
  if (entries.length > 1) {
    throw lambdaErrors.invalidParameter(
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    );
  }
  const [additional] = entries[0]!;
  if (additional === primary) {
    throw lambdaErrors.invalidParameter(
      `Invalid function version ${primary}. Function version ${primary} is already included in routing configuration.`,
    );
  }
  if (primary === '$LATEST') {
    throw lambdaErrors.invalidParameter(
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
  }
  const main = versionConfig(sb, fn, primary);
  const other = versionConfig(sb, fn, additional);
  if (main.role !== other.role) {
    throw lambdaErrors.invalidParameter('Specified versions must be associated with the same execution role');
  }
  if ((main.deadLetterTargetArn ?? '') !== (other.deadLetterTargetArn ?? '')) {
    throw lambdaErrors.invalidParameter(
      'Specified versions must be associated with the same dead letter queue configuration',
    );
  }
}

function recordRouting(sb: Sandbox, fn: FunctionData, alias: AliasData): void {
  fn.history.push({
    at: sb.simNow(),
    kind: 'alias',
    alias: alias.name,
    version: alias.functionVersion,
    weights: { ...alias.weights },
  });
  sb.markDirty();
}
