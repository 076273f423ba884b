/**
 * FunctionConfiguration / AliasConfiguration as Lambda returns them, and the update status
 * machine: a create or update answers Pending/InProgress and completes on the next read (one
 * waiter poll) or after a few simulated seconds, whichever comes first.
 */
import type { Sandbox } from './sandbox.js';
import type { AliasData, FunctionConfig, FunctionData } from './types.js';

/** Simulated ms an update takes when nobody reads the function meanwhile. */
export const UPDATE_SETTLE_MS = 5_000;

export function startUpdate(sb: Sandbox, fn: FunctionData, kind: 'create' | 'update'): void {
  fn.status =
    kind === 'create'
      ? {
          state: 'Pending',
          lastUpdateStatus: 'InProgress',
          reason: 'The function is being created.',
          reasonCode: 'Creating',
          readsLeft: 1,
          settlesAtMs: sb.simNow() + UPDATE_SETTLE_MS,
        }
      : {
          state: 'Active',
          lastUpdateStatus: 'InProgress',
          reason: 'The function is being updated.',
          readsLeft: 1,
          settlesAtMs: sb.simNow() + UPDATE_SETTLE_MS,
        };
}

/** Completes a pending create/update when its time has come; `read` counts as a poll. */
export function refreshStatus(sb: Sandbox, fn: FunctionData, read: boolean): void {
  const status = fn.status;
  if (status.lastUpdateStatus !== 'InProgress') return;
  if (read) status.readsLeft--;
  if (status.readsLeft <= 0 || sb.simNow() >= status.settlesAtMs) {
    fn.status = { state: 'Active', lastUpdateStatus: 'Successful', readsLeft: 0, settlesAtMs: 0 };
    sb.markDirty();
  }
}

export function isUpdating(fn: FunctionData): boolean {
  return fn.status.lastUpdateStatus === 'InProgress';
}

export function configurationOut(
  sb: Sandbox,
  fn: FunctionData,
  config: FunctionConfig,
  arnQualifier?: string,
): Record<string, unknown> {
  const isLatest = config.version === '$LATEST';
  const status = isLatest ? fn.status : versionStatus(config);
  return {
    FunctionName: fn.name,
    FunctionArn: sb.functionArn(fn.name, arnQualifier),
    ...(config.runtime !== undefined ? { Runtime: config.runtime } : {}),
    Role: config.role,
    ...(config.handler !== undefined ? { Handler: config.handler } : {}),
    CodeSize: config.codeSize,
    Description: config.description,
    Timeout: config.timeout,
    MemorySize: config.memorySize,
    LastModified: lambdaDate(config.lastModifiedMs),
    CodeSha256: config.codeSha256,
    Version: config.version,
    ...(Object.keys(config.environment).length > 0
      ? { Environment: { Variables: { ...config.environment } } }
      : {}),
    ...(config.deadLetterTargetArn !== undefined
      ? { DeadLetterConfig: { TargetArn: config.deadLetterTargetArn } }
      : {}),
    TracingConfig: { Mode: config.tracingMode },
    RevisionId: config.revisionId,
    ...(config.layers.length > 0 ? { Layers: config.layers.map((Arn) => ({ Arn, CodeSize: 0 })) } : {}),
    State: status.state,
    ...('reason' in status && status.state === 'Pending'
      ? { StateReason: status.reason, StateReasonCode: status.reasonCode }
      : {}),
    LastUpdateStatus: status.lastUpdateStatus,
    ...('reason' in status && status.lastUpdateStatus === 'InProgress'
      ? { LastUpdateStatusReason: status.reason }
      : {}),
    PackageType: config.packageType,
    ...(config.imageConfig !== undefined && Object.keys(config.imageConfig).length > 0
      ? { ImageConfigResponse: { ImageConfig: structuredClone(config.imageConfig) } }
      : {}),
    Architectures: config.architectures,
    EphemeralStorage: { Size: config.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

/** A published version is Active, or Pending while its image is being optimised (lambda-images.ts). */
function versionStatus(config: FunctionConfig) {
  return config.optimizedAtMs === undefined
    ? { state: 'Active' as const, lastUpdateStatus: 'Successful' as const }
    : {
        state: 'Pending' as const,
        lastUpdateStatus: 'Successful' as const,
        reason: 'The function is being optimized.',
        reasonCode: 'Creating',
      };
}

export function aliasOut(sb: Sandbox, fn: FunctionData, alias: AliasData): Record<string, unknown> {
  return {
    AliasArn: sb.functionArn(fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(alias.weights).length > 0
      ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } }
      : {}),
    RevisionId: alias.revisionId,
  };
}

/** `2024-03-12T10:01:00.000+0000`, Lambda's LastModified format. */
export function lambdaDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Code and configuration of `$LATEST`, the part that decides whether PublishVersion makes a new version. */
export function configFingerprint(config: FunctionConfig): string {
  const { revisionId: _r, lastModifiedMs: _l, version: _v, optimizedAtMs: _o, ...rest } = config;
  return stableStringify(rest);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Paginates a list with Lambda's opaque Marker / MaxItems. */
export function paginate<T>(
  items: T[],
  marker: string | null,
  maxItems: string | null,
  fallback = 50,
): { page: T[]; next?: string } {
  const start = marker ? Number(Buffer.from(marker, 'base64').toString()) || 0 : 0;
  const max = maxItems ? Math.max(1, Math.min(Number(maxItems) || fallback, 10_000)) : fallback;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return { page, next };
}
