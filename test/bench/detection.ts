/**
 * Detection quality of the canary analysis gate alone (no alarms, default configuration), over
 * strategies and metric delays, in-process: per seed, a sandbox on a virtual clock whose Lambda
 * datapoints arrive late and partial (the delay fixed per run, growing over a minute), the demo
 * at 1,000 requests a minute (or 5), `publish` and `runDeploy` with the real SDK-backed ports and
 * the default plan (settle wait included), polls every 10 s.
 *
 * Scenarios: (a) equal versions, (b) errors 5% vs 1%, (c) p99 2×, (e) p99 +50% (p50 unchanged),
 * (f) p50 and p99 +50%, (d) equal at 5 requests a minute. Targets are printed beside each number (issue 11).
 *
 * BENCH_SEEDS (default 100) sets the seeds of (b)–(e); BENCH_SEEDS_NULL (default 300) those of
 * (a); BENCH_CONCURRENCY (default 4), BENCH_SCENARIOS (e.g. `a,b`), BENCH_STRATEGIES (indexes,
 * e.g. `0,2`) and BENCH_DELAYS (e.g. `1`) select. Seeds are 1..N (BENCH_SEED_OFFSET shifts them).
 */
import { describeReason } from '../../src/cli/describe-outcome.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { createDeploymentId } from '../../src/domain/deployment-record.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createAnalysisGate } from '../../src/engine/analysis-gate.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { publishFunction } from '../../src/engine/publish.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import {
  DEMO_SCENARIOS,
  type ScenarioFault,
  type SeedDemoOptions,
  seedDemo,
  startSandbox,
} from '../../src/sandbox/index.js';
import { createSandboxPorts, createVirtualTime, seededRandom } from './bench-world.js';
import { writeDiagnosis } from './detection-diagnosis.js';
import { type Cell, printDetectionTable, type RunOutcome } from './detection-table.js';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 100);
const SEEDS_NULL = Number(process.env.BENCH_SEEDS_NULL ?? 300);
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 4));
const POLL_SECONDS = 10;
/** BENCH_DIAG=<file>: one JSON line per run with the evidence at the last poll before 100% (why a run missed). */
const DIAG_FILE = process.env.BENCH_DIAG;
const WHOLE_MINUTES = process.env.BENCH_WHOLE_MINUTES === '1';
/** BENCH_SEED_OFFSET=n: seeds n+1…n+N (to continue or split a long run in slices). */
const SEED_OFFSET = Number(process.env.BENCH_SEED_OFFSET ?? 0);
const BASE_MS = Date.UTC(2030, 0, 1, 12, 0, 0);

export const STRATEGIES = [
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery3Minutes',
  'Canary10Percent5Minutes',
  'steps:1%@5m,10%@5m,100%',
  'Linear10PercentEvery10Minutes',
  'AllAtOnce',
] as const;
/** AllAtOnce has nothing before 100%: it is judged in a bake against stable before the deployment. */
const BAKE_SECONDS: Partial<Record<string, number>> = { AllAtOnce: 600 };
const DELAYS = [1, 3] as const;

export interface DetectionScenario {
  key: string;
  label: string;
  demo: Omit<SeedDemoOptions, 'functionName' | 'alias'>;
  faults?: ScenarioFault[];
  seeds: number;
}

const STABLE_1PCT: ScenarioFault = { type: 'version', function: 'demo', version: '1', errorRate: 0.01 };
const ALL_SCENARIOS: DetectionScenario[] = [
  { key: 'a', label: 'equal versions', demo: { ...DEMO_SCENARIOS.healthy, rpm: 1000 }, seeds: SEEDS_NULL },
  {
    key: 'b',
    label: 'errors 5% vs 1%',
    demo: { rpm: 1000, target: { errorRate: 0.05 } },
    faults: [STABLE_1PCT],
    seeds: SEEDS,
  },
  { key: 'c', label: 'p99 2x', demo: { rpm: 1000, target: { p50Ms: 40, p99Ms: 240 } }, seeds: SEEDS },
  { key: 'e', label: 'p99 +50%', demo: { rpm: 1000, target: { p50Ms: 40, p99Ms: 180 } }, seeds: SEEDS },
  // The previous bench's latency scenario (and the e2e test's): p50 and p99 both +50%.
  { key: 'f', label: 'p50/p99 +50%', demo: { ...DEMO_SCENARIOS.slow, rpm: 1000 }, seeds: SEEDS },
  {
    key: 'd',
    label: 'equal, 5 req/min',
    demo: { ...DEMO_SCENARIOS['low-traffic'] },
    seeds: Math.min(SEEDS, 50),
  },
];

function pick<T>(all: readonly T[], env: string | undefined, key: (t: T, i: number) => string): T[] {
  const wanted = env
    ?.split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  return all.filter((t, i) => !wanted?.length || wanted.includes(key(t, i).toLowerCase()));
}

async function runSeed(strategyText: string, delay: number, scenario: DetectionScenario, seed: number) {
  const phaseSeconds = Math.floor(seededRandom(seed)() * 60);
  const time = createVirtualTime(BASE_MS + phaseSeconds * 1000);
  const sandbox = await startSandbox({
    now: time.now,
    speed: 1,
    seed,
    // BENCH_WHOLE_MINUTES=1 (a diagnostic, not the table's model): each minute appears whole.
    metricDelayMinutes: WHOLE_MINUTES ? delay : [delay, delay],
    scenario: { faults: scenario.faults },
    // The sandbox counts Lambda's request quota per simulated second; on this virtual clock, which
    // stands still between sleeps, publish's burst of calls would all fall in one instant and be
    // throttled (429, retried with real back-off). Detection is not about the quota.
    lambdaRate: 'off',
  });
  try {
    const demo = await seedDemo(sandbox, scenario.demo);
    // Let the demo run 20 minutes before the deployment (a bake compares with them).
    await time.clock.sleep(20 * 60_000);
    const { lambda, metrics } = await createSandboxPorts(sandbox.url);
    let getMetricDataCalls = 0;
    const counting = {
      ...metrics,
      describeAlarms: metrics.describeAlarms.bind(metrics),
      getMetricData: (...args: Parameters<typeof metrics.getMetricData>) => {
        getMetricDataCalls++;
        return metrics.getMetricData(...args);
      },
    };
    const events: EngineEvent[] = [];
    const sink = { emit: (e: EngineEvent) => events.push(e) };
    const published = await publishFunction(
      { lambda, clock: time.clock, events: sink },
      { functionName: demo.functionName },
    );
    const strategy = parseStrategy(strategyText);
    const result = await runDeploy(
      {
        lambda,
        metrics: counting,
        clock: time.clock,
        events: sink,
        store: new TagStateStore(lambda),
        gates: [createAnalysisGate(counting, resolveAnalysisConfig())],
      },
      {
        functionName: demo.functionName,
        alias: demo.alias,
        targetVersion: published.version,
        strategy,
        plan: planShift(strategy),
        alarms: [],
        pollIntervalSeconds: POLL_SECONDS,
        bakeSeconds: BAKE_SECONDS[strategyText] ?? 0,
        deploymentId: createDeploymentId(seededRandom(seed + 1)),
        owner: 'bench',
      },
    );
    const outcome = classify(seed, result, events, getMetricDataCalls);
    if (DIAG_FILE)
      writeDiagnosis(DIAG_FILE, { strategyText, delay, scenario: scenario.key, outcome, events });
    return outcome;
  } finally {
    await sandbox.stop();
  }
}

function classify(seed: number, result: DeployResult, events: EngineEvent[], calls: number): RunOutcome {
  const polls = events.filter(
    (e): e is Extract<EngineEvent, { type: 'health.polled' }> => e.type === 'health.polled',
  );
  const weightAt = result.steps[0]?.startedAt ?? Number.NaN;
  const base = { seed, status: result.status, polls: polls.length, getMetricDataCalls: calls };
  if (result.status === 'rolled_back') {
    const failing = polls.find((p) => p.verdicts.some((v) => v.outcome === 'fail'));
    return {
      ...base,
      ending: 'rolled_back',
      before100: failing !== undefined && failing.percent < 100,
      detectSeconds: failing ? (failing.at - weightAt) / 1000 : undefined,
      example: failing?.verdicts.find((v) => v.outcome === 'fail')?.summary,
    };
  }
  if (result.status === 'promoted') {
    const last = polls.at(-1);
    const inconclusive = (last?.verdicts ?? []).some((v) => v.outcome === 'inconclusive');
    const judged = polls.some((p) => p.verdicts.some((v) => v.outcome === 'pass' || v.outcome === 'fail'));
    return {
      ...base,
      ending: inconclusive || !judged ? 'promoted_inconclusive' : 'promoted_pass',
      before100: false,
      example: last?.verdicts.find((v) => v.outcome === 'inconclusive')?.summary,
    };
  }
  return { ...base, ending: 'other', before100: false, example: describeReason(result) };
}

async function runCell(strategy: string, delay: number, scenario: DetectionScenario): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(scenario.seeds);
  let next = 0;
  const worker = async () => {
    while (next < scenario.seeds) {
      const index = next++;
      outcomes[index] = await runSeed(strategy, delay, scenario, SEED_OFFSET + index + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, scenario.seeds) }, worker));
  return outcomes;
}

export async function runDetectionBench(): Promise<void> {
  const strategies = pick(STRATEGIES, process.env.BENCH_STRATEGIES, (_s, i) => String(i));
  const delays = pick(DELAYS, process.env.BENCH_DELAYS, (d) => String(d));
  const scenarios = pick(ALL_SCENARIOS, process.env.BENCH_SCENARIOS, (s) => s.key);
  console.log(
    'Canary analysis alone (default configuration: e-process per gate, α = 1% split between the two relative gates, settle wait up to 6m; no alarms), ' +
      `polls every ${POLL_SECONDS} s, 1,000 req/min (d: 5), datapoints first partial, complete a minute after the delay. ` +
      `Seeds: (a) ${SEEDS_NULL}, others ${SEEDS} (d at most 50) — BENCH_SEEDS_NULL / BENCH_SEEDS.`,
  );
  const started = Date.now();
  const cells: Cell[] = [];
  for (const strategy of strategies) {
    for (const delay of delays) {
      for (const scenario of scenarios) {
        const t0 = Date.now();
        const outcomes = await runCell(strategy, delay, scenario);
        cells.push({ strategy, delay, scenario, outcomes, seconds: (Date.now() - t0) / 1000 });
        const rolled = outcomes.filter((o) => o.ending === 'rolled_back');
        const early = rolled.filter((o) => o.before100).length;
        process.stderr.write(
          `  ${strategy} delay ${delay}m (${scenario.key}): rolled back ${rolled.length}/${outcomes.length} ` +
            `(${early} before 100%), ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
        );
      }
    }
  }
  printDetectionTable(cells);
  console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}
