/**
 * Start-up benchmark: median wall time of the built CLI against a bare `node -e 0`, measured
 * in the same environment, one after another. Target (issue 2): `--version` and `plan` within
 * 5× the bare Node start, and neither loads an SDK client.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runStatusBench } from './status-speed.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

interface Case {
  label: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

const CASES: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'lshift --version', args: [RUN_JS, '--version'] },
  { label: 'lshift plan Canary10Percent5Minutes', args: [RUN_JS, 'plan', 'Canary10Percent5Minutes'] },
  {
    label: '  the same, oclif path (LSHIFT_FAST_START=0)',
    args: [RUN_JS, 'plan', 'Canary10Percent5Minutes'],
    env: { LSHIFT_FAST_START: '0' },
  },
  { label: 'lshift deploy --help', args: [RUN_JS, 'deploy', '--help'] },
];

function timeOnce(args: string[], env?: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Which SDK modules a command loads, read from Node's own module list at exit. On oclif's path:
 * inside the bundle (dist/lshift.bundle.cjs) the SDK is no module of its own, and the same lazy
 * imports keep it unevaluated there.
 */
function sdkModulesLoaded(args: string[]): string[] {
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, NODE_DEBUG: 'esm,module', LSHIFT_FAST_START: '0' },
    encoding: 'utf8',
  });
  const text = `${run.stderr ?? ''}`;
  return [...new Set([...text.matchAll(/@aws-sdk\/(client-[a-z]+)/g)].map((m) => m[1] ?? ''))];
}

export async function runStartupBench(): Promise<void> {
  console.log(
    `Start-up time, median of ${RUNS} runs (ms), NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}:`,
  );
  for (const c of CASES) timeOnce(c.args, c.env); // warm the file and code caches
  const results = CASES.map((c) => ({
    label: c.label,
    ms: median(Array.from({ length: RUNS }, () => timeOnce(c.args, c.env))),
  }));
  const base = results[0]?.ms ?? Number.NaN;
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(40)} ${r.ms.toFixed(1).padStart(7)} ms  ${(r.ms / base).toFixed(2)}× node`,
    );
  }
  for (const c of CASES.slice(1).filter((c) => c.env === undefined)) {
    const sdk = sdkModulesLoaded(c.args);
    console.log(`  ${c.label.padEnd(40)} SDK clients loaded: ${sdk.length === 0 ? 'none' : sdk.join(', ')}`);
  }
  await runStatusBench();
}
