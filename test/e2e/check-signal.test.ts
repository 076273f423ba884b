import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { stderrShows } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { type SandboxEnv, useProxiedSandbox } from './sandbox-env.js';

/**
 * SIGTERM (a scheduler stopping its job) while `lshift check` rolls back the first of two bad
 * functions: that rollback is finished (alias and record), the second function is left untouched,
 * and the check exits 130 with one line saying so. The moment is an event: the proxy holds the
 * first UpdateAlias until the CLI said it heard the signal.
 */
describe('lshift check and SIGTERM (built CLI against a sandbox)', () => {
  const faulty = useProxiedSandbox();

  const aliasOf = (env: SandboxEnv, fn: string) => {
    const data = env.handle.state.data.functions[fn]!;
    return { version: data.aliases.live!.functionVersion, tag: data.tags['lshift:live'] ?? '' };
  };

  it('finishes the rollback under way, leaves the next function untouched, exits 130', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy' });
    await seedDemo(env.handle, { functionName: 'alpha', ...DEMO_SCENARIOS.healthy });
    for (const fn of ['alpha', 'demo']) {
      const deploy = await env.cli(['deploy', fn, '--strategy', 'all-at-once', '--alarm', `${fn}-errors`]);
      expect(deploy.code, deploy.stderr).toBe(0);
      env.handle.state.addFaults([{ type: 'version', function: fn, version: '2', errorRate: 0.5 }]);
    }
    // Both alarms fire within a few simulated minutes (the check reads them itself).
    const until = env.handle.state.simNow() + 4 * 60_000;
    await waitUntil(() => env.handle.state.simNow() >= until, 'four simulated minutes');

    const hold = await faulty.proxy();
    hold.arm({ fault: 'hold', match: { method: 'PUT', path: /\/aliases\/live$/ } });
    const run = await env.cli(
      ['check', 'alpha', 'demo', '--alarm', '{function}-errors', '--window', '12h', '--json'],
      {
        env: { LSHIFT_SANDBOX: hold.url },
        onSpawn: (child) => {
          void hold.waitForHeld().then(async () => {
            child.kill('SIGTERM');
            await stderrShows(child, 'SIGTERM received');
            hold.releaseHeld();
          });
        },
      },
    );

    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(run.stderr).toContain('SIGTERM received: finishing the function being checked, then stopping');
    expect(run.stderr).toContain(
      'lshift check interrupted by SIGTERM: stopped between functions (1 rolled back); 1 function left untouched, not checked — run lshift check again.',
    );
    const report = JSON.parse(run.stdout);
    expectValidResultOf('check', report);
    expect(report.interrupted).toBe('interrupted by SIGTERM');
    expect(
      report.results.map((r: { functionName: string; action: string }) => [r.functionName, r.action]),
    ).toEqual([
      ['alpha', 'rolled_back'],
      ['demo', 'skipped'],
    ]);
    expect(report.results[1].interrupted).toBe(true);
    // alpha: back on version 1, its record closed; demo: untouched.
    expect(aliasOf(env, 'alpha').version).toBe('1');
    expect(aliasOf(env, 'alpha').tag).toContain('rolled-back');
    expect(aliasOf(env, 'demo').version).toBe('2');
    expect(aliasOf(env, 'demo').tag).toContain('promoted');
  });

  /**
   * SIGTERM while the check only reads (its alarm read hangs): it stops at once, and its notice
   * says so. It said "finishing the function being checked, then stopping" of a check that had
   * nothing to finish.
   */
  it('says it stops now when signalled while it only reads, and does', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy' });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors']);
    expect(deploy.code, deploy.stderr).toBe(0);

    const stall = await faulty.proxy();
    stall.arm({ fault: 'stall', match: { target: 'DescribeAlarms' }, times: Number.POSITIVE_INFINITY });
    const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--json'], {
      env: { LSHIFT_SANDBOX: stall.url },
      onSpawn: (child) => {
        void stall.waitFor({ target: 'DescribeAlarms' }).then(() => child.kill('SIGTERM'));
      },
    });

    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(run.stderr).toContain('SIGTERM received: stopping now: nothing was being written');
    expect(run.stderr).not.toContain('finishing the function being checked');
    const report = JSON.parse(run.stdout);
    expect(report.results.map((r: { action: string }) => r.action)).toEqual(['skipped']);
    expect(aliasOf(env, 'demo').version).toBe('2');
  });

  /**
   * A second signal while that rollback's alias write hangs exits 4 at once. Exit 4 promises the
   * alias it may have left and the command that fixes it: it said only "run `lshift status` and
   * `lshift rollback`", naming neither the functions checked nor that the same check finishes it.
   */
  it.each([
    {
      named: ['demo'],
      lines: [
        'check of demo:live',
        'lshift status demo --alias live',
        'Fix: lshift rollback demo --alias live',
      ],
    },
    {
      named: [],
      lines: ['the function being rolled back', 'Fix: run the same `lshift check` again'],
    },
  ])(
    'a second SIGINT while the rollback hangs (functions named: $named): exit 4 naming the fix',
    async ({ named, lines }) => {
      const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy' });
      const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors']);
      expect(deploy.code, deploy.stderr).toBe(0);
      env.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
      const until = env.handle.state.simNow() + 4 * 60_000;
      await waitUntil(() => env.handle.state.simNow() >= until, 'four simulated minutes');

      const hold = await faulty.proxy();
      hold.arm({ fault: 'hold', match: { method: 'PUT', path: /\/aliases\/live$/ } });
      const run = await env.cli(['check', ...named, '--alarm', 'demo-errors', '--window', '12h'], {
        env: { LSHIFT_SANDBOX: hold.url },
        onSpawn: (child) => {
          void hold.waitForHeld().then(async () => {
            child.kill('SIGINT');
            await stderrShows(child, 'SIGINT received');
            // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice).
            await new Promise((resolve) => setTimeout(resolve, 1200));
            child.kill('SIGINT');
          });
        },
      });
      expect(run.code, run.stdout + run.stderr).toBe(4);
      expect(run.stderr).toContain('SIGINT again: exiting now (exit 4)');
      for (const line of lines) expect(run.stderr).toContain(line);
    },
  );
});

// The deploys that set these tests up go through this worker's process (IN_PROCESS_E2E); their
// built-CLI twins: the deploy files' (check.test.ts's, with an alarm). The signalled checks are
// started CLIs.
