/**
 * Reading CreateFunction / UpdateFunctionCode / UpdateFunctionConfiguration inputs with
 * Lambda's limits and messages (memory 128–10,240 MB, timeout ≤ 900 s, 4 KB of environment,
 * zip packages that really are zips).
 */

import { createHash } from 'node:crypto';
import { lambdaErrors } from './api-error.js';
import { readImageConfig } from './lambda-images.js';
import { setOwn } from './own.js';
import { validateTrafficEnv } from './traffic-params.js';
import type { FunctionConfig } from './types.js';
import { describeUnusableZip } from './zip-check.js';

const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const ENV_NAME = /^[a-zA-Z]([a-zA-Z0-9_])+$/;
const RESERVED_ENV = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];
/** 50 MB zipped, the direct-upload limit. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

export type ConfigChanges = Partial<
  Pick<
    FunctionConfig,
    | 'description'
    | 'role'
    | 'handler'
    | 'runtime'
    | 'memorySize'
    | 'timeout'
    | 'environment'
    | 'deadLetterTargetArn'
    | 'layers'
    | 'tracingMode'
    | 'ephemeralStorage'
    | 'imageConfig'
  >
> & { clearDeadLetter?: boolean };

export interface CodeInput {
  codeSha256: string;
  codeSize: number;
  imageUri?: string;
  resolvedImageUri?: string;
}

/** How an ImageUri resolves to a digest (the sandbox's registry, lambda-images.ts). */
export type ImageResolver = (uri: string) => { resolvedImageUri: string; digestHex: string };

export function readConfigChanges(input: Record<string, unknown>): ConfigChanges {
  const changes: ConfigChanges = {};
  if (input.Role !== undefined) changes.role = readRole(input.Role);
  if (input.Handler !== undefined) changes.handler = String(input.Handler);
  if (input.Runtime !== undefined) changes.runtime = String(input.Runtime);
  if (input.Description !== undefined) changes.description = String(input.Description);
  if (input.MemorySize !== undefined)
    changes.memorySize = readRange(input.MemorySize, 'memorySize', 128, 10_240);
  if (input.Timeout !== undefined) changes.timeout = readRange(input.Timeout, 'timeout', 1, 900);
  if (input.Environment !== undefined) {
    const variables = (input.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
    changes.environment = readEnvironment(variables);
  }
  if (input.DeadLetterConfig !== undefined) {
    const target = (input.DeadLetterConfig as { TargetArn?: unknown })?.TargetArn;
    if (target === undefined || target === '') changes.clearDeadLetter = true;
    else if (typeof target !== 'string' || !target.startsWith('arn:')) {
      throw lambdaErrors.invalidParameter("Invalid dead letter ARN: ARNs must start with 'arn:'");
    } else changes.deadLetterTargetArn = target;
  }
  if (input.ImageConfig !== undefined) changes.imageConfig = readImageConfig(input.ImageConfig);
  if (input.Layers !== undefined) {
    const layers = Array.isArray(input.Layers) ? input.Layers.map(String) : [];
    if (layers.length > 5) throw lambdaErrors.invalidParameter('Cannot reference more than 5 layers.');
    changes.layers = layers;
  }
  if (input.TracingConfig !== undefined) {
    changes.tracingMode = String((input.TracingConfig as { Mode?: unknown })?.Mode ?? 'PassThrough');
  }
  if (input.EphemeralStorage !== undefined) {
    changes.ephemeralStorage = readRange(
      (input.EphemeralStorage as { Size?: unknown })?.Size,
      'ephemeralStorage.size',
      512,
      10_240,
    );
  }
  return changes;
}

export function applyConfigChanges(config: FunctionConfig, changes: ConfigChanges): FunctionConfig {
  const { clearDeadLetter, ...rest } = changes;
  const next = { ...config, ...rest };
  if (clearDeadLetter) delete next.deadLetterTargetArn;
  return next;
}

function readRole(raw: unknown): string {
  if (typeof raw !== 'string' || !ROLE.test(raw)) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ROLE.source.slice(1, -1)}`,
    );
  }
  return raw;
}

function readRange(raw: unknown, field: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  }
  if (value > max) {
    throw lambdaErrors.validation(
      `1 validation error detected: Value '${String(raw)}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return value;
}

function readEnvironment(raw: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!ENV_NAME.test(key)) {
      throw lambdaErrors.validation(
        `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
      );
    }
    setOwn(env, key, String(value));
  }
  const reserved = Object.keys(env).filter((k) => RESERVED_ENV.includes(k));
  if (reserved.length > 0) {
    throw lambdaErrors.invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  // The 4 KB limit is measured on the JSON of the variables; the message does not echo them here
  // (Lambda's does) because they may be secrets.
  if (Buffer.byteLength(JSON.stringify(env)) > 4096) {
    throw lambdaErrors.invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.',
    );
  }
  const problem = validateTrafficEnv(env);
  if (problem) throw lambdaErrors.invalidParameter(`Sandbox traffic model: ${problem}`);
  return env;
}

/** ZipFile (base64 in JSON) / S3Bucket+S3Key / ImageUri, as CreateFunction's Code or UpdateFunctionCode. */
export function readCode(
  input: Record<string, unknown>,
  packageType: 'Zip' | 'Image',
  resolveImage: ImageResolver,
): CodeInput {
  const sources = [
    input.ZipFile !== undefined,
    input.S3Bucket !== undefined || input.S3Key !== undefined,
    input.ImageUri !== undefined,
  ];
  if (sources.filter(Boolean).length !== 1) {
    throw lambdaErrors.invalidParameter(
      'Please provide a source for function code: exactly one of ZipFile, S3Bucket/S3Key or ImageUri.',
    );
  }
  if (input.ImageUri !== undefined) {
    if (packageType !== 'Image')
      throw lambdaErrors.invalidParameter(
        "Please don't provide ImageUri when updating a function with packageType Zip.",
      );
    const uri = String(input.ImageUri);
    const image = resolveImage(uri);
    // An image function's CodeSha256 is its digest: the same image by tag or digest is the same code.
    return {
      codeSha256: image.digestHex,
      codeSize: 0,
      imageUri: uri,
      resolvedImageUri: image.resolvedImageUri,
    };
  }
  if (packageType === 'Image')
    throw lambdaErrors.invalidParameter(
      'Please provide ImageUri when updating a function with packageType Image.',
    );
  if (input.ZipFile !== undefined) {
    const zip = Buffer.from(String(input.ZipFile), 'base64');
    if (zip.length > MAX_ZIP_BYTES) {
      throw lambdaErrors.tooLarge(69_905_067, 'UpdateFunctionCode');
    }
    const unusable = describeUnusableZip(zip);
    if (unusable !== undefined) throw lambdaErrors.invalidParameter(unusable);
    return { codeSha256: sha256(zip), codeSize: zip.length };
  }
  if (typeof input.S3Bucket !== 'string' || typeof input.S3Key !== 'string') {
    throw lambdaErrors.invalidParameter('Please provide both S3Bucket and S3Key.');
  }
  checkS3Location(input.S3Bucket, input.S3Key);
  // The sandbox has no S3: the object is identified by its location.
  const location = `s3://${input.S3Bucket}/${input.S3Key}${input.S3ObjectVersion ? `?versionId=${String(input.S3ObjectVersion)}` : ''}`;
  return { codeSha256: sha256(location), codeSize: location.length };
}

/**
 * Lambda's model constraints on S3Bucket (3–63 characters, `^[0-9A-Za-z\.\-_]*(?<!\.)$`) and S3Key
 * (1–1024): https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html
 */
function checkS3Location(bucket: string, key: string): void {
  const invalid = (value: string, field: string, constraint: string) =>
    lambdaErrors.validation(
      `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must ${constraint}`,
    );
  if (bucket.length < 3) throw invalid(bucket, 's3Bucket', 'have length greater than or equal to 3');
  if (bucket.length > 63) throw invalid(bucket, 's3Bucket', 'have length less than or equal to 63');
  if (!/^[0-9A-Za-z.\-_]*$/.test(bucket) || bucket.endsWith('.')) {
    throw invalid(bucket, 's3Bucket', 'satisfy regular expression pattern: ^[0-9A-Za-z\\.\\-_]*(?<!\\.)$');
  }
  if (key.length < 1) throw invalid(key, 's3Key', 'have length greater than or equal to 1');
  if (key.length > 1024) throw invalid(key, 's3Key', 'have length less than or equal to 1024');
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}
