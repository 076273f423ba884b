import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { readTruth } from './crash-helpers.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

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

  // Found by a hostile pass: `--alias prdo` (or the wrong region) said only "No lshift deployments
  // to check.", exit 0, at every run.
  it('finding no record says which alias it looked for, and where (exit 0)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const run = await env.cli(['check', '--alias', 'prdo', '--alarm', 'demo-errors']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('No lshift deployments to check: no function in sandbox http://127.0.0.1:');
    expect(run.stdout).toContain('carries a deployment record for alias prdo (tag `lshift:prdo`).');
  });

  it('rolls back a finished deployment whose alarm fires later (exit 3), and leaves a healthy one alone (exit 0)', async () => {
    // Version 2 is healthy when deployed; it goes bad when the test says so, after the deploy and
    // the first check (a fault at a fixed simulated minute is missed when CLI start-ups are slow).
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    // --no-analysis: the judge may roll back equal versions by chance (≤ 1%, docs/analysis.md).
    const deployArgs = [
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--json',
    ];
    const checkArgs = ['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--json'];
    const deploy = await env.cli(deployArgs);
    expect(deploy.code, deploy.stderr).toBe(0);

    const healthy = await env.cli(checkArgs);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(JSON.parse(healthy.stdout).results[0]).toMatchObject({ functionName: 'demo', action: 'healthy' });
    expect(readTruth(env).functionVersion).toBe('2');

    env.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
    await waitForSimulatedTime(env, env.handle.state.simNow() + 4 * 60_000);
    const firedArgs = ['check', '--alarm', '{function}-errors', '--window', '12h', '--json'];
    const fired = await env.cli(firedArgs);
    expect(fired.code, fired.stdout + fired.stderr).toBe(3);
    expect(JSON.parse(fired.stdout).results[0]).toMatchObject({
      functionName: 'demo',
      action: 'rolled_back',
      toVersion: '1',
    });
    expect(readTruth(env)).toMatchObject({ functionVersion: '1', weights: {} });
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own made alike (the
    // deploy, a healthy check, then the fault), rolls back and says the same.
    const fresh = freshSandbox({ inProcess: runCliInProcess, preset: 'healthy' }, async (sandbox) => {
      const made = await sandbox.cli(deployArgs);
      expect(made.code, made.stderr).toBe(0);
      const before = await sandbox.cli(checkArgs);
      expect(before.code, before.stdout + before.stderr).toBe(0);
      sandbox.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
      await waitForSimulatedTime(sandbox, sandbox.handle.state.simNow() + 4 * 60_000);
      return undefined;
    });
    await expectBuiltCliRunsAlike(fired, firedArgs, { fresh });
  });

  it('rolls back a finished deployment whose alarm went to ALARM and back since (exit 3), naming when', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const deploy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'all-at-once',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--json',
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    // A 10-second alarm fires and clears between two cron runs: OK again when the check reads it.
    const setAlarmState = async (StateValue: string) => {
      const res = await fetch(`${env!.handle.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'GraniteServiceVersion20100801.SetAlarmState',
        },
        body: JSON.stringify({
          AlarmName: 'demo-errors',
          StateValue,
          StateReason: `flap drill: ${StateValue}`,
        }),
      });
      expect(res.status).toBe(200);
    };
    await setAlarmState('ALARM');
    await setAlarmState('OK');

    const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const [result] = JSON.parse(run.stdout).results;
    expect(result).toMatchObject({ functionName: 'demo', action: 'rolled_back', toVersion: '1' });
    expect(readTruth(env).functionVersion).toBe('1');
    expect(result.reason).toMatch(
      /^lshift check: alarm demo-errors went to ALARM at \d{4}-\d\d-\d\dT[\d:.]+Z \(flap drill: ALARM\) and cleared before this check \(OK now\) after deployment d-\w+ promoted version 2 /,
    );
  });

  it('skips a deployment that finished outside the window', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors']);
    expect(deploy.code, deploy.stderr).toBe(0);
    await waitForSimulatedTime(env, env.handle.state.simNow() + 3 * 60_000);
    const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '1m']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SKIPPED\s+demo:live/);
  });

  it('refuses a --stale-after shorter than 2m (exit 2, naming both values) before any AWS call', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
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

  it('checks each function on its config file entry’s own alias and alarms; --alias and --alarm apply to all', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await seedDemo(env.handle, { functionName: 'alpha', alias: 'prod', ...DEMO_SCENARIOS.healthy });
    const file = join(mkdtempSync(join(tmpdir(), 'lshift-check-')), 'lshift.config.yaml');
    // No top-level alarms: each entry brings its own.
    writeFileSync(
      file,
      'functions:\n  - name: alpha\n    alias: prod\n    alarms: ["{function}-errors"]\n  - name: demo\n    alarms: [demo-errors]\n',
    );
    const deploy = await env.cli(['deploy', '--config', file, '--strategy', 'all-at-once', '--json']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const checked = (stdout: string) =>
      JSON.parse(stdout).results.map((r: { functionName: string; alias: string; action: string }) => [
        `${r.functionName}:${r.alias}`,
        r.action,
      ]);

    const named = await env.cli(['check', 'alpha', 'demo', '--config', file, '--window', '12h', '--json']);
    expect(named.code, named.stdout + named.stderr).toBe(0);
    expect(checked(named.stdout)).toEqual([
      ['alpha:prod', 'healthy'],
      ['demo:live', 'healthy'],
    ]);
    // Without names every function with a record, each on its own alias; the alarms must then
    // cover functions the file does not list.
    const all = ['check', '--config', file, '--window', '12h', '--json'];
    const bare = await env.cli(all);
    expect(bare.code, bare.stdout).toBe(2);
    expect(JSON.parse(bare.stdout)).toMatchObject({ code: 'CHECK_NO_ALARMS' });
    const listed = await env.cli([...all, '--alarm', '{function}-errors']);
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
    expect(checked(listed.stdout)).toEqual([
      ['alpha:prod', 'healthy'],
      ['demo:live', 'healthy'],
    ]);
    // --alias wins over the entry's: alpha has no alias live, an error (a typo must not pass as skipped).
    const forced = await env.cli(['check', 'alpha', '--config', file, '--alias', 'live', '--json']);
    expect(checked(forced.stdout)).toEqual([['alpha:live', 'error']]);
    expect(JSON.parse(forced.stdout).results[0].reason).toMatch(
      /^alias live of function alpha does not exist/,
    );

    // alpha goes bad: its own alias is what the check rolls back — and demo:live with it, found
    // by its record: the deploy of both was one release, and one verdict holds for a release at
    // every alias (it looked at prod only, and left demo on the version judged bad; session 60).
    env.handle.state.addFaults([{ type: 'version', function: 'alpha', version: '2', errorRate: 0.5 }]);
    await waitForSimulatedTime(env, env.handle.state.simNow() + 4 * 60_000);
    const fired = await env.cli(['check', 'alpha', '--config', file, '--window', '12h', '--json']);
    expect(fired.code, fired.stdout + fired.stderr).toBe(3);
    expect(checked(fired.stdout)).toEqual([
      ['alpha:prod', 'rolled_back'],
      ['demo:live', 'rolled_back'],
    ]);
    expect(JSON.parse(fired.stdout).results[1].reason).toContain(
      'found by its record, not named to the check',
    );
  });
});
