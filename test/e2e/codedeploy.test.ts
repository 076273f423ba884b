import { ListDeploymentsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { runCli, stderrShows } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { initCodeDeployGroup, sandboxCodeDeploy } from './codedeploy-detached.js';
import { createSandboxFunction, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `deploy --engine codedeploy` end to end: the built CLI against the sandbox's CodeDeploy, which
 * shifts the alias on its own schedule, runs the hooks and rolls back on its alarms. Moments are
 * chosen by waiting for a progress line, never by timing.
 */
describe('deploy --engine codedeploy (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const ROLE = 'arn:aws:iam::123456789012:role/codedeploy';

  async function operations(): Promise<Record<string, number>> {
    const response = await fetch(`${env?.handle.url}/__lshift/operations`);
    return (await response.json()) as Record<string, number>;
  }

  async function expectOn(version: string): Promise<void> {
    const status = await env?.status();
    expect(status).toMatchObject({ functionVersion: version, additionalWeights: {} });
  }

  /** demo's group, as `codedeploy init demo --role ROLE [--alarm …]` makes it (made in-process). */
  async function init(...alarms: string[]): Promise<void> {
    await initCodeDeployGroup(env!, { role: ROLE, alarms: alarms.length > 0 ? alarms : undefined });
  }

  it('deploy demo --sandbox --engine codedeploy --strategy Canary10Percent5Minutes: healthy → exit 0 on the new version', async () => {
    const run = await runCli(
      [
        'deploy',
        'demo',
        '--sandbox',
        '--engine',
        'codedeploy',
        '--strategy',
        'Canary10Percent5Minutes',
        '--speed',
        '600',
        // The CodeDeploy engine is under test, not the judge (it may roll back equal versions by
        // chance, ≤ 1%: docs/analysis.md).
        '--no-analysis',
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'promoted',
      toVersion: '2',
      codeDeploy: { deploymentId: expect.stringMatching(/^d-/) },
    });
    expect(run.stderr).toMatch(
      /codedeploy: started deployment d-\w+ \(CodeDeployDefault.LambdaCanary10Percent5Minutes\)/,
    );
    expect(run.stderr).toMatch(/step 1\/2: shifting to 10% on the new version/);
    expect(run.stderr).toMatch(/codedeploy: d-\w+ Succeeded, 100% on the new version/);
  });

  it('--sandbox-scenario bad: CodeDeploy’s alarm (or lshift’s) stops it mid-shift → exit 3 on the stable version', async () => {
    const run = await runCli(
      [
        'deploy',
        'demo',
        '--sandbox',
        '--sandbox-scenario',
        'bad',
        '--engine',
        'codedeploy',
        '--strategy',
        'Canary10Percent5Minutes',
        '--speed',
        '600',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.code, run.stderr).toBe(3);
    // At 600× CodeDeploy's 5-minute canary is half a real second: on a loaded machine lshift's
    // polls can miss its whole 10%, alarm and rollback, and it says what it saw — nothing shifted
    // (seen in CI at a load average of 26). Either way all traffic is on the stable version.
    expect(run.stdout).toMatch(
      /Rolled back demo:live: all traffic is on version 1\.|Not started: demo:live is unchanged, all traffic is still on version 1\./,
    );
    // Which sees it first depends on where the polls fall: CodeDeploy's alarm or lshift's analysis.
    expect(run.stdout).toMatch(/Reason: .*(demo-errors|error-rate-increase)/);
  });

  for (const [flag, event] of [
    ['--pre-hook', 'BeforeAllowTraffic'],
    ['--post-hook', 'AfterAllowTraffic'],
  ] as const) {
    it(`a SAM-style ${event} hook function reporting Failed → exit 3, the hook named, all traffic on the stable version`, async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
      await createSandboxFunction(env.handle, 'hook-check', { LSHIFT_SANDBOX_HOOK_STATUS: 'Failed' });
      await init('demo-errors');
      const run = await env.cli(
        [
          'deploy',
          'demo',
          '--engine',
          'codedeploy',
          '--strategy',
          'Canary10Percent5Minutes',
          flag,
          'lambda:hook-check',
          // The after-traffic hook runs after a 5-minute canary of equal versions: the reason must
          // be the hook, not a chance verdict of the judge (≤ 1%, docs/analysis.md).
          '--no-analysis',
          '--json',
        ],
        { timeoutMs: 240_000 },
      );
      expect(run.code, run.stderr).toBe(3);
      expect(JSON.parse(run.stdout).reason).toContain(`${event} Failed`);
      await expectOn('1');
      expect((await env.status()).record?.phase).toBe('rolled-back');
    });
  }

  it('a lambda: hook function that does not exist: HOOK_FUNCTION_NOT_FOUND (exit 1) before the publish, dry run too', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await init('demo-errors');
    const deploy = ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'Canary10Percent5Minutes'];
    const before = await operations();
    const run = await env.cli([...deploy, '--post-hook', 'lambda:nosuch', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
      message: expect.stringContaining('The post-traffic hook lambda:nosuch cannot run'),
    });
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(run, [...deploy, '--post-hook', 'lambda:nosuch', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
    const ops = await operations();
    for (const op of ['PublishVersion', 'CreateDeployment', 'UpdateAlias', 'TagResource']) {
      expect(ops[op] ?? 0, op).toBe(before[op] ?? 0);
    }
    const dry = await env.cli([...deploy, '--pre-hook', 'lambda:nosuch', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ code: 'HOOK_FUNCTION_NOT_FOUND' });
    await expectOn('1');
  });

  // Found by a hostile pass: the dry run skipped the group check and printed lshift's own program.
  it('--dry-run checks the deployment group as the deploy does, and says CodeDeploy would move the weights', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await init('demo-errors');
    const deploy = [
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'Canary10Percent5Minutes',
      '--dry-run',
    ];
    const missing = await env.cli([...deploy, '--application', 'nope-app', '--json']);
    expect(missing.code, missing.stderr).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ code: 'CODEDEPLOY_GROUP_NOT_FOUND' });
    const dry = await env.cli([...deploy, '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).codeDeploy).toEqual({
      application: 'lshift-demo',
      group: 'demo-live',
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    const text = await env.cli(deploy);
    expect(text.stdout).toContain(
      'AWS CodeDeploy would move the weights: deployment config CodeDeployDefault.LambdaCanary10Percent5Minutes in lshift-demo/demo-live',
    );
    expect((await operations()).CreateDeployment ?? 0).toBe(0);
  });

  it('lshift’s own verdict stops a deployment CodeDeploy would have let run (StopDeployment) → exit 3', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'bad', speed: 600 });
    await init(); // the group watches no alarm: only lshift judges
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--engine',
        'codedeploy',
        '--strategy',
        'canary:10%:30m',
        '--alarm',
        'demo-errors',
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout).reason).toMatch(/demo-errors|error rate/);
    expect((await operations()).StopDeployment).toBe(1);
    await expectOn('1');
  });

  it('someone stops the deployment mid-hold (aws deploy stop-deployment) → exit 3, cause STOPPED_IN_CODEDEPLOY, not GATE_FAILED', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await init('demo-errors');
    const codeDeploy = sandboxCodeDeploy(env);
    let stopped: Promise<unknown> | undefined;
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--engine',
        'codedeploy',
        '--strategy',
        'canary:10%:30m',
        '--alarm',
        'demo-errors',
        '--no-analysis',
        '--json',
      ],
      {
        // The hold has begun once lshift has polled health at 10%: stop it as the AWS CLI would,
        // without rollback, so lshift has to put the alias back itself.
        onSpawn: (child) => {
          stopped = stderrShows(child, 'health at 10%').then(async () => {
            const { deployments } = await codeDeploy.send(new ListDeploymentsCommand({}));
            const deploymentId = deployments?.[0];
            await codeDeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: false }));
          });
        },
        timeoutMs: 240_000,
      },
    );
    await stopped;
    codeDeploy.destroy();
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expectValidResultOf('deploy', result);
    const id = result.codeDeploy.deploymentId as string;
    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: id } },
      steps: [{ percent: 10, result: 'stopped' }],
    });
    expect(result.reason).toContain('stopped from outside this run');
    await expectOn('1');
  });

  it('--detach prints the deployment id and exits 0; lshift wait follows it to the end and closes the record', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    await init('demo-errors');
    const run = await env.cli([
      'deploy',
      'demo',
      '--engine',
      'codedeploy',
      '--strategy',
      'canary:10%:10m',
      '--detach',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const id = JSON.parse(run.stdout).codeDeploy.deploymentId as string;
    expect(JSON.parse(run.stdout).codeDeploy).toEqual({ deploymentId: id, detached: true });
    // Left to CodeDeploy, not cut short by a signal (schemaVersion 3); valid against the schema.
    expect(JSON.parse(run.stdout).steps.map((s: { result: string }) => s.result)).toEqual(['detached']);
    // Handed over, not interrupted: no signal came (before, INTERRUPTED with left: true).
    expect(JSON.parse(run.stdout).cause).toEqual({ code: 'DETACHED', data: {} });
    expectValidResultOf('deploy', JSON.parse(run.stdout));
    const status = await env.cli(['status', 'demo']);
    expect(status.stdout).toContain(`engine: AWS CodeDeploy, deployment ${id}`);
    const wait = await env.cli(['wait', id, '--interval', '5s'], { timeoutMs: 240_000 });
    expect(wait.code, wait.stderr).toBe(0);
    expect(wait.stdout).toContain(`CodeDeploy deployment ${id} Succeeded: demo:live is on version 2`);
    await expectOn('2');
    expect((await env.status()).record?.phase).toBe('promoted');
  });

  it('Ctrl-C while CodeDeploy shifts stops the deployment with rollback → exit 3 on the stable version', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    await init('demo-errors');
    let sent = false;
    const run = await env.cli(['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:30m'], {
      onSpawn: (child) =>
        void stderrShows(child, 'codedeploy: started deployment').then(() => {
          sent = true;
          child.kill('SIGINT');
        }),
      timeoutMs: 240_000,
    });
    expect(sent, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/interrupted/);
    expect((await operations()).StopDeployment).toBe(1);
    await expectOn('1');
  });
});
