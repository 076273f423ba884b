/**
 * Scenario files: faults and settings for a sandbox run (docs/sandbox.md). JSON or YAML.
 * Validation names the bad field (`faults[1].rate`) so a user can fix the file.
 */

import { DURATION_UNITS, parseDuration } from '../domain/duration.js';
import { UsageError } from '../domain/errors.js';
import { describeSyntaxError } from '../domain/file-syntax.js';
import { printable } from '../domain/printable.js';
import { type DemoHooks, validateDemoHooks } from './demo-hooks.js';
import { describeRefusal, readSmallRegularFile } from './regular-file.js';
import { parseYamlLinear } from './yaml-linear.js';

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
const API_FAULT_KINDS: readonly ApiFaultKind[] = [
  'throttle',
  '5xx',
  'reset',
  'expired-credentials',
  'access-denied',
];
/** Credentials do not expire for a random fraction of calls: these kinds hit every matching call by default. */
const EVERY_CALL_KINDS: readonly ApiFaultKind[] = ['expired-credentials', 'access-denied'];

export interface ApiFault {
  type: 'api';
  service?: 'lambda' | 'cloudwatch' | 'codedeploy' | 'all';
  /** Operation names (`UpdateAlias`, `GetMetricData`); all operations when absent. */
  operations?: string[];
  kind: ApiFaultKind;
  /** Fraction of matching calls that fail, 0–1; every one (1) for the credential kinds. */
  rate?: number;
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

export function loadScenarioFile(path: string): SandboxScenario {
  const read = readSmallRegularFile(path);
  if (read.kind !== 'text') {
    const problem = read.kind === 'missing' ? 'does not exist' : describeRefusal(read);
    throw new UsageError('SANDBOX_SCENARIO_UNREADABLE', printable(`The scenario file ${path} ${problem}.`), {
      hint: '--scenario takes a JSON or YAML file (see docs/sandbox.md). Check the path.',
    });
  }
  // A byte order mark (Notepad's UTF-8) is no JSON token: the config file drops it too.
  const text = read.text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYamlLinear(text);
  } catch (error) {
    throw new UsageError(
      'SANDBOX_SCENARIO_INVALID',
      `The scenario file ${path} is not valid JSON/YAML: ${describeSyntaxError(text, error)}`,
      {
        hint: 'See docs/sandbox.md for the scenario format.',
      },
    );
  }
  return validateScenario(raw, path);
}

/** Checks an untrusted scenario object; throws UsageError naming the first bad field. */
export function validateScenario(raw: unknown, source = 'scenario'): SandboxScenario {
  const fail = (field: string, problem: string): never => {
    throw new UsageError('SANDBOX_SCENARIO_INVALID', `${source}: \`${field}\` ${problem}`, {
      hint: 'See docs/sandbox.md for the scenario format.',
    });
  };
  if (raw === null || raw === undefined) return {};
  const top = asObject(raw, '(top level)', fail);
  checkKeys(top, ['seed', 'speed', 'metricDelayMinutes', 'demo', 'faults'], '', fail);
  const scenario: SandboxScenario = {};
  if (top.seed !== undefined) scenario.seed = num(top.seed, 'seed', fail, { integer: true });
  if (top.speed !== undefined) scenario.speed = num(top.speed, 'speed', fail, { min: 0.001, max: 100_000 });
  if (top.metricDelayMinutes !== undefined) {
    scenario.metricDelayMinutes = metricDelay(top.metricDelayMinutes, 'metricDelayMinutes', fail);
  }
  if (top.demo !== undefined) scenario.demo = validateDemo(top.demo, fail);
  if (top.faults !== undefined) {
    if (!Array.isArray(top.faults)) fail('faults', 'must be a list');
    scenario.faults = (top.faults as unknown[]).map((f, i) => validateFault(f, `faults[${i}]`, fail));
  }
  return scenario;
}

type Fail = (field: string, problem: string) => never;

function validateDemo(raw: unknown, fail: Fail): ScenarioDemo {
  const demo = asObject(raw, 'demo', fail);
  checkKeys(
    demo,
    ['preset', 'functionName', 'alias', 'rpm', 'target', 'packageType', 'hooks'],
    'demo.',
    fail,
  );
  const out: ScenarioDemo = {};
  if (demo.hooks !== undefined) out.hooks = validateDemoHooks(demo.hooks, fail);
  if (demo.packageType !== undefined) {
    if (demo.packageType !== 'Zip' && demo.packageType !== 'Image')
      fail('demo.packageType', 'must be Zip or Image');
    out.packageType = demo.packageType as 'Zip' | 'Image';
  }
  if (demo.preset !== undefined) {
    if (!DEMO_PRESET_NAMES.includes(demo.preset as DemoPresetName)) {
      fail('demo.preset', `must be one of ${DEMO_PRESET_NAMES.join(', ')}`);
    }
    out.preset = demo.preset as DemoPresetName;
  }
  if (demo.functionName !== undefined) out.functionName = str(demo.functionName, 'demo.functionName', fail);
  if (demo.alias !== undefined) out.alias = str(demo.alias, 'demo.alias', fail);
  if (demo.rpm !== undefined) out.rpm = num(demo.rpm, 'demo.rpm', fail, { min: 0, max: 20_000 });
  if (demo.target !== undefined) {
    const target = asObject(demo.target, 'demo.target', fail);
    checkKeys(target, ['errorRate', 'p50Ms', 'p99Ms'], 'demo.target.', fail);
    out.target = {};
    if (target.errorRate !== undefined)
      out.target.errorRate = rate(target.errorRate, 'demo.target.errorRate', fail);
    if (target.p50Ms !== undefined)
      out.target.p50Ms = num(target.p50Ms, 'demo.target.p50Ms', fail, { min: 0.01 });
    if (target.p99Ms !== undefined)
      out.target.p99Ms = num(target.p99Ms, 'demo.target.p99Ms', fail, { min: 0.01 });
  }
  return out;
}

function validateFault(raw: unknown, path: string, fail: Fail): ScenarioFault {
  const f = asObject(raw, path, fail);
  const window = {
    at: f.at === undefined ? undefined : time(f.at, `${path}.at`, fail),
    until: f.until === undefined ? undefined : time(f.until, `${path}.until`, fail),
  };
  switch (f.type) {
    case 'version': {
      checkKeys(
        f,
        [
          'type',
          'function',
          'version',
          'at',
          'until',
          'errorRate',
          'p50Ms',
          'p99Ms',
          'latencyFactor',
          'throttleRate',
        ],
        `${path}.`,
        fail,
      );
      const fault: VersionFault = {
        type: 'version',
        function: str(f.function, `${path}.function`, fail),
        version: str(typeof f.version === 'number' ? String(f.version) : f.version, `${path}.version`, fail),
        ...window,
      };
      if (f.errorRate !== undefined) fault.errorRate = rate(f.errorRate, `${path}.errorRate`, fail);
      if (f.throttleRate !== undefined)
        fault.throttleRate = rate(f.throttleRate, `${path}.throttleRate`, fail);
      if (f.p50Ms !== undefined) fault.p50Ms = num(f.p50Ms, `${path}.p50Ms`, fail, { min: 0.01 });
      if (f.p99Ms !== undefined) fault.p99Ms = num(f.p99Ms, `${path}.p99Ms`, fail, { min: 0.01 });
      if (f.latencyFactor !== undefined) {
        fault.latencyFactor = num(f.latencyFactor, `${path}.latencyFactor`, fail, { min: 0.01, max: 1000 });
      }
      return fault;
    }
    case 'api': {
      checkKeys(f, ['type', 'service', 'operations', 'kind', 'rate', 'at', 'until'], `${path}.`, fail);
      if (
        f.service !== undefined &&
        !['lambda', 'cloudwatch', 'codedeploy', 'all'].includes(f.service as string)
      ) {
        fail(`${path}.service`, 'must be lambda, cloudwatch, codedeploy or all');
      }
      if (!API_FAULT_KINDS.includes(f.kind as ApiFaultKind))
        fail(
          `${path}.kind`,
          `must be ${API_FAULT_KINDS.slice(0, -1).join(', ')} or ${API_FAULT_KINDS.at(-1)}`,
        );
      const kind = f.kind as ApiFaultKind;
      if (f.rate === undefined && !EVERY_CALL_KINDS.includes(kind)) {
        fail(`${path}.rate`, `is required for kind ${kind} (a fraction 0–1 of the matching calls)`);
      }
      let operations: string[] | undefined;
      if (f.operations !== undefined) {
        if (!Array.isArray(f.operations)) fail(`${path}.operations`, 'must be a list of operation names');
        operations = (f.operations as unknown[]).map((op, i) => str(op, `${path}.operations[${i}]`, fail));
      }
      return {
        type: 'api',
        service: (f.service as ApiFault['service']) ?? 'all',
        operations,
        kind,
        rate: f.rate === undefined ? 1 : rate(f.rate, `${path}.rate`, fail),
        ...window,
      };
    }
    case 'metric-delay':
      checkKeys(f, ['type', 'minutes', 'at', 'until'], `${path}.`, fail);
      return {
        type: 'metric-delay',
        minutes: num(f.minutes, `${path}.minutes`, fail, { min: 0, max: 1440 }),
        ...window,
      };
    default:
      return fail(`${path}.type`, 'must be version, api or metric-delay');
  }
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

function asObject(raw: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(field, 'must be an object');
  return raw as Record<string, unknown>;
}

function checkKeys(obj: Record<string, unknown>, allowed: string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      fail(`${prefix}${key}`, `is not a known field (expected one of ${allowed.join(', ')})`);
  }
}

function str(raw: unknown, field: string, fail: Fail): string {
  if (typeof raw !== 'string' || raw.trim() === '') fail(field, 'must be a non-empty string');
  return raw as string;
}

function num(
  raw: unknown,
  field: string,
  fail: Fail,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail(field, 'must be a number');
  if (opts.integer && !Number.isInteger(raw)) fail(field, 'must be a whole number');
  if (opts.min !== undefined && raw < opts.min) fail(field, `must be at least ${opts.min}`);
  if (opts.max !== undefined && raw > opts.max) fail(field, `must be at most ${opts.max}`);
  return raw;
}

function metricDelay(raw: unknown, field: string, fail: Fail): MetricDelaySetting {
  if (!Array.isArray(raw)) return num(raw, field, fail, { min: 0, max: 1440 });
  if (raw.length !== 2) return fail(field, 'must be a number of minutes or a range [min, max]');
  const min = num(raw[0], `${field}[0]`, fail, { min: 0, max: 1440 });
  const max = num(raw[1], `${field}[1]`, fail, { min, max: 1440 });
  return [min, max];
}

function rate(raw: unknown, field: string, fail: Fail): number {
  return num(raw, field, fail, { min: 0, max: 1 });
}

function time(raw: unknown, field: string, fail: Fail): ScenarioTime {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0)
      fail(
        field,
        `must be seconds ≥ 0, a duration like \`5m\` (units ${DURATION_UNITS}), or an ISO timestamp`,
      );
    return raw;
  }
  if (typeof raw !== 'string')
    return fail(field, `must be a duration like \`5m\` (units ${DURATION_UNITS}) or an ISO timestamp`);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    if (Number.isNaN(Date.parse(raw))) fail(field, `is not a valid ISO timestamp: ${raw}`);
    return raw;
  }
  try {
    parseDuration(raw, field, { allowZero: true });
  } catch (error) {
    fail(
      field,
      `is not a duration like \`5m\` (units ${DURATION_UNITS}) or an ISO timestamp (${(error as Error).message})`,
    );
  }
  return raw;
}
