/**
 * How far the canary analysis's verdict is from flipping, for a sandbox seed of an e2e test of
 * the analysis (test/e2e/analysis.test.ts). The judge may roll back equal versions in up to 1% of
 * deployments (docs/analysis.md), so an e2e test that expects "equal versions promote" must run on
 * a seed for which the evidence stays far below 1/α, and one that expects "the bad version rolls
 * back in time" on a seed that catches it well before the deadline.
 *
 * A seed alone does not fix what an e2e run sees: the sandbox keys each minute's requests (and
 * metric delay) by the minute since its world started (src/sandbox/traffic.ts), and an e2e deploy
 * starts once the CLI has started: at speed 60 a real second is a simulated minute, so the deploy
 * starts in world minute 0 on an idle machine and several minutes later on a loaded one. What a
 * seed's runs can see is therefore one fixed sequence of world minutes, entered at the minute and
 * second the deploy starts. Each seed is run here over a grid of those starts (MARGIN_STARTS:
 * seconds from the world's start to the deploy, default every 50 s from 15 s to 16m05s: every
 * start minute, at phases 10 s apart). Each run is the e2e test's world (seed, rate, versions,
 * faults, default 1–3 minute metric delay) and deploy (strategy, default analysis, polls every
 * 10 s), on a virtual clock; the world starts half-way through a minute (MARGIN_PHASE, seconds).
 *
 * Per seed it reports, over the grid: for equal versions the largest evidence e either relative
 * gate reached at any poll (and how many times below the 1/α a rollback needs); for a bad version
 * the slowest detection and how long before the test's deadline it came.
 *
 *   node --import tsx test/bench/equal-margin.ts <scenario> <seeds>      e.g. equal-canary 1-20
 *
 * Scenarios: the keys of SCENARIOS. Seeds: `12`, `1-20` or `11,12,13`. A run costs 1–3 s of CPU.
 * The e2e seeds were checked on this grid and again with MARGIN_PHASE=10 and
 * MARGIN_STARTS=40,90,…,990 (the world started at another second, the starts between these).
 */
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

const MINUTE_MS = 60_000;
const POLL_SECONDS = 10;
const BASE_MS = Date.UTC(2030, 0, 1, 12, 0, 0);
const RELATIVE_GATES = ['error-rate-increase', 'latency-increase'] as const;

/** What the e2e test expects, and by when (seconds after the first weight write). */
type Expectation =
  | { kind: 'promoted' }
  | { kind: 'rolled-back'; deadlineSeconds: number; before100: boolean };

interface Scenario {
  test: string;
  preset: keyof typeof DEMO_SCENARIOS;
  demo: Omit<SeedDemoOptions, 'functionName' | 'alias'>;
  faults?: ScenarioFault[];
  strategy: string;
  /** Whole minutes the test lets pass before it starts the deploy (analysis.test.ts untilWholeMinutes). */
  wholeMinutesFirst?: number;
  expect: Expectation;
}

const STABLE_1PCT: ScenarioFault = { type: 'version', function: 'demo', version: '1', errorRate: 0.01 };
/** canary:10%:5m: the 10% step holds 5 minutes, then the settle wait at most 6 more (docs/analysis.md). */
const CANARY_5M_STEP_1 = (5 + 6) * 60;

/** The e2e tests of test/e2e/analysis.test.ts, world and deploy as they run them. */
export const SCENARIOS: Record<string, Scenario> = {
  'bad-canary': {
    test: 'rolls back a bad canary (5% vs 1% errors) during the first canary step',
    preset: 'healthy',
    demo: { rpm: 1000, target: { errorRate: 0.05, p50Ms: 40, p99Ms: 120 } },
    faults: [STABLE_1PCT],
    strategy: 'canary:10%:5m',
    expect: { kind: 'rolled-back', deadlineSeconds: CANARY_5M_STEP_1, before100: true },
  },
  'equal-canary': {
    test: 'promotes a canary equal to the stable version',
    preset: 'healthy',
    demo: { rpm: 1000 },
    faults: [STABLE_1PCT],
    strategy: 'canary:10%:5m',
    expect: { kind: 'promoted' },
  },
  'slow-canary': {
    test: 'rolls back a slow canary (+50% p99)',
    preset: 'slow',
    demo: { rpm: 1000 },
    strategy: 'canary:10%:10m',
    wholeMinutesFirst: 2,
    expect: { kind: 'rolled-back', deadlineSeconds: (10 + 6) * 60, before100: false },
  },
  'bad-linear1m': {
    test: 'Linear10PercentEvery1Minute, 5% vs 1% errors, no alarm: rolls back before 100%',
    preset: 'healthy',
    demo: { rpm: 1000, target: { errorRate: 0.05, p50Ms: 40, p99Ms: 120 } },
    faults: [STABLE_1PCT],
    strategy: 'Linear10PercentEvery1Minute',
    // 9 steps of a minute, then the settle wait (at most 6 minutes) before 100%.
    expect: { kind: 'rolled-back', deadlineSeconds: (9 + 6) * 60, before100: true },
  },
  'equal-linear1m': {
    test: 'Linear10PercentEvery1Minute, equal versions, no alarm: promotes',
    preset: 'healthy',
    demo: { rpm: 1000 },
    faults: [STABLE_1PCT],
    strategy: 'Linear10PercentEvery1Minute',
    expect: { kind: 'promoted' },
  },
};

/** One run's outcome, reduced to what the margins need. */
interface RunMargin {
  status: DeployResult['status'];
  /** The largest log-evidence each relative gate reached at any poll. */
  maxLogE: Record<string, number>;
  /** log(1/α) of a relative gate (both have the same α). */
  logNeeded: number;
  failedGate?: string;
  /** Seconds from the first weight write to the poll that failed. */
  detectSeconds?: number;
  failedBefore100?: boolean;
  /** Seconds from the world's start to the deploy. */
  start?: number;
}

async function runOnce(sc: Scenario, seed: number, phaseSeconds: number, startSeconds: number) {
  const time = createVirtualTime(BASE_MS + phaseSeconds * 1000);
  const sandbox = await startSandbox({
    now: time.now,
    speed: 1,
    seed,
    scenario: { faults: sc.faults },
    // Publish's calls all fall in one instant of a virtual clock: no quota (it is not under test).
    lambdaRate: 'off',
  });
  try {
    const demo = await seedDemo(sandbox, { ...DEMO_SCENARIOS[sc.preset], ...sc.demo });
    if (sc.wholeMinutesFirst) {
      const target = Math.floor(time.now() / MINUTE_MS) + sc.wholeMinutesFirst;
      await time.clock.sleep(target * MINUTE_MS - time.now());
    }
    await time.clock.sleep(startSeconds * 1000);
    const { lambda, metrics } = await createSandboxPorts(sandbox.url);
    const events: EngineEvent[] = [];
    const sink = { emit: (e: EngineEvent) => events.push(e) };
    const published = await publishFunction(
      { lambda, clock: time.clock, events: sink },
      { functionName: demo.functionName },
    );
    const strategy = parseStrategy(sc.strategy);
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
        bakeSeconds: 0,
        deploymentId: createDeploymentId(seededRandom(seed + 1)),
        owner: 'bench',
      },
    );
    return reduce(result, events);
  } finally {
    await sandbox.stop();
  }
}

type Polled = Extract<EngineEvent, { type: 'health.polled' }>;

function reduce(result: DeployResult, events: EngineEvent[]): RunMargin {
  const polls = events.filter((e): e is Polled => e.type === 'health.polled');
  const firstWrite = events.find((e) => e.type === 'step.started');
  const t0 = firstWrite && 'at' in firstWrite ? firstWrite.at : Number.NaN;
  const maxLogE: Record<string, number> = {};
  let logNeeded = Number.NaN;
  for (const poll of polls) {
    for (const v of poll.verdicts) {
      const d = (v.details ?? {}) as { logEValue?: number; eValueNeeded?: number };
      if (!(RELATIVE_GATES as readonly string[]).includes(v.gate)) continue;
      if (typeof d.eValueNeeded === 'number') logNeeded = Math.log(d.eValueNeeded);
      if (typeof d.logEValue !== 'number') continue;
      maxLogE[v.gate] = Math.max(maxLogE[v.gate] ?? Number.NEGATIVE_INFINITY, d.logEValue);
    }
  }
  const failing = polls.find((p) => p.verdicts.some((v) => v.outcome === 'fail'));
  return {
    status: result.status,
    maxLogE,
    logNeeded,
    failedGate: failing?.verdicts.find((v) => v.outcome === 'fail')?.gate,
    detectSeconds: failing ? (failing.at - t0) / 1000 : undefined,
    failedBefore100: failing ? failing.percent < 100 : undefined,
  };
}

/** `12`, `1-20`, `11,12,13`. */
export function parseSeeds(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map((x) => Number(x.trim()));
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) {
      throw new Error(`seeds: "${text}" is not like 12, 1-20 or 11,12,13`);
    }
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

function numbers(env: string | undefined, fallback: number[]): number[] {
  return env ? env.split(',').map((x) => Number(x.trim())) : fallback;
}

const PHASE = Number(process.env.MARGIN_PHASE ?? 30);
/**
 * From the world's start to the deploy: 15 s to 16m05s, every 50 s — each start minute 0–16, at
 * a phase in it that moves 10 s from one to the next.
 */
const STARTS = numbers(
  process.env.MARGIN_STARTS,
  Array.from({ length: 20 }, (_, i) => 15 + i * 50),
);

interface SeedSummary {
  seed: number;
  runs: number;
  asExpected: number;
  /** Equal versions: the largest e of any relative gate over the grid, and 1/α. */
  maxE: number;
  maxEGate?: string;
  /** The start (seconds after the world's) of the run with the largest e, or the slowest detection. */
  worstStart?: number;
  needed: number;
  /** A bad version: the slowest detection over the grid (seconds after the first weight write). */
  slowestDetect?: number;
}

function summarize(sc: Scenario, seed: number, runs: RunMargin[]): SeedSummary {
  let maxLog = Number.NEGATIVE_INFINITY;
  let maxEGate: string | undefined;
  let maxEStart: number | undefined;
  for (const r of runs) {
    for (const [gate, logE] of Object.entries(r.maxLogE)) {
      if (logE > maxLog) [maxLog, maxEGate, maxEStart] = [logE, gate, r.start];
    }
  }
  const asExpected = runs.filter((r) => meetsExpectation(sc.expect, r)).length;
  const slowest = runs.reduce<RunMargin | undefined>(
    (worst, r) =>
      (r.detectSeconds ?? Number.POSITIVE_INFINITY) > (worst?.detectSeconds ?? Number.NEGATIVE_INFINITY)
        ? r
        : worst,
    undefined,
  );
  const bad = sc.expect.kind === 'rolled-back';
  return {
    seed,
    runs: runs.length,
    asExpected,
    maxE: Math.exp(maxLog),
    maxEGate,
    worstStart: bad ? slowest?.start : maxEStart,
    needed: Math.exp(runs[0]?.logNeeded ?? Number.NaN),
    ...(bad ? { slowestDetect: slowest?.detectSeconds ?? Number.POSITIVE_INFINITY } : {}),
  };
}

function meetsExpectation(expect: Expectation, r: RunMargin): boolean {
  if (expect.kind === 'promoted') return r.status === 'promoted';
  return (
    r.status === 'rolled_back' &&
    (r.detectSeconds ?? Number.POSITIVE_INFINITY) <= expect.deadlineSeconds &&
    (!expect.before100 || r.failedBefore100 === true)
  );
}

function describe(sc: Scenario, s: SeedSummary): string {
  const head = `seed ${s.seed}: ${s.asExpected}/${s.runs} runs as the test expects`;
  if (sc.expect.kind === 'promoted') {
    const times = s.needed / s.maxE;
    return `${head}; largest evidence e = ${s.maxE.toFixed(2)} (${s.maxEGate ?? '-'}, deploy ${s.worstStart} s in) of ${s.needed.toFixed(0)} needed: ${times.toFixed(0)}× below a rollback`;
  }
  const slowest = s.slowestDetect ?? Number.POSITIVE_INFINITY;
  return `${head}; slowest detection ${Number.isFinite(slowest) ? `${slowest.toFixed(0)} s` : 'never'} after the first weight write (deploy ${s.worstStart} s in), deadline ${sc.expect.deadlineSeconds} s (${Number.isFinite(slowest) ? `${(sc.expect.deadlineSeconds - slowest).toFixed(0)} s to spare` : 'missed'})`;
}

export async function runEqualMargin(key: string, seedsText: string): Promise<SeedSummary[]> {
  const sc = SCENARIOS[key];
  if (!sc) throw new Error(`scenario "${key}": one of ${Object.keys(SCENARIOS).join(', ')}`);
  console.log(
    `${key} (${sc.test}): ${sc.strategy}, ${STARTS.length} deploy starts per seed, ${STARTS[0]}–${STARTS.at(-1)} s after the world's`,
  );
  const summaries: SeedSummary[] = [];
  for (const seed of parseSeeds(seedsText)) {
    const runs: RunMargin[] = [];
    for (const start of STARTS) runs.push({ ...(await runOnce(sc, seed, PHASE, start)), start });
    const summary = summarize(sc, seed, runs);
    summaries.push(summary);
    console.log(`  ${describe(sc, summary)}`);
  }
  return summaries;
}

if (process.argv[1]?.endsWith('equal-margin.ts')) {
  const [key, seeds] = process.argv.slice(2);
  if (!key || !seeds) {
    console.error(
      `usage: node --import tsx test/bench/equal-margin.ts <${Object.keys(SCENARIOS).join('|')}> <seeds>`,
    );
    process.exit(2);
  }
  await runEqualMargin(key, seeds);
}
