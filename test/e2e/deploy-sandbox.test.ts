import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { readTruth } from './crash-helpers.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The built CLI against a real sandbox: the product's main job, end to end. A healthy version's
 * deploy runs with --no-analysis: the judge may roll back equal versions by chance (≤ 1% of
 * deployments, by design: docs/analysis.md); its verdicts are tested in analysis.test.ts.
 */
describe('lshift deploy against a sandbox (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('promotes a healthy version through every linear step (exit 0)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const args = ['deploy', 'demo', '--strategy', 'Linear10PercentEvery1Minute', '--alarm', 'demo-errors'];
    const run = await env.cli([...args, '--no-analysis', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'promoted',
      functionName: 'demo',
      alias: 'live',
      fromVersion: '1',
      toVersion: '2',
    });
    expect(result.steps.map((s: { percent: number }) => s.percent)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    const status = await env.status();
    expect(status.functionVersion).toBe('2');
    expect(status.additionalWeights).toEqual({});
    expect(status.record?.phase).toBe('promoted');
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own, deploys and says the same.
    const fresh = freshSandbox({ preset: 'healthy' });
    // The alarm's own reason in the verdicts is masked by sameRunShape (timing, not lshift's words).
    await expectBuiltCliRunsAlike(run, [...args, '--no-analysis', '--json'], { fresh });
  });

  it('rolls a bad version back during the canary step: exit 3, alias back on the stable version', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'bad' });
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.reason).toMatch(/step 1 \(10%\)/);
    expect(result.steps).toHaveLength(1);
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
    expect(status.record?.phase).toBe('rolled-back');
  });

  it('reaches the same outcomes when 10% of API calls are throttled, fail with 5xx or are reset', async () => {
    // Each call's last attempt is spared, so the SDK's retries absorb every fault: this test
    // proves the outcome survives retried calls (a 5xx, a 429, a reset on any call, the alias
    // writes included). Drawn on every attempt, three faults in a row on one write is a matter of
    // odds: in one CI run the promotion write failed so and the healthy deploy rolled back.
    const faults = (['throttle', '5xx', 'reset'] as const).map((kind) => ({
      type: 'api' as const,
      kind,
      rate: 0.1 / 3,
      spareLastAttempt: true,
    }));
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', scenario: { faults } });
    const healthy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:25%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--json',
    ]);
    expect(healthy.code, healthy.stderr).toBe(0);
    await env.stop();
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'bad', scenario: { faults } });
    const bad = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--json',
    ]);
    expect(bad.code, bad.stderr).toBe(3);
    expect((await env.status()).functionVersion).toBe('1');
  });

  it('status --watch follows a deployment from another process until it ends', async () => {
    // The deploy waits in a pre-traffic hook from the moment its record exists until the watcher
    // has shown that deployment, however long the watcher takes to start on a loaded machine: the
    // hook ends when the test says so (a file appears), not on a timer. A deploy keeps writing
    // its heartbeat while a hook runs, so its record never looks dead to the watcher however
    // late it starts (the hook's 1 h timeout is real time at any speed: docs/hooks.md). Two steps
    // after the hook (3 real s each at 20×), not four: the watcher follows to the end either way.
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 20 });
    const sandbox = env;
    const release = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-')), 'go');
    // A started CLI, as the title says: the watcher follows a deployment another process runs.
    const deploying = runCli(
      [
        'deploy',
        'demo',
        '--strategy',
        'linear:50%:1m',
        '--alarm',
        'demo-errors',
        '--no-analysis',
        '--pre-hook',
        `cmd:while [ ! -e '${release}' ]; do sleep 0.05; done`,
        '--hook-timeout',
        '1h',
      ],
      { env: { LSHIFT_SANDBOX: sandbox.handle.url } },
    );
    await waitUntil(
      () => readTruth(sandbox).record?.phase === 'pre-hook',
      'the deploy runs its pre-traffic hook',
    );
    let shown = '';
    const watch = await env
      .cli(['status', 'demo', '--watch', '--interval', '15s'], {
        onSpawn: (child) =>
          child.stdout?.on('data', (chunk: Buffer) => {
            shown += chunk.toString();
            if (/deployment d-\w+: /.test(shown)) writeFileSync(release, '');
          }),
      })
      .finally(() => writeFileSync(release, ''));
    const deployed = await deploying;
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(watch.code, watch.stderr).toBe(0);
    expect(watch.stdout).toMatch(/deployment d-\w+: pre-hook/);
    expect(watch.stdout.trim().split('\n\n').at(-1)).toMatch(/deployment d-\w+: promoted/);
  });

  // Decided (docs/hooks.md, Timeouts): a hook's limit is real time, also under a sped-up sandbox.
  // On the sandbox's clock, 60 s at --speed 6000 would be 10 real ms, shorter than the hook.
  it('a hook’s --hook-timeout counts real time under --speed: a 0.5 s hook passes a 60 s limit at --speed 6000', async () => {
    const run = await runCli([
      'deploy',
      'demo',
      '--sandbox',
      '--speed',
      '6000',
      '--strategy',
      'all-at-once',
      '--no-analysis',
      '--pre-hook',
      'cmd:sleep 0.5',
      '--hook-timeout',
      '60s',
      '--progress',
      'ndjson',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const completed = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((event) => event.type === 'hook.completed');
    expect(completed).toMatchObject({ phase: 'pre', ok: true });
    // Reported in real ms too: at least the half second it slept, not 6000 times that.
    expect(completed.durationMs).toBeGreaterThanOrEqual(500);
    expect(completed.durationMs).toBeLessThan(60_000);
  });

  it('runs the README quick start in-process (--sandbox): healthy exits 0, bad exits 3', async () => {
    const healthy = await runCli([
      'deploy',
      'demo',
      '--sandbox',
      '--strategy',
      'Linear10PercentEvery1Minute',
      '--speed',
      '600',
      '--no-analysis',
    ]);
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout).toContain('Promoted demo:live to version 2');
    expect(healthy.stderr).toContain('step 10/10: shifting to 100%');
    const bad = await runCli([
      'deploy',
      'demo',
      '--sandbox',
      '--sandbox-scenario',
      'bad',
      '--strategy',
      'Canary10Percent5Minutes',
      '--speed',
      '600',
      '--json',
    ]);
    expect(bad.code, bad.stderr).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ status: 'rolled_back', fromVersion: '1' });
  });
});
