/**
 * One fleet release for `npm run bench -- fleet`: a sandbox in this process seeded with N demo
 * functions (unpaced, then Lambda's rate set), the built CLI deploying all of them as one
 * release with NDJSON progress, and what the sandbox saw: when each alias reached each weight
 * (real and simulated time), CloudWatch calls, throttles; the CLI's peak RSS from /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface FleetOptions {
  functions: number;
  speed: number;
  /** Lambda control-plane requests per REAL second, for the sandbox and the CLI alike. */
  realRate: number;
  strategy: string;
  /** Index of the one bad function, if any. */
  bad?: number;
}

/** An alias reaching a weight: real ms (this process) and simulated ms (the sandbox). */
export interface WeightReached {
  fn: string;
  percent: number;
  realMs: number;
  simMs: number;
}

export interface NdjsonLine {
  realMs: number;
  event: Record<string, unknown>;
}

export interface FleetRun {
  options: FleetOptions;
  names: string[];
  exitCode: number | null;
  reached: WeightReached[];
  lines: NdjsonLine[];
  /** CloudWatch calls the sandbox served during the run, by operation. */
  cloudWatchCalls: Record<string, number>;
  /** Every API request the sandbox applied during the run: operation, real ms. */
  applied: { op: string; ms: number }[];
  throttled: Record<string, number>;
  peakRssMb: number;
  realStartMs: number;
  realEndMs: number;
  stderrTail: string;
}

export const fleetName = (i: number) => `fleet-${String(i).padStart(3, '0')}`;

export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const names = Array.from({ length: options.functions }, (_, i) => fleetName(i));
  const handle = await startSandbox({ speed: options.speed, seed: 7, lambdaRate: 'off' });
  try {
    for (const [i, functionName] of names.entries()) {
      const scenario = i === options.bad ? DEMO_SCENARIOS.bad : DEMO_SCENARIOS.healthy;
      await seedDemo(handle, { ...scenario, functionName, alias: 'live' });
    }
    // The sandbox counts its quota per simulated second (control-plane-rate.ts).
    handle.state.lambdaRate.set(options.realRate / options.speed);
    const before = countsOf(handle, ['DescribeAlarms', 'GetMetricData']);
    const applied: FleetRun['applied'] = [];
    const reached = watchAliases(handle, names, applied);
    const run = await runCli(handle, names, options);
    const after = countsOf(handle, ['DescribeAlarms', 'GetMetricData']);
    const cloudWatchCalls = Object.fromEntries(
      Object.entries(after).map(([op, n]) => [op, n - (before[op] ?? 0)]),
    );
    return {
      options,
      names,
      ...run,
      reached,
      cloudWatchCalls,
      applied,
      throttled: handle.state.lambdaRate.describe().throttled,
    };
  } finally {
    await handle.stop();
  }
}

function countsOf(handle: SandboxHandle, ops: string[]): Record<string, number> {
  return Object.fromEntries(ops.map((op) => [op, handle.state.operationCounts.get(op) ?? 0]));
}

/** Records every applied request, and every alias weight change the moment an UpdateAlias lands. */
function watchAliases(handle: SandboxHandle, names: string[], applied: FleetRun['applied']): WeightReached[] {
  const reached: WeightReached[] = [];
  const last = new Map(names.map((n) => [n, 0]));
  const gate = handle.state.gate;
  const original = gate.afterApplied.bind(gate);
  gate.afterApplied = (operation, sb, client) => {
    original(operation, sb, client);
    applied.push({ op: operation, ms: Date.now() });
    if (operation !== 'UpdateAlias') return;
    for (const fn of names) {
      const percent = percentOf(sb.data.functions[fn]?.aliases['live']);
      if (percent === last.get(fn)) continue;
      last.set(fn, percent);
      reached.push({ fn, percent, realMs: Date.now(), simMs: sb.simNow() });
    }
  };
  return reached;
}

function percentOf(alias: { functionVersion: string; weights: Record<string, number> } | undefined): number {
  if (!alias) return 0;
  if (alias.functionVersion !== '1') return 100;
  return Math.round((alias.weights['2'] ?? 0) * 100);
}

function runCli(handle: SandboxHandle, names: string[], options: FleetOptions) {
  const args = [
    // Node flags for the CLI, e.g. BENCH_FLEET_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'
    // (NODE_OPTIONS refuses --cpu-prof).
    ...(process.env.BENCH_FLEET_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    RUN_JS,
    'deploy',
    ...names,
    '--strategy',
    options.strategy,
    '--alarm',
    '{function}-errors',
    '--progress',
    'ndjson',
    // The release shares its α (1% by default) between its functions (releaseShareOf), so the
    // bench runs at the default confidence.
    // Extra deploy flags to compare runs, e.g. BENCH_FLEET_ARGS=--no-analysis.
    ...(process.env.BENCH_FLEET_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const env = {
    ...process.env,
    LSHIFT_SANDBOX: handle.url,
    // The CLI scales its limiter by the sandbox's speed (rate-limit.ts): give it per simulated second.
    LSHIFT_LAMBDA_RATE: String(options.realRate / options.speed),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const realStartMs = Date.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: NdjsonLine[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push({ realMs: Date.now(), event: JSON.parse(line) as Record<string, unknown> });
    } catch {
      // not an event line
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let peakKb = 0;
  const rss = setInterval(() => {
    peakKb = Math.max(peakKb, readPeakKb(child.pid));
  }, 200);
  return new Promise<
    Omit<FleetRun, 'options' | 'names' | 'reached' | 'cloudWatchCalls' | 'applied' | 'throttled'>
  >((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(rss);
      resolve({
        exitCode: code,
        lines,
        peakRssMb: peakKb / 1024,
        realStartMs,
        realEndMs: Date.now(),
        stderrTail: stderr,
      });
    });
  });
}

/** VmHWM: the process's peak resident set so far (kB); 0 once it is gone. */
function readPeakKb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
