/**
 * `lshift status` against a local endpoint (an in-process sandbox through --endpoint-url, as
 * any AWS endpoint would be reached), side by side with `aws lambda get-alias` when the AWS CLI is
 * installed. Issue 15's goal: status ≤ 0.4× the AWS CLI's time. Children are spawned
 * asynchronously: the sandbox answers from this process's event loop.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_SCENARIOS, seedDemo, startSandbox } from '../../src/sandbox/index.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function timeOnce(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', env });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

async function median(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  await timeOnce(command, args, env); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeOnce(command, args, env));
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function runStatusBench(): Promise<void> {
  const handle = await startSandbox({ speed: 1, seed: 7 });
  try {
    await seedDemo(handle, DEMO_SCENARIOS.healthy);
    // Same credentials and region for both; no profile (the AWS CLI refuses an empty AWS_PROFILE).
    const { AWS_PROFILE: _profile, LSHIFT_SANDBOX: _sandbox, ...inherited } = process.env;
    const env = {
      ...inherited,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const lshift = await median(
      process.execPath,
      [RUN_JS, 'status', 'demo', '--endpoint-url', handle.url],
      env,
    );
    console.log(`  ${'lshift status demo (local endpoint)'.padEnd(40)} ${lshift.toFixed(1).padStart(7)} ms`);
    if (spawnSync('aws', ['--version'], { stdio: 'ignore' }).status !== 0) {
      console.log('  aws lambda get-alias: the AWS CLI is not installed; no comparison');
      return;
    }
    const awsArgs = [
      '--endpoint-url',
      handle.url,
      'lambda',
      'get-alias',
      '--function-name',
      'demo',
      '--name',
      'live',
    ];
    const aws = await median('aws', awsArgs, env);
    console.log(
      `  ${'aws lambda get-alias (same endpoint)'.padEnd(40)} ${aws.toFixed(1).padStart(7)} ms  → lshift status = ${(lshift / aws).toFixed(2)}× (goal ≤ 0.40×)`,
    );
  } finally {
    await handle.stop();
  }
}
