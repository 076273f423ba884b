/**
 * A scenario's faults (and those a test adds while running) resolved to windows of simulated epoch
 * ms, refused whole when one would never apply (docs/sandbox.md).
 */
import { UsageError } from '../domain/errors.js';
import {
  type ApiFaultKind,
  resolveScenarioTime,
  type SandboxScenario,
  type ScenarioFault,
} from './scenario.js';
import type { ResolvedVersionFault } from './types.js';

export interface ResolvedApiFault {
  service: 'lambda' | 'cloudwatch' | 'codedeploy' | 'all';
  operations?: string[];
  kind: ApiFaultKind;
  spareLastAttempt: boolean;
  rate: number;
  fromMs: number;
  untilMs: number;
}

export interface ResolvedDelayFault {
  minutes: number;
  fromMs: number;
  untilMs: number;
}

export interface ResolvedFaults {
  versions: ResolvedVersionFault[];
  api: ResolvedApiFault[];
  metricDelays: ResolvedDelayFault[];
}

export function resolveFaults(scenario: SandboxScenario, startedAtMs: number): ResolvedFaults {
  const faults: ResolvedFaults = { versions: [], api: [], metricDelays: [] };
  addResolvedFaults(faults, scenario.faults ?? [], startedAtMs, Number.NEGATIVE_INFINITY);
  return faults;
}

/** Relative times count from `baseMs`; a fault without `at` starts at `defaultFromMs`. */
export function addResolvedFaults(
  faults: ResolvedFaults,
  list: ScenarioFault[],
  baseMs: number,
  defaultFromMs = baseMs,
): void {
  // Every window is checked before any fault is added: a refused list adds none.
  const windows = list.map((fault, index) => resolveWindow(fault, index, baseMs, defaultFromMs));
  list.forEach((fault, index) => {
    const { fromMs, untilMs } = windows[index]!;
    if (fault.type === 'version') {
      const { type: _type, at: _at, until: _until, ...rest } = fault;
      faults.versions.push({ ...rest, fromMs, untilMs });
    } else if (fault.type === 'api') {
      faults.api.push({
        service: fault.service ?? 'all',
        operations: fault.operations,
        kind: fault.kind,
        rate: fault.rate ?? 1,
        spareLastAttempt: fault.spareLastAttempt === true,
        fromMs,
        untilMs,
      });
    } else {
      faults.metricDelays.push({ minutes: fault.minutes, fromMs, untilMs });
    }
  });
}

/**
 * A fault's window in simulated epoch ms. One whose `until` is not later than its `at` never
 * applies: refused. validateScenario refuses it when both are durations or both timestamps; a
 * duration beside a timestamp is compared here, once the duration has its base. So is an `until`
 * not later than `baseMs` (the sandbox's first start, or now): a fault without `at`, or whose `at`
 * has passed, starts then.
 */
function resolveWindow(
  fault: ScenarioFault,
  index: number,
  baseMs: number,
  defaultFromMs: number,
): { fromMs: number; untilMs: number } {
  const fromMs = resolveScenarioTime(fault.at, baseMs, defaultFromMs);
  const untilMs = resolveScenarioTime(fault.until, baseMs, Number.POSITIVE_INFINITY);
  if (fault.until === undefined) return { fromMs, untilMs };
  const hint = `A duration counts from ${new Date(baseMs).toISOString()} (the sandbox's first start, or now for POST /__lshift/faults). Give an \`until\` after its \`at\`, or drop \`until\` for a fault that never ends (docs/sandbox.md).`;
  const until = `\`until\` (${fault.until}, ${new Date(untilMs).toISOString()})`;
  if (fault.at !== undefined && untilMs <= fromMs) {
    throw new UsageError(
      'SANDBOX_SCENARIO_INVALID',
      `faults[${index}]: ${until} is not later than \`at\` (${fault.at}, ${new Date(fromMs).toISOString()}): the fault would never apply.`,
      { hint },
    );
  }
  // Without `at` (or one already past) a fault starts at once: an `until` by then ends it before
  // it applies (\`until: 0s\` was accepted and never applied; found by a docs audit).
  if (untilMs <= baseMs) {
    const start =
      fault.at === undefined
        ? 'no `at`: it starts at once'
        : `\`at\` (${fault.at}) has passed: it starts at once`;
    throw new UsageError(
      'SANDBOX_SCENARIO_INVALID',
      `faults[${index}]: ${until} is not later than the fault's start (${start}, ${new Date(baseMs).toISOString()}): the fault would never apply.`,
      { hint },
    );
  }
  return { fromMs, untilMs };
}
