/**
 * Checks an untrusted scenario (a file's, or one sent to the control endpoint): the first bad
 * field is named (`faults[1].rate`) so a user can fix it.
 */
import { parseDuration } from '../domain/duration.js';
import { UsageError } from '../domain/errors.js';
import { isSandboxSpeed, SPEED_RANGE_WORDS } from '../domain/sandbox-speed.js';
import { validateDemoHooks } from './demo-hooks.js';
import { operationProblem, type SandboxService } from './operation-names.js';
import {
  type ApiFault,
  type ApiFaultKind,
  DEMO_PRESET_NAMES,
  type DemoPresetName,
  type SandboxScenario,
  type ScenarioDemo,
  type ScenarioFault,
  type ScenarioTime,
  type VersionFault,
} from './scenario.js';
import { asObject, checkKeys, type Fail, metricDelay, num, rate, str, time } from './scenario-fields.js';

const API_FAULT_KINDS: readonly ApiFaultKind[] = [
  'throttle',
  '5xx',
  'reset',
  'expired-credentials',
  'access-denied',
];
/** Credentials do not expire for a random fraction of calls: these kinds hit every matching call by default. */
const EVERY_CALL_KINDS: readonly ApiFaultKind[] = ['expired-credentials', 'access-denied'];

/**
 * Checks an untrusted scenario object; throws UsageError naming the first bad field, after
 * `source` (the file, as shown; '' when the caller names where it came from).
 */
export function validateScenario(raw: unknown, source = 'scenario'): SandboxScenario {
  const fail = (field: string, problem: string): never => {
    throw new UsageError(
      'SANDBOX_SCENARIO_INVALID',
      `${source ? `${source}: ` : ''}\`${field}\` ${problem}`,
      {
        hint: 'See docs/sandbox.md for the scenario format.',
      },
    );
  };
  if (raw === null || raw === undefined) return {};
  const top = asObject(raw, '(top level)', fail);
  checkKeys(top, ['seed', 'speed', 'metricDelayMinutes', 'demo', 'faults'], '', fail);
  const scenario: SandboxScenario = {};
  if (top.seed !== undefined) scenario.seed = num(top.seed, 'seed', fail, { integer: true });
  if (top.speed !== undefined) scenario.speed = speedOf(top.speed, fail);
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
  checkWindow(window, path, fail);
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
      checkKeys(
        f,
        ['type', 'service', 'operations', 'kind', 'rate', 'spareLastAttempt', 'at', 'until'],
        `${path}.`,
        fail,
      );
      if (f.spareLastAttempt !== undefined && typeof f.spareLastAttempt !== 'boolean')
        fail(`${path}.spareLastAttempt`, 'must be true or false');
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
        const service =
          f.service === 'all' || f.service === undefined ? undefined : (f.service as SandboxService);
        operations.forEach((op, i) => {
          const problem = operationProblem(op, service);
          if (problem) fail(`${path}.operations[${i}]`, problem);
        });
      }
      return {
        type: 'api',
        service: (f.service as ApiFault['service']) ?? 'all',
        operations,
        kind,
        rate: f.rate === undefined ? 1 : rate(f.rate, `${path}.rate`, fail),
        ...(f.spareLastAttempt === true ? { spareLastAttempt: true } : {}),
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

/**
 * A fault whose `until` is not later than its `at` never applies: it was accepted without a word
 * (hostile pass); nor does one without `at` whose `until` is a duration of 0 (it starts at once).
 * Compared here when both are durations or both timestamps; a duration beside a
 * timestamp depends on when the sandbox first started (or, for the control endpoint, on now), so
 * the sandbox compares those when it adds the fault (sandbox.ts).
 */
function checkWindow(window: { at?: ScenarioTime; until?: ScenarioTime }, path: string, fail: Fail): void {
  const { at, until } = window;
  if (until === undefined) return;
  if (at === undefined) {
    // Without `at` a fault starts at once: `until: 0s` ends it before it applies (found by a docs audit).
    const to = comparable(until);
    if (to?.kind !== 'relative' || to.value > 0) return;
    fail(
      `${path}.until`,
      `(${until}) is not later than the fault's start (no \`${path}.at\`: it starts at once): the fault would never apply. Give an \`until\` after its start, or drop \`until\` for a fault that never ends`,
    );
  }
  const from = comparable(at);
  const to = comparable(until);
  if (from === undefined || to === undefined || from.kind !== to.kind || to.value > from.value) return;
  fail(
    `${path}.until`,
    `(${until}) is not later than \`${path}.at\` (${at}): the fault would never apply. Give an \`until\` after its \`at\`, or drop \`until\` for a fault that never ends`,
  );
}

function comparable(value: ScenarioTime): { kind: 'relative' | 'absolute'; value: number } | undefined {
  if (typeof value === 'number') return { kind: 'relative', value: value * 1000 };
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return { kind: 'absolute', value: Date.parse(value) };
  try {
    return { kind: 'relative', value: parseDuration(value, 'scenario time', { allowZero: true }) * 1000 };
  } catch {
    return undefined;
  }
}

/** The range `--speed` takes too (sandbox-speed.ts), in the same words. */
function speedOf(raw: unknown, fail: Fail): number {
  if (isSandboxSpeed(raw)) return raw;
  // Only a number is echoed: text from the file is not repeated into the terminal.
  return fail('speed', typeof raw === 'number' ? `${SPEED_RANGE_WORDS}, not ${raw}` : SPEED_RANGE_WORDS);
}
