/**
 * The CodeDeploy engine under faults, end to end: the built CLI talks to the sandbox's CodeDeploy
 * through the fault proxy. A CreateDeployment whose answer is dropped after it was applied (never
 * retried: it takes no idempotency token): lshift finds its own deployment by the run token in
 * the description, running or already ended, and follows it, or, when the group cannot be read,
 * writes nothing and exits 4. A second Ctrl-C while the stop hangs names the deployment CodeDeploy keeps running.
 */
import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/fault-proxy.js';
import { stderrShows } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { initCodeDeployGroup } from './codedeploy-detached.js';
import { type SandboxEnv, useProxiedSandbox } from './sandbox-env.js';

const CREATE = { target: 'CodeDeploy_20141006.CreateDeployment' };
const LIST = { target: 'CodeDeploy_20141006.ListDeployments' };

/**
 * demo's group, as `lshift codedeploy init demo --role … [--alarm …]` makes it in the sandbox (the
 * group the deploys below start in; made in-process, before the proxy is armed).
 */
function initGroup(env: SandboxEnv, ...alarms: string[]): Promise<void> {
  return initCodeDeployGroup(env, {
    role: 'arn:aws:iam::123456789012:role/codedeploy',
    alarms: alarms.length > 0 ? alarms : undefined,
  });
}

describe('the CodeDeploy engine under faults (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('follows the deployment that carries its run token to the end (exit 0), and starts no second one', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 600 });
    await initGroup(env, 'demo-errors');
    const proxy = await faulty.proxy();
    proxy.arm({ match: CREATE, fault: 'drop' });
    const run = await env.cli(
      // No analysis: equal versions, and its chance verdicts are not what this test is about.
      [
        'deploy',
        'demo',
        '--engine',
        'codedeploy',
        '--strategy',
        'Canary10Percent5Minutes',
        '--no-analysis',
        '--json',
      ],
      { env: { LSHIFT_SANDBOX: proxy.url }, timeoutMs: 240_000 },
    );

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'promoted', toVersion: '2' });
    // Applied with its answer dropped, and never sent again: CreateDeployment takes no
    // idempotency token, so the SDK does not retry it (a retry after ours ended starts another).
    const creates = proxy.events.filter((e) => matches(CREATE, e));
    expect(creates.map((e) => [e.fault, e.status])).toEqual([['drop', 200]]);
    expect(JSON.parse(creates[0]!.body).description).toMatch(
      /^lshift deploy of demo:live \[lshift-run:[\w-]+\]$/,
    );
    // One look among the group's unfinished deployments; on a loaded machine ours (five simulated
    // minutes: half a real second at 600×) can have ended by then, and one more look among the
    // recent ones finds it (the next test). Never a poll of the group beyond those two.
    const lists = proxy.events.filter((e) => matches(LIST, e)).length;
    expect(lists).toBeGreaterThanOrEqual(1);
    expect(lists).toBeLessThanOrEqual(2);
    expect(run.stderr).toContain(`codedeploy: started deployment ${result.codeDeploy.deploymentId}`);
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  // Found by a hostile pass: ours ran to its end before lshift looked, was among no unfinished
  // deployments, and lshift said "not started, no traffic moved" and wrote the alias back.
  it('ours ended before lshift looks for it: found among the recent deployments, followed (exit 0), no alias write, one CreateDeployment', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 600 });
    await initGroup(env);
    const proxy = await faulty.proxy();
    proxy.arm({ match: CREATE, fault: 'drop' });
    // The lookup waits until CodeDeploy has finished ours: an event, not a timer.
    proxy.arm({ match: LIST, fault: 'hold' });
    const running = env.cli(
      [
        'deploy',
        'demo',
        '--engine',
        'codedeploy',
        '--strategy',
        'AllAtOnce',
        '--no-analysis',
        '--settle',
        '0',
        '--json',
      ],
      { env: { LSHIFT_SANDBOX: proxy.url }, timeoutMs: 240_000 },
    );
    await proxy.waitForHeld();
    await waitUntil(
      async () => (await env.status()).functionVersion === '2',
      'CodeDeploy put all traffic on version 2',
    );
    proxy.releaseHeld();
    const run = await running;

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted', toVersion: '2' });
    expect(proxy.events.filter((e) => matches(CREATE, e))).toHaveLength(1);
    expect(proxy.events.filter((e) => e.method === 'PUT' && /\/aliases\//.test(e.path))).toEqual([]);
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('a second Ctrl-C while lshift stops the deployment: exit 4 naming it and the stop-deployment fix', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    await initGroup(env);
    const proxy = await faulty.proxy();
    const hold = proxy;
    const run = await env.cli(['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:30m'], {
      env: { LSHIFT_SANDBOX: hold.url },
      onSpawn: (child) => {
        let seen = '';
        const onData = (chunk: Buffer) => {
          seen += chunk.toString();
          if (!seen.includes('codedeploy: started deployment')) return;
          child.stderr?.off('data', onData);
          // Every AWS call from now on hangs: the stop cannot finish.
          hold.arm({
            fault: 'hold',
            times: Number.POSITIVE_INFINITY,
            match: { where: (req) => !req.path.startsWith('/__lshift/') },
          });
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          void Promise.all([hold.waitForHeld(), taken]).then(async () => {
            // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice),
            // counted from when lshift said it took the first one, not from when it was sent.
            await new Promise((resolve) => setTimeout(resolve, 1200));
            child.kill('SIGINT');
          });
        };
        child.stderr?.on('data', onData);
      },
      timeoutMs: 240_000,
    });

    expect(run.code, run.stderr).toBe(4);
    const id = /codedeploy: started deployment (d-\w+)/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    expect(run.stderr).toContain('SIGINT again: exiting now (exit 4)');
    expect(run.stderr).toContain(`AWS CodeDeploy deployment ${id} may still be running`);
    expect(run.stderr).toContain(
      `Fix: aws deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled`,
    );
    expect(run.stderr).not.toContain('update-alias');
  });

  it('the group cannot be read either: exit 4, no alias write, the list-deployments command as the fix', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    await initGroup(env);
    const proxy = await faulty.proxy();
    proxy.arm({ match: CREATE, fault: 'drop', times: Infinity });
    proxy.arm({ match: LIST, fault: 'reset', times: Infinity });
    const run = await env.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:30m', '--json'],
      { env: { LSHIFT_SANDBOX: proxy.url, LSHIFT_AWS_TIMEOUT: '2s' }, timeoutMs: 240_000 },
    );

    expect(run.code, run.stderr).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'unsafe',
      cause: { code: 'ROLLBACK_FAILED', data: { errorCode: 'CODEDEPLOY_START_UNCONFIRMED' } },
      // The AWS CLI does not read LSHIFT_SANDBOX: the line names it (h1's pass, session 65), and
      // the region the run used, which named none (session 66).
      fixCommand: `aws deploy list-deployments --application-name lshift-demo --deployment-group-name demo-live --include-only-statuses Created Queued InProgress Baking Ready --region us-east-1 --endpoint-url ${proxy.url}`,
    });
    expect(result.reason).toContain('CodeDeploy may have started the deployment');
    // Nobody knows where the alias is now: only where it was seen before CreateDeployment.
    expect(result.reason).toContain('CodeDeploy may have moved it');
    expect(result.reason).not.toMatch(/alias live is at/);
    expect(proxy.events.filter((e) => e.method === 'PUT' && /\/aliases\//.test(e.path))).toEqual([]);
  });
});
