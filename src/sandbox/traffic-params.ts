/**
 * How a version behaves under synthetic traffic: read from its (immutable) environment
 * variables, then overridden by scenario faults active at that simulated time.
 */

import { own } from './own.js';
import type { FunctionData, ResolvedVersionFault, TrafficEvent } from './types.js';

export const ENV_ERROR_RATE = 'LSHIFT_SANDBOX_ERROR_RATE';
export const ENV_P50 = 'LSHIFT_SANDBOX_P50_MS';
export const ENV_P99 = 'LSHIFT_SANDBOX_P99_MS';
export const ENV_THROTTLE_RATE = 'LSHIFT_SANDBOX_THROTTLE_RATE';
export const ENV_RESPONSE = 'LSHIFT_SANDBOX_RESPONSE';
export const RPM_TAG = 'lshift-sandbox:rpm';

export const DEFAULT_RPM = 600;
export const MAX_RPM = 20_000;
export const DEFAULT_PARAMS = { errorRate: 0, p50Ms: 40, p99Ms: 120, throttleRate: 0 };

export interface TrafficParams {
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
  throttleRate: number;
  timeoutMs: number;
}

/** Checks the sandbox variables of an environment; the message names the bad variable. */
export function validateTrafficEnv(env: Record<string, string>): string | undefined {
  for (const name of [ENV_ERROR_RATE, ENV_THROTTLE_RATE]) {
    if (env[name] !== undefined && !isRate(env[name])) {
      return `${name} must be a number from 0 to 1 (a fraction, e.g. 0.05), got '${env[name]}'.`;
    }
  }
  for (const name of [ENV_P50, ENV_P99]) {
    if (env[name] !== undefined && !(Number(env[name]) > 0)) {
      return `${name} must be a positive number of milliseconds, got '${env[name]}'.`;
    }
  }
  const p50 = Number(env[ENV_P50] ?? DEFAULT_PARAMS.p50Ms);
  const p99 = Number(env[ENV_P99] ?? Math.max(p50, DEFAULT_PARAMS.p99Ms));
  if (p99 < p50) return `${ENV_P99} (${p99}) must not be below ${ENV_P50} (${p50}).`;
  if (env[ENV_RESPONSE] !== undefined) {
    try {
      JSON.parse(env[ENV_RESPONSE]);
    } catch {
      return `${ENV_RESPONSE} must be a JSON document (what Invoke returns).`;
    }
  }
  return undefined;
}

export function paramsFromEnv(env: Record<string, string>, timeoutSeconds: number): TrafficParams {
  const p50Ms = env[ENV_P50] !== undefined ? Number(env[ENV_P50]) : DEFAULT_PARAMS.p50Ms;
  const p99Ms = env[ENV_P99] !== undefined ? Number(env[ENV_P99]) : Math.max(p50Ms, DEFAULT_PARAMS.p99Ms);
  return {
    errorRate: env[ENV_ERROR_RATE] !== undefined ? Number(env[ENV_ERROR_RATE]) : DEFAULT_PARAMS.errorRate,
    throttleRate:
      env[ENV_THROTTLE_RATE] !== undefined ? Number(env[ENV_THROTTLE_RATE]) : DEFAULT_PARAMS.throttleRate,
    p50Ms,
    p99Ms,
    timeoutMs: timeoutSeconds * 1000,
  };
}

/** Parameters of `version` at simulated time `atMs`, faults applied in scenario order. */
export function paramsAt(
  fn: FunctionData,
  version: string,
  atMs: number,
  faults: ResolvedVersionFault[],
): TrafficParams | undefined {
  const base = baseParams(fn, version, atMs);
  if (!base) return undefined;
  const params = { ...base };
  for (const fault of faults) {
    if (fault.function !== fn.name || fault.version !== version) continue;
    if (atMs < fault.fromMs || atMs >= fault.untilMs) continue;
    if (fault.errorRate !== undefined) params.errorRate = fault.errorRate;
    if (fault.throttleRate !== undefined) params.throttleRate = fault.throttleRate;
    if (fault.p50Ms !== undefined) params.p50Ms = fault.p50Ms;
    if (fault.p99Ms !== undefined) params.p99Ms = fault.p99Ms;
    if (fault.latencyFactor !== undefined) {
      params.p50Ms *= fault.latencyFactor;
      params.p99Ms *= fault.latencyFactor;
    }
    params.p99Ms = Math.max(params.p99Ms, params.p50Ms);
  }
  return params;
}

function baseParams(fn: FunctionData, version: string, atMs: number): TrafficParams | undefined {
  if (version !== '$LATEST') {
    const config = own(fn.versions, version);
    return config && paramsFromEnv(config.environment, config.timeout);
  }
  // $LATEST changes over time: replay its recorded environments.
  let latest: Extract<TrafficEvent, { kind: 'latest' }> | undefined;
  for (const event of fn.history) {
    if (event.at > atMs) break;
    if (event.kind === 'latest') latest = event;
  }
  return latest
    ? paramsFromEnv(latest.environment, latest.timeout)
    : paramsFromEnv(fn.latest.environment, fn.latest.timeout);
}

/** Requests per minute to each alias at `atMs` (the `lshift-sandbox:rpm` tag's history). */
export function rpmAt(fn: FunctionData, atMs: number): number {
  let rpm = DEFAULT_RPM;
  for (const event of fn.history) {
    if (event.at > atMs) break;
    if (event.kind === 'rpm') rpm = event.rpm;
  }
  return rpm;
}

/** The rpm a tag value asks for; the default when absent or unreadable, capped at MAX_RPM. */
export function rpmFromTags(tags: Record<string, string>): number {
  const raw = tags[RPM_TAG];
  if (raw === undefined) return DEFAULT_RPM;
  const rpm = Number(raw);
  return Number.isFinite(rpm) && rpm >= 0 ? Math.min(rpm, MAX_RPM) : DEFAULT_RPM;
}

function isRate(text: string): boolean {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1;
}
