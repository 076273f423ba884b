/**
 * Detection quality of the canary analysis gate alone (no alarms, default config), in-process:
 * per seed, a sandbox on a virtual clock, the demo at 1,000 requests a minute (or 5), `publish`
 * and `runDeploy` with the real SDK-backed ports, `canary:10%:5m`, polls every 10 s. Targets:
 * (a) false rollbacks ≤ 1%; (b) detection ≥ 99% within the 5-minute step; (c) reported;
 * (d) low traffic should end inconclusive (promoted), not rolled back.
 * BENCH_SEEDS (default 200), BENCH_CONCURRENCY (default 4) and BENCH_SCENARIOS (e.g. `a,b`) tune
 * the run. Seeds are 1..BENCH_SEEDS; each run's traffic and step phase follow from its seed.
 */

import { resolveAnalysisConfig } from '../../src/domain/analysis/config.js';
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
import {
  createSandboxPorts,
  createVirtualTime,
  formatPercent,
  median,
  quantile,
  seededRandom,
} from './bench-world.js';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 200);
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CONCURRENCY ?? 4));
const STRATEGY = 'canary:10%:5m';
const POLL_SECONDS = 10;
/** Simulated start of every run, plus a per-seed phase inside the minute. */
const BASE_MS = Date.UTC(2030, 0, 1, 12, 0, 0);

interface DetectionScenario {
  label: string;
  demo: Omit<SeedDemoOptions, 'functionName' | 'alias'>;
  faults?: ScenarioFault[];
}

const ALL_SCENARIOS: DetectionScenario[] = [
  { label: '(a) canary = stable, 1000 rpm', demo: { ...DEMO_SCENARIOS.healthy, rpm: 1000 } },
  {
    label: '(b) errors 5% vs 1%, 1000 rpm',
    demo: { rpm: 1000, target: { errorRate: 0.05 } },
    // The demo's stable version fails 0.5%; a version fault sets it to 1% from the start.
    faults: [{ type: 'version', function: 'demo', version: '1', errorRate: 0.01 }],
  },
  { label: '(c) p50/p99 +50%, 1000 rpm', demo: { ...DEMO_SCENARIOS.slow, rpm: 1000 } },
  { label: '(d) canary = stable, 5 rpm', demo: { ...DEMO_SCENARIOS['low-traffic'] } },
];

/** BENCH_SCENARIOS=a,c runs a subset (letters as in the labels). */
const SCENARIOS = ALL_SCENARIOS.filter((s) => {
  const wanted = process.env.BENCH_SCENARIOS?.split(',').map((x) => x.trim().toLowerCase());
  return !wanted?.length || wanted.includes(s.label.slice(1, 2));
});

type Ending = 'rolled_back' | 'promoted_pass' | 'promoted_inconclusive' | 'other';

interface RunOutcome {
  seed: number;
  ending: Ending;
  /** Seconds from the weight write to the first failing poll (rollbacks only). */
  detectSeconds?: number;
  /** `gate/reason` of the failing or inconclusive verdicts that decided the ending. */
  deciders: string[];
  /** The summary of the first deciding verdict, for the examples. */
  example?: string;
  status: DeployResult['status'];
  reason?: string;
}

async function runSeed(scenario: DetectionScenario, seed: number): Promise<RunOutcome> {
  const phaseSeconds = Math.floor(seededRandom(seed)() * 60);
  const time = createVirtualTime(BASE_MS + phaseSeconds * 1000);
  const sandbox = await startSandbox({
    now: time.now,
    speed: 1,
    seed,
    scenario: { faults: scenario.faults },
  });
  try {
    const demo = await seedDemo(sandbox, scenario.demo);
    const { lambda, metrics } = await createSandboxPorts(sandbox.url);
    const events: EngineEvent[] = [];
    const sink = { emit: (e: EngineEvent) => events.push(e) };
    const published = await publishFunction(
      { lambda, clock: time.clock, events: sink },
      { functionName: demo.functionName },
    );
    const strategy = parseStrategy(STRATEGY);
    const result = await runDeploy(
      {
        lambda,
        metrics,
        clock: time.clock,
        events: sink,
        store: new TagStateStore(lambda),
        gates: [createAnalysisGate(metrics, resolveAnalysisConfig())],
      },
      {
        functionName: demo.functionName,
        alias: demo.alias,
        targetVersion: published.version,
        strategy,
        plan: planShift(strategy),
        alarms: [],
        pollIntervalSeconds: POLL_SECONDS,
        deploymentId: createDeploymentId(seededRandom(seed + 1)),
        owner: 'bench',
      },
    );
    return classify(seed, result, events);
  } finally {
    await sandbox.stop();
  }
}

function classify(seed: number, result: DeployResult, events: EngineEvent[]): RunOutcome {
  const polls = events.filter(
    (e): e is Extract<EngineEvent, { type: 'health.polled' }> => e.type === 'health.polled',
  );
  const base = { seed, status: result.status, reason: result.reason };
  const weightAt = result.steps[0]?.startedAt ?? Number.NaN;
  if (result.status === 'rolled_back') {
    const failing = polls.find((p) => p.verdicts.some((v) => v.outcome === 'fail'));
    const failed = (failing?.verdicts ?? []).filter((v) => v.outcome === 'fail');
    const detectSeconds = failing ? (failing.at - weightAt) / 1000 : undefined;
    return {
      ...base,
      ending: 'rolled_back',
      detectSeconds,
      deciders: failed.map(describe),
      example: failed[0]?.summary,
    };
  }
  if (result.status === 'promoted') {
    const last = polls.filter((p) => p.index === 0).at(-1);
    const inconclusive = (last?.verdicts ?? []).filter((v) => v.outcome === 'inconclusive');
    return {
      ...base,
      ending: inconclusive.length > 0 ? 'promoted_inconclusive' : 'promoted_pass',
      deciders: inconclusive.map(describe),
      example: inconclusive[0]?.summary,
    };
  }
  return { ...base, ending: 'other', deciders: [result.status] };
}

function describe(v: { gate: string; details?: Record<string, unknown> }): string {
  const reason = v.details?.reason;
  return typeof reason === 'string' ? `${v.gate}/${reason}` : v.gate;
}

async function runScenario(scenario: DetectionScenario): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(SEEDS);
  let next = 0;
  const worker = async () => {
    while (next < SEEDS) {
      const index = next++;
      outcomes[index] = await runSeed(scenario, index + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, SEEDS) }, worker));
  return outcomes;
}

function formatSeconds(s: number): string {
  return Number.isNaN(s) ? '–' : `${s.toFixed(0)} s`;
}

function printTable(rows: { scenario: DetectionScenario; outcomes: RunOutcome[]; seconds: number }[]): void {
  const header = [
    'scenario'.padEnd(32),
    'runs'.padStart(5),
    'rolled back'.padStart(12),
    'promoted'.padStart(9),
    '(passed'.padStart(8),
    'inconcl.)'.padStart(10),
    'other'.padStart(6),
    'TTD median'.padStart(11),
    'TTD p90'.padStart(8),
    'wall'.padStart(7),
  ];
  console.log(header.join(' '));
  for (const { scenario, outcomes, seconds } of rows) {
    const n = outcomes.length;
    const count = (e: Ending) => outcomes.filter((o) => o.ending === e).length;
    const promoted = count('promoted_pass') + count('promoted_inconclusive');
    const ttd = outcomes.flatMap((o) => (o.detectSeconds === undefined ? [] : [o.detectSeconds]));
    console.log(
      [
        scenario.label.padEnd(32),
        String(n).padStart(5),
        formatPercent(count('rolled_back'), n).padStart(12),
        formatPercent(promoted, n).padStart(9),
        formatPercent(count('promoted_pass'), n).padStart(8),
        formatPercent(count('promoted_inconclusive'), n).padStart(10),
        formatPercent(count('other'), n).padStart(6),
        formatSeconds(median(ttd)).padStart(11),
        formatSeconds(quantile(ttd, 0.9)).padStart(8),
        `${seconds.toFixed(1)} s`.padStart(7),
      ].join(' '),
    );
  }
}

function printDeciders(rows: { scenario: DetectionScenario; outcomes: RunOutcome[] }[]): void {
  console.log('What decided each ending (gate/reason × runs):');
  for (const { scenario, outcomes } of rows) {
    const tally = new Map<string, { n: number; first: RunOutcome }>();
    for (const o of outcomes) {
      const key = `${o.ending}: ${[...new Set(o.deciders)].sort().join(' + ') || '(all gates passed)'}`;
      const entry = tally.get(key);
      if (entry) entry.n++;
      else tally.set(key, { n: 1, first: o });
    }
    console.log(`  ${scenario.label}`);
    for (const [key, { n, first }] of [...tally].sort((a, b) => b[1].n - a[1].n)) {
      console.log(`    ${String(n).padStart(4)} × ${key}`);
      if (first.example) console.log(`           e.g. seed ${first.seed}: ${first.example}`);
    }
    const other = outcomes.find((o) => o.ending === 'other');
    if (other) console.log(`    e.g. seed ${other.seed}: ${other.status}: ${other.reason ?? ''}`);
  }
}

export async function runDetectionBench(): Promise<void> {
  console.log(
    `Canary analysis alone (default config, no alarms), ${STRATEGY}, polls every ${POLL_SECONDS} s, ` +
      `${SEEDS} seeds per scenario (BENCH_SEEDS), ${CONCURRENCY} at a time (BENCH_CONCURRENCY).`,
  );
  console.log(
    'Promoted = passed + inconclusive (verdicts of the last poll of the 10% step). TTD: time to detect, from the weight write to the failing poll.',
  );
  const started = Date.now();
  const rows: { scenario: DetectionScenario; outcomes: RunOutcome[]; seconds: number }[] = [];
  for (const scenario of SCENARIOS) {
    const t0 = Date.now();
    const outcomes = await runScenario(scenario);
    rows.push({ scenario, outcomes, seconds: (Date.now() - t0) / 1000 });
  }
  printTable(rows);
  printDeciders(rows);
  console.log(
    `Targets: (a) rolled back ≤ 1%; (b) rolled back ≥ 99%, TTD median < 300 s; (d) inconclusive rather than rolled back. Total ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}
