/**
 * Function and version operations: CreateFunction, GetFunction, GetFunctionConfiguration,
 * UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion, ListVersionsByFunction,
 * ListFunctions.
 */
import { LAMBDA_LIMITS } from '../domain/limits.js';
import { lambdaErrors } from './api-error.js';
import { jsonBody, type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { applyConfigChanges, readCode, readConfigChanges } from './lambda-config-in.js';
import {
  configFingerprint,
  configurationOut,
  isUpdating,
  paginate,
  refreshStatus,
  startUpdate,
} from './lambda-config-out.js';
import { refreshOptimization, resolveImage, startOptimizing } from './lambda-images.js';
import {
  parseFunctionRef,
  qualifierOf,
  requireFunction,
  requireUnqualified,
  resolveQualifier,
} from './lambda-names.js';
import { readTags, recordRpm } from './lambda-tags.js';
import { hasOwn, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { FunctionConfig, FunctionData } from './types.js';

export function createFunction(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const input = jsonBody(call);
  if (typeof input.FunctionName !== 'string')
    throw lambdaErrors.validation(
      "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    );
  const ref = parseFunctionRef(input.FunctionName);
  if (input.Role === undefined)
    throw lambdaErrors.validation(
      "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null",
    );
  if (input.Code === undefined)
    throw lambdaErrors.validation(
      "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null",
    );
  const packageType = input.PackageType === 'Image' ? 'Image' : 'Zip';
  const changes = readConfigChanges(input);
  if (packageType === 'Zip' && (changes.runtime === undefined || changes.handler === undefined)) {
    throw lambdaErrors.invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  const code = readCode(input.Code as Record<string, unknown>, packageType, (uri) => resolveImage(sb, uri));
  const tags = input.Tags === undefined ? {} : readTags(input.Tags);
  if (hasOwn(sb.data.functions, ref.name)) throw lambdaErrors.conflict(`Function already exist: ${ref.name}`);
  const now = sb.simNow();
  const base: FunctionConfig = {
    version: '$LATEST',
    description: '',
    role: '',
    memorySize: 128,
    timeout: 3,
    environment: {},
    packageType,
    architectures: Array.isArray(input.Architectures) ? input.Architectures.map(String) : ['x86_64'],
    layers: [],
    tracingMode: 'PassThrough',
    ephemeralStorage: 512,
    ...code,
    revisionId: sb.nextId(),
    lastModifiedMs: now,
  };
  const fn: FunctionData = {
    name: ref.name,
    createdAtMs: now,
    latest: applyConfigChanges(base, changes),
    status: { state: 'Active', lastUpdateStatus: 'Successful', readsLeft: 0, settlesAtMs: 0 },
    versions: {},
    nextVersion: 1,
    aliases: {},
    tags,
    history: [],
  };
  setOwn(sb.data.functions, fn.name, fn);
  recordLatest(fn, now);
  recordRpm(fn, now);
  startUpdate(sb, fn, 'create');
  sb.markDirty();
  if (input.Publish === true) return { status: 201, json: publishOut(sb, fn, publish(sb, fn, undefined)) };
  return { status: 201, json: configurationOut(sb, fn, fn.latest) };
}

export function getFunction(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const ref = parseFunctionRef(label(call, 'FunctionName'));
  const fn = requireFunction(sb, ref.name);
  const resolved = resolveQualifier(sb, fn, qualifierOf(ref, call.query.get('Qualifier')));
  refreshStatus(sb, fn, true);
  refreshOptimization(sb, resolved.config, true);
  const code =
    resolved.config.packageType === 'Image'
      ? {
          RepositoryType: 'ECR',
          ImageUri: resolved.config.imageUri,
          ResolvedImageUri: resolved.config.resolvedImageUri ?? resolved.config.imageUri,
        }
      : {
          RepositoryType: 'S3',
          Location: `https://awslambda-${sb.data.region}-tasks.s3.${sb.data.region}.amazonaws.com/snapshots/${sb.data.accountId}/${fn.name}-${resolved.config.revisionId}`,
        };
  return {
    status: 200,
    json: {
      Configuration: configurationOut(sb, fn, resolved.config, resolved.arnQualifier),
      Code: code,
      ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
    },
  };
}

export function getFunctionConfiguration(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const ref = parseFunctionRef(label(call, 'FunctionName'));
  const fn = requireFunction(sb, ref.name);
  const resolved = resolveQualifier(sb, fn, qualifierOf(ref, call.query.get('Qualifier')));
  refreshStatus(sb, fn, true);
  refreshOptimization(sb, resolved.config, true);
  return { status: 200, json: configurationOut(sb, fn, resolved.config, resolved.arnQualifier) };
}

export function updateFunctionCode(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const input = jsonBody(call);
  const code = readCode(input, fn.latest.packageType, (uri) => resolveImage(sb, uri));
  beginWrite(sb, fn, input.RevisionId);
  if (input.DryRun === true)
    return { status: 200, json: configurationOut(sb, fn, { ...fn.latest, ...code }) };
  const architectures = Array.isArray(input.Architectures)
    ? input.Architectures.map(String)
    : fn.latest.architectures;
  fn.latest = { ...fn.latest, ...code, architectures, revisionId: sb.nextId(), lastModifiedMs: sb.simNow() };
  return finishWrite(sb, fn, input.Publish === true);
}

export function updateFunctionConfiguration(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const input = jsonBody(call);
  const changes = readConfigChanges(input);
  beginWrite(sb, fn, input.RevisionId);
  fn.latest = {
    ...applyConfigChanges(fn.latest, changes),
    revisionId: sb.nextId(),
    lastModifiedMs: sb.simNow(),
  };
  recordLatest(fn, sb.simNow());
  return finishWrite(sb, fn, false);
}

/** Lambda takes one change at a time per function, and checks RevisionId when given. */
function beginWrite(sb: Sandbox, fn: FunctionData, revisionId: unknown): void {
  refreshStatus(sb, fn, false);
  if (isUpdating(fn)) throw lambdaErrors.updateInProgress(sb.functionArn(fn.name));
  if (revisionId !== undefined && revisionId !== fn.latest.revisionId)
    throw lambdaErrors.preconditionFailed();
}

function finishWrite(sb: Sandbox, fn: FunctionData, publishNow: boolean): LambdaReply {
  sb.markDirty();
  if (publishNow) return { status: 200, json: publishOut(sb, fn, publish(sb, fn, undefined)) };
  startUpdate(sb, fn, 'update');
  return { status: 200, json: configurationOut(sb, fn, fn.latest) };
}

export function publishVersion(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  const input = jsonBody(call);
  refreshStatus(sb, fn, false);
  if (isUpdating(fn)) throw lambdaErrors.updateInProgress(sb.functionArn(fn.name));
  if (input.RevisionId !== undefined && input.RevisionId !== fn.latest.revisionId)
    throw lambdaErrors.preconditionFailed();
  if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.codeSha256) {
    throw lambdaErrors.invalidParameter(
      `CodeSHA256 (${String(input.CodeSha256)}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  const description = typeof input.Description === 'string' ? input.Description : undefined;
  // Description: 0–256 characters, a model constraint checked before anything else is done.
  // https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
  if (description !== undefined && [...description].length > LAMBDA_LIMITS.versionDescriptionChars) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to ${LAMBDA_LIMITS.versionDescriptionChars}`,
    );
  }
  return { status: 201, json: publishOut(sb, fn, publish(sb, fn, description)) };
}

/** A new immutable version, or the newest one when code and configuration did not change. */
function publish(sb: Sandbox, fn: FunctionData, description: string | undefined): FunctionConfig {
  refreshStatus(sb, fn, true);
  const fingerprint = configFingerprint(fn.latest);
  const newest = fn.versions[String(fn.nextVersion - 1)];
  if (newest && fn.lastPublishedFingerprint === fingerprint) return newest;
  const now = sb.simNow();
  const version = String(fn.nextVersion++);
  const config: FunctionConfig = {
    ...structuredClone(fn.latest),
    version,
    description: description ?? fn.latest.description,
    revisionId: sb.nextId(),
    lastModifiedMs: now,
  };
  startOptimizing(sb, config);
  fn.versions[version] = config;
  fn.lastPublishedFingerprint = fingerprint;
  // Publishing changes $LATEST's RevisionId too.
  fn.latest = { ...fn.latest, revisionId: sb.nextId() };
  sb.markDirty();
  return config;
}

function publishOut(sb: Sandbox, fn: FunctionData, config: FunctionConfig): Record<string, unknown> {
  return configurationOut(sb, fn, config, config.version);
}

export function listVersionsByFunction(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  refreshStatus(sb, fn, false);
  for (const v of Object.values(fn.versions)) refreshOptimization(sb, v, false);
  const all = [fn.latest, ...sortedVersions(fn)].map((c) => configurationOut(sb, fn, c, c.version));
  const { page, next } = paginate(all, call.query.get('Marker'), call.query.get('MaxItems'));
  return { status: 200, json: { Versions: page, ...(next ? { NextMarker: next } : {}) } };
}

export function listFunctions(call: LambdaCall): LambdaReply {
  const { sb } = call;
  const all = call.query.get('FunctionVersion') === 'ALL';
  const configs = Object.values(sb.data.functions)
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((fn) => {
      refreshStatus(sb, fn, false);
      const latest = configurationOut(sb, fn, fn.latest);
      return all
        ? [latest, ...sortedVersions(fn).map((c) => configurationOut(sb, fn, c, c.version))]
        : [latest];
    });
  const { page, next } = paginate(configs, call.query.get('Marker'), call.query.get('MaxItems'));
  return { status: 200, json: { Functions: page, ...(next ? { NextMarker: next } : {}) } };
}

function sortedVersions(fn: FunctionData): FunctionConfig[] {
  return Object.values(fn.versions).sort((a, b) => Number(a.version) - Number(b.version));
}

/** $LATEST's traffic parameters over time (an alias may point at $LATEST). */
function recordLatest(fn: FunctionData, at: number): void {
  const environment = Object.fromEntries(
    Object.entries(fn.latest.environment).filter(([k]) => k.startsWith('LSHIFT_SANDBOX_')),
  );
  fn.history.push({ at, kind: 'latest', environment, timeout: fn.latest.timeout });
}
