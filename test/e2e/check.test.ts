import { afterEach, describe, expect, it } from 'vitest';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The scheduled rollback check, through the built CLI, after a deploy finished. */
describe('lshift check (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function waitForSimulatedTime(target: SandboxEnv, atMs: number): Promise<void> {
    while (target.handle.state.simNow() < atMs) await new Promise((r) => setTimeout(r, 20));
  }

  it('rolls back a finished deployment whose alarm fires later (exit 3), and leaves a healthy one alone (exit 0)', async () => {
    // Version 2 is healthy when deployed; it goes bad when the test says so, after the deploy and
    // the first check (a fault at a fixed simulated minute is missed when CLI start-ups are slow).
    env = await startSandboxEnv({ preset: 'healthy' });
    const deploy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--json',
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);

    const healthy = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--json']);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(JSON.parse(healthy.stdout).results[0]).toMatchObject({ functionName: 'demo', action: 'healthy' });
    expect(readTruth(env).functionVersion).toBe('2');

    env.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
    await waitForSimulatedTime(env, env.handle.state.simNow() + 4 * 60_000);
    const fired = await env.cli(['check', '--alarm', '{function}-errors', '--window', '12h', '--json']);
    expect(fired.code, fired.stdout + fired.stderr).toBe(3);
    expect(JSON.parse(fired.stdout).results[0]).toMatchObject({
      functionName: 'demo',
      action: 'rolled_back',
      toVersion: '1',
    });
    expect(readTruth(env)).toMatchObject({ functionVersion: '1', weights: {} });
  });

  it('skips a deployment that finished outside the window', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors']);
    expect(deploy.code, deploy.stderr).toBe(0);
    await waitForSimulatedTime(env, env.handle.state.simNow() + 3 * 60_000);
    const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '1m']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SKIPPED\s+demo:live/);
  });

  it('refuses a --stale-after shorter than 2m (exit 2, naming both values) before any AWS call', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const operations = async () => (await fetch(`${env!.handle.url}/__lshift/operations`)).json();
    const before = await operations();
    const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--stale-after', '90s']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('Error [STALE_AFTER_INVALID]: --stale-after `90s` is shorter than 2m');
    expect(run.stderr).toContain('(--interval, up to 1m)');
    expect(await operations()).toEqual(before);
    const longer = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--stale-after', '2m']);
    expect(longer.code, longer.stderr).toBe(0);
  });
});
