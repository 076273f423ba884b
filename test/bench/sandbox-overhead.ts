/**
 * Sandbox overhead of a real deploy through the BUILT CLI (run `npm run build` first):
 * (a) wall time of `Linear10PercentEvery1Minute` (9 simulated minutes) at --speed 600 against its
 *     scheduled 0.9 s, whole process and engine only (first weight write → result);
 * (b) AWS API calls per health poll, counted by a proxy in front of the sandbox, with 1 alarm and
 *     with 150 alarms (DescribeAlarms takes at most 100 names, so 150 need 2 calls a poll).
 * BENCH_OVERHEAD_RUNS (default 5) sets the number of timed runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { countBy, createSandboxCloudWatch, median, startCountingProxy } from './bench-world.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 5);
const SPEED = 600;
const STRATEGY = 'Linear10PercentEvery1Minute';
const SCHEDULED_SIM_MS = 9 * 60_000;
const SCHEDULED_REAL_MS = SCHEDULED_SIM_MS / SPEED;
const EXTRA_ALARMS = 149;
const POLL_MS = 10_000;

/** Keep the developer's AWS settings out of the child (the sandbox needs none of them). */
const CHILD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  NO_COLOR: '1',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_LAMBDA: '',
  AWS_ENDPOINT_URL_CLOUDWATCH: '',
  AWS_PROFILE: '',
  AWS_MAX_ATTEMPTS: '',
  AWS_RETRY_MODE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Simulated ms at spawn, read from the sandbox clock. */
  simAtSpawn: number;
}

function runCliAgainst(sandbox: SandboxHandle, url: string, args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const simAtSpawn = sandbox.state.simNow();
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      env: { ...CHILD_ENV, LSHIFT_SANDBOX: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: Number(process.hrtime.bigint() - start) / 1e6, simAtSpawn });
    });
  });
}

async function startDemoSandbox(seed: number): Promise<SandboxHandle> {
  const sandbox = await startSandbox({ speed: SPEED, seed });
  await seedDemo(sandbox, { ...DEMO_SCENARIOS.healthy });
  return sandbox;
}

function fail(what: string, run: ChildRun): never {
  throw new Error(
    `${what}: lshift exited ${run.code}\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`,
  );
}

interface TimedRun {
  wallMs: number;
  status: string;
  /** Real ms from spawn to the first weight write. */
  beforeMs: number;
  /** Real ms from the first weight write to the result. */
  engineMs: number;
  /** Per held step, real ms beyond its hold (record write after the weight, the last poll). */
  overrunMs: number[];
  /** Per step after the first, real ms from the end of the previous step to this weight write. */
  transitionMs: number[];
}

async function timeOneDeploy(seed: number): Promise<TimedRun> {
  const sandbox = await startDemoSandbox(seed);
  try {
    const args = ['deploy', 'demo', '--strategy', STRATEGY, '--alarm', 'demo-errors', '--json'];
    const run = await runCliAgainst(sandbox, sandbox.url, args);
    if (run.code !== 0) fail('timed deploy', run);
    const result = JSON.parse(run.stdout) as DeployResult;
    const firstWrite = result.steps[0]?.startedAt ?? Number.NaN;
    const endedAt = result.endedAt ?? Number.NaN;
    const held = result.steps.filter((st) => st.holdSeconds > 0 && st.endedAt !== undefined);
    return {
      wallMs: run.wallMs,
      status: result.status,
      beforeMs: (firstWrite - run.simAtSpawn) / SPEED,
      engineMs: (endedAt - firstWrite) / SPEED,
      overrunMs: held.map((st) => ((st.endedAt ?? 0) - st.startedAt - st.holdSeconds * 1000) / SPEED),
      transitionMs: result.steps
        .slice(1)
        .map((st, i) => (st.startedAt - (result.steps[i]?.endedAt ?? Number.NaN)) / SPEED),
    };
  } finally {
    await sandbox.stop();
  }
}

async function benchWallTime(): Promise<void> {
  console.log(
    `(a) ${STRATEGY} at --speed ${SPEED} through the built CLI (--alarm demo-errors --json), ${RUNS} runs:`,
  );
  await timeOneDeploy(100); // warm the file cache
  const runs: TimedRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timeOneDeploy(i + 1));
  const wall = median(runs.map((r) => r.wallMs));
  const engine = median(runs.map((r) => r.engineMs));
  const before = median(runs.map((r) => r.beforeMs));
  const statuses = [...countBy(runs, (r) => r.status)].map(([s, n]) => `${s} ×${n}`).join(', ');
  console.log(
    `  scheduled                                ${SCHEDULED_REAL_MS.toFixed(0).padStart(6)} ms (540 s / ${SPEED})`,
  );
  console.log(
    `  process wall time, median                ${wall.toFixed(0).padStart(6)} ms  ratio ${(wall / SCHEDULED_REAL_MS).toFixed(2)} (target ≤ 1.05)  [${runs.map((r) => r.wallMs.toFixed(0)).join(', ')}]`,
  );
  console.log(
    `    of which spawn → first weight write    ${before.toFixed(0).padStart(6)} ms  (start-up, SDK load, publish, preflight)`,
  );
  console.log(
    `  first weight write → result, median     ${engine.toFixed(0).padStart(6)} ms  ratio ${(engine / SCHEDULED_REAL_MS).toFixed(3)}  [${runs.map((r) => r.engineMs.toFixed(0)).join(', ')}]`,
  );
  const overrun = median(runs.flatMap((r) => r.overrunMs));
  const transition = median(runs.flatMap((r) => r.transitionMs));
  console.log(
    `    per held step beyond its hold, median ${overrun.toFixed(1).padStart(6)} ms  (record write + last poll; ×${SPEED} = ${((overrun * SPEED) / 1000).toFixed(1)} simulated s)`,
  );
  console.log(
    `    between steps, median                 ${transition.toFixed(1).padStart(6)} ms  (ownership check + UpdateAlias; ×${SPEED} = ${((transition * SPEED) / 1000).toFixed(1)} simulated s)`,
  );
  console.log(`  results: ${statuses}`);
}

async function putExtraAlarms(url: string): Promise<string[]> {
  const cloudWatch = await createSandboxCloudWatch(url);
  const names: string[] = [];
  for (let i = 1; i <= EXTRA_ALARMS; i++) {
    const name = `bench-extra-${String(i).padStart(3, '0')}`;
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/Lambda',
        MetricName: i % 2 === 0 ? 'Throttles' : 'Errors',
        Dimensions: [
          { Name: 'FunctionName', Value: 'demo' },
          { Name: 'Resource', Value: 'demo:live' },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1000 + i,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    names.push(name);
  }
  cloudWatch.destroy();
  return names;
}

async function countCallsPerPoll(alarmCount: 1 | 150, strategy: string): Promise<void> {
  const sandbox = await startDemoSandbox(7);
  const proxy = await startCountingProxy(sandbox.url);
  const dir = mkdtempSync(join(tmpdir(), 'lshift-bench-'));
  try {
    const alarms = ['demo-errors', ...(alarmCount === 150 ? await putExtraAlarms(sandbox.url) : [])];
    const config = join(dir, 'lshift.config.json');
    writeFileSync(config, JSON.stringify({ alarms }));
    proxy.requests.length = 0;
    const args = ['deploy', 'demo', '--strategy', strategy, '--config', config, '--progress', 'ndjson'];
    const run = await runCliAgainst(sandbox, proxy.url, args);
    if (run.code !== 0) fail(`deploy with ${alarmCount} alarm(s)`, run);
    const events = run.stdout
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as EngineEvent);
    const firstStep = events.find((e) => e.type === 'step.started');
    const finished = events.find((e) => e.type === 'deploy.finished');
    if (!firstStep || !finished) throw new Error(`no step.started/deploy.finished in the NDJSON output`);
    const polled = events.filter((e) => e.type === 'health.polled');
    const polls = polled.length;
    // Consecutive polls of one step are a 10 s sleep apart plus the work of a poll cycle
    // (the gates' calls, the heartbeat, the NDJSON line), which runs ×SPEED in simulated time.
    const cycleMs = median(
      polled.slice(1).flatMap((e, i) => {
        const prev = polled[i];
        return prev && prev.index === e.index ? [(e.at - prev.at - POLL_MS) / SPEED] : [];
      }),
    );
    const { simOriginMs, realOriginMs, speed } = sandbox.clock;
    const toSim = (realMs: number) => simOriginMs + (realMs - realOriginMs) * speed;
    // A request that arrives a little after the event that triggered it still belongs to the shift.
    const during = proxy.requests.filter((r) => {
      const sim = toSim(r.realMs);
      return sim >= firstStep.at && sim <= finished.at;
    });
    const counts = countBy(during, (r) => r.operation);
    const status = finished.type === 'deploy.finished' ? finished.result.status : '?';
    console.log(
      `  ${strategy}, ${alarmCount} alarm${alarmCount === 1 ? '' : 's'}: ${polls} health polls, ${status}, process ${run.wallMs.toFixed(0)} ms (through the proxy), ${cycleMs.toFixed(1)} ms real per poll cycle beyond the 10 s sleep`,
    );
    const per = (op: string) => (counts.get(op) ?? 0) / polls;
    for (const op of ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData']) {
      const latency = median(during.filter((r) => r.operation === op).flatMap((r) => r.latencyMs ?? []));
      const answers = Number.isNaN(latency)
        ? ''
        : `  (the sandbox answers in ${latency.toFixed(1)} ms, median)`;
      console.log(
        `    ${op.padEnd(30)} ${String(counts.get(op) ?? 0).padStart(5)} calls  ${per(op).toFixed(2)} per poll${answers}`,
      );
    }
    const others = [...counts]
      .filter(([op]) => !op.startsWith('cloudwatch:DescribeAlarms') && op !== 'cloudwatch:GetMetricData')
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op.replace(/^lambda:/, '')} ${n}`)
      .join(', ');
    console.log(`    other calls during the shift: ${others || 'none'}`);
    const allCounts = countBy(proxy.requests, (r) => r.operation);
    console.log(
      `    whole run: ${proxy.requests.length} requests (${[...allCounts].map(([op, n]) => `${op.replace(/^(lambda|cloudwatch):/, '')} ${n}`).join(', ')})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await proxy.stop();
    await sandbox.stop();
  }
}

export async function runSandboxOverheadBench(): Promise<void> {
  await benchWallTime();
  console.log(
    '(b) API calls per health poll during the shift (step.started → deploy.finished), --progress ndjson via a counting proxy; target 1 DescribeAlarms per 100 alarms + ≤ 1 GetMetricData:',
  );
  await countCallsPerPoll(1, STRATEGY);
  await countCallsPerPoll(150, STRATEGY);
  // 1-minute steps leave the analysis no whole minute to read (it skips the GetMetricData call);
  // a 5-minute canary shows the per-poll cost when it does read.
  await countCallsPerPoll(150, 'canary:10%:5m');
}
