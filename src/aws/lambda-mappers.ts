/**
 * Pure conversions between Lambda SDK shapes and the port's types. FunctionInfo deliberately
 * drops `Environment` (function env variables are secrets and never leave the adapter).
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  AliasConfiguration,
  FunctionCodeLocation,
  FunctionConfiguration,
  FunctionEventInvokeConfig,
  ImageConfigResponse,
  UpdateFunctionCodeRequest,
} from '@aws-sdk/client-lambda';
import { echoInput } from '../domain/echo.js';
import { OperationError } from '../domain/errors.js';
import type {
  AliasInfo,
  CodeLocation,
  CodeSource,
  EventInvokeConfigInfo,
  FunctionInfo,
  ImageConfig,
} from '../ports/lambda.js';

export function toFunctionInfo(c: FunctionConfiguration | undefined): FunctionInfo {
  const config = c ?? {};
  const info: FunctionInfo = {
    functionName: config.FunctionName ?? '',
    functionArn: config.FunctionArn ?? '',
    version: config.Version ?? '$LATEST',
    codeSha256: config.CodeSha256 ?? '',
    role: config.Role ?? '',
    revisionId: config.RevisionId ?? '',
    packageType: config.PackageType === 'Image' ? 'Image' : 'Zip',
  };
  if (config.State) info.state = config.State;
  if (config.LastUpdateStatus) info.lastUpdateStatus = config.LastUpdateStatus;
  if (config.LastUpdateStatusReason) info.lastUpdateStatusReason = config.LastUpdateStatusReason;
  if (config.DeadLetterConfig?.TargetArn) info.deadLetterTargetArn = config.DeadLetterConfig.TargetArn;
  if (config.Description) info.description = config.Description;
  if (config.Architectures?.length) info.architectures = [...config.Architectures];
  const image = toImageConfig(config.ImageConfigResponse);
  if (image) info.imageConfig = image;
  info.settings = toVersionSettings(config);
  return info;
}

/**
 * The settings a version freezes (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html),
 * as comparable strings. State, status, ARNs, RevisionId, LastModified and Description are left
 * out: they differ between `$LATEST` and its version without any change.
 */
export function toVersionSettings(c: FunctionConfiguration): Record<string, string> {
  const variables = c.Environment?.Variables;
  const settings: Record<string, unknown> = {
    runtime: c.Runtime,
    handler: c.Handler,
    memory: c.MemorySize,
    timeout: c.Timeout,
    role: c.Role,
    // Variables are secrets: a digest compares them without holding them.
    environment: variables && digestOf(sortedEntries(variables)),
    layers: c.Layers?.map((l) => l.Arn),
    'dead-letter queue': c.DeadLetterConfig?.TargetArn,
    tracing: c.TracingConfig?.Mode,
    VPC: c.VpcConfig && [
      [...(c.VpcConfig.SubnetIds ?? [])].sort(),
      [...(c.VpcConfig.SecurityGroupIds ?? [])].sort(),
      c.VpcConfig.Ipv6AllowedForDualStack ?? false,
    ],
    'KMS key': c.KMSKeyArn,
    'file systems': c.FileSystemConfigs?.map((f) => [f.Arn, f.LocalMountPath]),
    'ephemeral storage': c.EphemeralStorage?.Size,
    architectures: c.Architectures,
    'image config': c.ImageConfigResponse?.ImageConfig,
    SnapStart: c.SnapStart?.ApplyOn,
    logging: c.LoggingConfig && sortedEntries(c.LoggingConfig),
  };
  return Object.fromEntries(
    Object.entries(settings)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, JSON.stringify(v)]),
  );
}

function sortedEntries(o: object): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Salted with a key of this process only: the digest compares two reads within one run, and
 * should one ever be printed, it cannot be matched against guessed values (a short secret's
 * plain SHA-256 can be).
 */
const DIGEST_SALT = randomBytes(32);

function digestOf(value: unknown): string {
  return createHash('sha256').update(DIGEST_SALT).update(JSON.stringify(value)).digest('base64');
}

/** ImageConfigResponse.ImageConfig (https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfigResponse.html). */
function toImageConfig(response: ImageConfigResponse | undefined): ImageConfig | undefined {
  const c = response?.ImageConfig;
  if (!c) return undefined;
  const out: ImageConfig = {};
  if (c.EntryPoint) out.entryPoint = [...c.EntryPoint];
  if (c.Command) out.command = [...c.Command];
  if (c.WorkingDirectory !== undefined) out.workingDirectory = c.WorkingDirectory;
  return out;
}

/** GetFunction's Code (FunctionCodeLocation); the presigned zip Location is dropped on purpose. */
export function toCodeLocation(code: FunctionCodeLocation | undefined): CodeLocation {
  const out: CodeLocation = {};
  if (code?.RepositoryType) out.repositoryType = code.RepositoryType;
  if (code?.ImageUri) out.imageUri = code.ImageUri;
  if (code?.ResolvedImageUri) out.resolvedImageUri = code.ResolvedImageUri;
  return out;
}

/**
 * An alias answer without the version it routes to is not one lshift can act on: read as '' it
 * printed "all traffic on version " and exit 0 (found by a hostile pass, an endpoint that was not
 * Lambda). Every alias has a FunctionVersion (https://docs.aws.amazon.com/lambda/latest/api/API_AliasConfiguration.html).
 */
export function toAliasInfo(a: AliasConfiguration): AliasInfo {
  if (!a.FunctionVersion) {
    throw new OperationError(
      'AWS_ERROR',
      `Lambda's answer for alias ${echoInput(a.Name ?? '(unnamed)')} names no version (FunctionVersion): it is not an answer lshift can read.`,
      {
        hint: 'Check that the endpoint is AWS Lambda or `lshift sandbox` (AWS_ENDPOINT_URL, LSHIFT_SANDBOX, --endpoint-url).',
      },
    );
  }
  const info: AliasInfo = {
    name: a.Name ?? '',
    functionVersion: a.FunctionVersion,
    additionalWeights: { ...(a.RoutingConfig?.AdditionalVersionWeights ?? {}) },
    revisionId: a.RevisionId ?? '',
  };
  if (a.AliasArn) info.aliasArn = a.AliasArn;
  return info;
}

/** The code fields of UpdateFunctionCode for one source (exactly one of zip, S3, image). */
export function toCodeInput(source: CodeSource): Partial<UpdateFunctionCodeRequest> {
  switch (source.kind) {
    case 'zip':
      return { ZipFile: source.zipFile };
    case 's3':
      return source.objectVersion === undefined
        ? { S3Bucket: source.bucket, S3Key: source.key }
        : { S3Bucket: source.bucket, S3Key: source.key, S3ObjectVersion: source.objectVersion };
    case 'image':
      return { ImageUri: source.imageUri };
  }
}

/** `arn:aws:lambda:us-east-1:123:function:name[:qualifier]` → `name`; a plain name stays as is. */
export function functionNameOf(nameOrArn: string): string {
  const parts = nameOrArn.split(':');
  const i = parts.indexOf('function');
  return nameOrArn.startsWith('arn:') && i >= 0 && parts[i + 1] ? parts[i + 1]! : nameOrArn;
}

/** Published versions ascending by number; `$LATEST` dropped. */
export function sortPublishedVersions(versions: FunctionInfo[]): FunctionInfo[] {
  return versions
    .filter((v) => /^\d+$/.test(v.version))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/** A qualifier is a version (`7`, `$LATEST`) or an alias name; errors should name the right one. */
export function qualifierContext(
  functionName: string,
  qualifier?: string,
): { functionName: string; version?: string; alias?: string } {
  if (!qualifier) return { functionName };
  return /^(\d+|\$LATEST)$/.test(qualifier)
    ? { functionName, version: qualifier }
    : { functionName, alias: qualifier };
}

/** Aborts when either signal does (AbortSignal.any exists on Node 20). */
export function anySignal(a: AbortSignal, b?: AbortSignal): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

/** A FunctionEventInvokeConfig; its qualifier is the last part of the qualified FunctionArn. */
export function toEventInvokeConfig(c: FunctionEventInvokeConfig): EventInvokeConfigInfo {
  const parts = (c.FunctionArn ?? '').split(':');
  const i = parts.indexOf('function');
  const info: EventInvokeConfigInfo = { qualifier: (i >= 0 && parts[i + 2]) || '$LATEST' };
  if (c.MaximumRetryAttempts !== undefined) info.maximumRetryAttempts = c.MaximumRetryAttempts;
  if (c.MaximumEventAgeInSeconds !== undefined) info.maximumEventAgeInSeconds = c.MaximumEventAgeInSeconds;
  if (c.DestinationConfig?.OnSuccess?.Destination) info.onSuccess = c.DestinationConfig.OnSuccess.Destination;
  if (c.DestinationConfig?.OnFailure?.Destination) info.onFailure = c.DestinationConfig.OnFailure.Destination;
  return info;
}
