/**
 * `npm run bench -- status-many`: `lshift status` over many functions (the release view), the
 * built CLI against an in-process sandbox at --speed 10 (Lambda's 15 requests/s become 150 real
 * ones): its wall time and peak RSS (through /usr/bin/time when it is installed). Each function
 * costs a GetAlias and a ListTags, both paced by the Lambda limiter (src/aws/rate-limit.ts), so
 * the time follows the pace: against AWS, 2 × N / 15 s at least. Peak RSS is what the reads in
 * flight hold (commands/status.ts reads 8 functions at a time: before, all at once, 2,000
 * functions peaked at ~390 MB). No alarms: the sandbox evaluates every alarm over the minutes
 * since its last CloudWatch call by simulating each request, which then dominates. Seeding
 * takes ~6 s per 1,000 functions. Run it on two builds to compare (`npm run build` in between).
 *
 * Env: BENCH_STATUS_N (`500,2000`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seedDemo, startSandbox } from '../../src/sandbox/index.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const SIZES = (process.env.BENCH_STATUS_N ?? '500,2000').split(',').map(Number);
const SEEDING = 8;

export async function runStatusManyBench(): Promise<void> {
  const largest = Math.max(...SIZES);
  // Seeding unpaced: one function is six control-plane calls.
  const handle = await startSandbox({ speed: 10, seed: 7, lambdaRate: 'off' });
  try {
    const names = Array.from({ length: largest }, (_, i) => `f${String(i).padStart(4, '0')}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: SEEDING }, async () => {
        while (next < names.length) await seedDemo(handle, { functionName: names[next++]! });
      }),
    );
    handle.state.lambdaRate.set(15);
    const timed = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
    const { AWS_PROFILE: _profile, AWS_ENDPOINT_URL: _endpoint, ...inherited } = process.env;
    const env = {
      ...inherited,
      NODE_ENV: '',
      LSHIFT_SANDBOX: handle.url,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: 'us-east-1',
    };
    console.log('  lshift status f0000 … (release view), sandbox at --speed 10 (150 Lambda requests/s)');
    for (const n of SIZES) {
      const args = [RUN_JS, 'status', ...names.slice(0, n)];
      const run = await timeChild(timed, args, env);
      const rss =
        run.rssKb === undefined
          ? 'peak RSS n/a (no /usr/bin/time)'
          : `peak RSS ${Math.round(run.rssKb / 1024)} MB`;
      console.log(
        `  ${String(n).padStart(5)} functions: exit ${run.code}, ${(run.ms / 1000).toFixed(1)} s, ${rss}`,
      );
    }
  } finally {
    await handle.stop();
  }
}

/** Spawned asynchronously: the sandbox answers from this process's event loop. */
function timeChild(
  timed: boolean,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; ms: number; rssKb?: number }> {
  const start = process.hrtime.bigint();
  const [command, argv] = timed
    ? ['/usr/bin/time', ['-f', 'lshift-bench-rss %M', process.execPath, ...args]]
    : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv as string[], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = /lshift-bench-rss (\d+)/.exec(stderr)?.[1];
      resolve({ code, ms, ...(rss ? { rssKb: Number(rss) } : {}) });
    });
  });
}
