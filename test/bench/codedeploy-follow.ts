/**
 * API calls per poll while lshift follows a CodeDeploy deployment (issue 12), through the BUILT
 * CLI (run `npm run build` first) and a counting proxy in front of the sandbox:
 * `deploy --engine codedeploy --strategy Canary10Percent5Minutes --alarm demo-errors` at --speed
 * 600. While lshift holds a step, each health poll reads the alarms, the metrics (analysis) and
 * the deployment's status (the CodeDeploy gate); while it waits for CodeDeploy to reach a weight
 * (the follow loop), each poll reads GetDeployment + GetAlias.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../../src/domain/events.js';
import { DEMO_SCENARIOS, startSandbox } from '../../src/sandbox/index.js';
import { countBy, startCountingProxy } from './bench-world.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const SPEED = 600;

const CHILD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CI: 'true',
  NO_COLOR: '1',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_LAMBDA: '',
  AWS_ENDPOINT_URL_CLOUDWATCH: '',
  AWS_ENDPOINT_URL_CODEDEPLOY: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function run(url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runCodeDeployFollowBench(): Promise<void> {
  const sandbox = await startSandbox({ speed: SPEED, seed: 7 });
  const { seedDemo } = await import('../../src/sandbox/index.js');
  await seedDemo(sandbox, { ...DEMO_SCENARIOS.healthy });
  const proxy = await startCountingProxy(sandbox.url);
  try {
    const role = 'arn:aws:iam::123456789012:role/codedeploy';
    const init = await run(proxy.url, [
      'codedeploy',
      'init',
      'demo',
      '--role',
      role,
      '--alarm',
      'demo-errors',
    ]);
    if (init.code !== 0) throw new Error(`codedeploy init exited ${init.code}: ${init.stderr}`);
    proxy.requests.length = 0;
    const args = ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'Canary10Percent5Minutes'];
    const deploy = await run(proxy.url, [...args, '--alarm', 'demo-errors', '--progress', 'ndjson']);
    if (deploy.code !== 0) throw new Error(`deploy exited ${deploy.code}: ${deploy.stderr.slice(-2000)}`);
    const events = deploy.stdout
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as EngineEvent);
    const firstStep = events.find((e) => e.type === 'step.started');
    const finished = events.find((e) => e.type === 'deploy.finished');
    if (!firstStep || !finished) throw new Error('no step.started/deploy.finished in the NDJSON output');
    const polls = events.filter((e) => e.type === 'health.polled').length;
    const { simOriginMs, realOriginMs, speed } = sandbox.clock;
    const toSim = (realMs: number) => simOriginMs + (realMs - realOriginMs) * speed;
    const during = proxy.requests.filter(
      (r) => toSim(r.realMs) >= firstStep.at && toSim(r.realMs) <= finished.at,
    );
    const counts = countBy(during, (r) => r.operation);
    const n = (op: string) => counts.get(op) ?? 0;
    const gateReads = polls; // the CodeDeploy gate reads GetDeployment once per health poll
    const followPolls = Math.max(0, n('codedeploy:GetDeployment') - gateReads);
    console.log(
      `  ${args.join(' ')} --alarm demo-errors at --speed ${SPEED} (interval 10s), via a counting proxy:`,
    );
    console.log(
      `    ${polls} health polls while holding; ${followPolls} follow polls while waiting for CodeDeploy`,
    );
    for (const op of [
      'cloudwatch:DescribeAlarms',
      'cloudwatch:GetMetricData',
      'codedeploy:GetDeployment',
      'lambda:GetAlias',
      'codedeploy:GetDeploymentTarget',
      'codedeploy:ListDeploymentTargets',
    ]) {
      console.log(`    ${op.padEnd(32)} ${String(n(op)).padStart(4)} calls`);
    }
    const perHealthPoll =
      (n('cloudwatch:DescribeAlarms') + n('cloudwatch:GetMetricData') + gateReads) / Math.max(1, polls);
    console.log(
      `    per health poll: ${perHealthPoll.toFixed(2)} calls (DescribeAlarms + GetMetricData + 1 GetDeployment); per follow poll: 2 calls (GetDeployment + GetAlias)`,
    );
    const others = [...counts]
      .filter(([op]) => !/DescribeAlarms|GetMetricData|GetDeployment$|GetAlias|DeploymentTargets?$/.test(op))
      .map(([op, c]) => `${op} ${c}`)
      .join(', ');
    console.log(`    other calls during the shift: ${others || 'none'}`);
  } finally {
    await proxy.stop();
    await sandbox.stop();
  }
}
