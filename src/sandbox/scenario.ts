/**
 * Scenario files: faults and settings for a sandbox run (docs/sandbox.md), JSON or YAML. What a
 * scenario holds; scenario-file.ts reads one, scenario-validation.ts checks it.
 */

import { parseDuration } from '../domain/duration.js';
import type { DemoHooks } from './demo-hooks.js';

export type DemoPresetName = 'healthy' | 'bad' | 'slow' | 'low-traffic';
export const DEMO_PRESET_NAMES: readonly DemoPresetName[] = ['healthy', 'bad', 'slow', 'low-traffic'];

/** A point in simulated time: `5m` / 300 (seconds) after the sandbox first started, or an ISO timestamp. */
export type ScenarioTime = string | number;

export interface VersionFault {
  type: 'version';
  function: string;
  version: string;
  at?: ScenarioTime;
  until?: ScenarioTime;
  errorRate?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Multiplies p50 and p99 (after any p50Ms/p99Ms of this fault). */
  latencyFactor?: number;
  throttleRate?: number;
}

export type ApiFaultKind = 'throttle' | '5xx' | 'reset' | 'expired-credentials' | 'access-denied';

export interface ApiFault {
  type: 'api';
  service?: 'lambda' | 'cloudwatch' | 'codedeploy' | 'all';
  /** Operation names (`UpdateAlias`, `GetMetricData`); all operations when absent. */
  operations?: string[];
  kind: ApiFaultKind;
  /** Fraction of matching calls that fail, 0–1; every one (1) for the credential kinds. */
  rate?: number;
  /**
   * Never fault an SDK call's last attempt (its `amz-sdk-request: attempt=N; max=N` header), so
   * the SDK's retries absorb every fault: what a test of retried calls needs, since three faults
   * in a row on one call are otherwise a matter of odds. Calls without the header draw as usual.
   */
  spareLastAttempt?: boolean;
  at?: ScenarioTime;
  until?: ScenarioTime;
}

export interface MetricDelayFault {
  type: 'metric-delay';
  /** Extra minutes before a minute's datapoints become visible. */
  minutes: number;
  at?: ScenarioTime;
  until?: ScenarioTime;
}

export type ScenarioFault = VersionFault | ApiFault | MetricDelayFault;

export interface DemoTarget {
  errorRate?: number;
  p50Ms?: number;
  p99Ms?: number;
}

export interface ScenarioDemo {
  preset?: DemoPresetName;
  functionName?: string;
  alias?: string;
  rpm?: number;
  target?: DemoTarget;
  /** `Image`: the demo is a container-image function (tags `:v1` stable, `:v2` in `$LATEST`). */
  packageType?: 'Zip' | 'Image';
  /** CodeDeploy hook functions to seed: `{BeforeAllowTraffic: Succeeded, AfterAllowTraffic: Failed}`. */
  hooks?: DemoHooks;
}

/**
 * Minutes after a minute ends before its Lambda datapoints appear: a fixed number (complete at
 * once), or a range [min, max] (each minute's delay drawn from it, first seen partial, complete
 * a minute later), like CloudWatch's.
 */
export type MetricDelaySetting = number | [number, number];

export interface SandboxScenario {
  seed?: number;
  speed?: number;
  metricDelayMinutes?: MetricDelaySetting;
  /** Demo function to seed (used by the CLI through `seedDemo`); startSandbox itself ignores it. */
  demo?: ScenarioDemo;
  faults?: ScenarioFault[];
}

/** Resolves a ScenarioTime to simulated epoch ms, counting relative times from `startedAtMs`. */
export function resolveScenarioTime(
  value: ScenarioTime | undefined,
  startedAtMs: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return startedAtMs + value * 1000;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return Date.parse(value);
  return startedAtMs + parseDuration(value, 'scenario time', { allowZero: true }) * 1000;
}
