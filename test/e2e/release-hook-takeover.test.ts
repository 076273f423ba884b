import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSED_BY_ROLLBACK } from '../../src/engine/rollback-finished-by.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { RUN_JS, runCli } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';
import { ANALYSIS_WITHOUT_CHANCE } from './sandbox-env.js';

/**
 * `lshift rollback beta` from another terminal while a pre-traffic hook runs — one of the whole
 * release (`cmd:… sleep 600`, run once for alpha, beta and gamma), or alpha's own (`{function}`):
 * the hook's process is ended at the release's next heartbeat, as a single deploy's is, and the
 * release stops for beta: beta is left to the rollback, alpha and gamma are closed rolled back, no
 * alias ever moved. Beta rolled back by that rollback (its alias on its stable version), the release
 * ends rolled back (exit 3, beta `ROLLED_BACK_BY_OTHER`); before, a conflict (exit 5) that a
 * pipeline would retry.
 */

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The hooks: the shell becomes `sleep` (exec), so the pid written is the process that must be
 * ended. Their timeout (an hour, the longest; hook timeouts run on real time) is beyond the test's
 * own: a release that did not end the hook at the takeover runs it until the test times out, and
 * a loaded machine's slow rollback CLI never meets the hook's timeout first (at 2 minutes it could).
 */
const HOOKS = [
  // No `{function}` in it: a hook of the whole release.
  {
    name: 'a hook of the whole release',
    hook: (pidFile: string) => `cmd:echo $$ > ${pidFile}; exec sleep 600`,
  },
  // With `{function}`: each function's own, run in turn; alpha's (the first) sleeps, beta is taken over.
  {
    name: "alpha's own hook",
    hook: (pidFile: string) => `cmd:if [ {function} = alpha ]; then echo $$ > ${pidFile}; exec sleep 600; fi`,
  },
];

describe.each(HOOKS)(
  '$name and `lshift rollback` of another function of the release (built CLI against a sandbox)',
  ({ hook: hookFor }) => {
    let handle: SandboxHandle | undefined;
    let runner: ReturnType<typeof spawn> | undefined;
    let hookPid: number | undefined;
    afterEach(async () => {
      // A failed assertion must not leave the release, or its hook's sleep, running.
      if (runner && runner.exitCode === null) runner.kill('SIGKILL');
      if (hookPid !== undefined && isRunning(hookPid)) process.kill(hookPid, 'SIGKILL');
      runner = undefined;
      hookPid = undefined;
      await handle?.stop();
      handle = undefined;
    });

    it('ends the hook at the next heartbeat and stops the release for that function, rolled back by the rollback (exit 3, ROLLED_BACK_BY_OTHER)', async () => {
      handle = await startSandbox({ speed: 60, seed: 7 });
      for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
      const dir = mkdtempSync(join(tmpdir(), 'lshift-relhook-'));
      const pidFile = join(dir, 'hook.pid');
      const hook = hookFor(pidFile);
      const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
      const deploy = [RUN_JS, 'deploy', ...FNS, ...ANALYSIS_WITHOUT_CHANCE, '--json'];
      runner = spawn(process.execPath, [...deploy, '--pre-hook', hook, '--hook-timeout', '1h'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      runner.stdout?.on('data', (d) => (stdout += d));
      runner.stderr?.on('data', (d) => (stderr += d));
      const child = runner;
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await until(
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
        'the hook running',
      );
      hookPid = Number(readFileSync(pidFile, 'utf8').trim());
      expect(truth(handle).map((t) => t.record?.phase)).toEqual(['pre-hook', 'started', 'started']);

      const rollback = await runCli(['rollback', 'beta', '--json'], { env: { LSHIFT_SANDBOX: handle.url } });
      expect(rollback.code, rollback.stderr).toBe(0);

      expect(await exited, stderr).toBe(3);
      const result = JSON.parse(stdout);
      expect(result.status).toBe('rolled_back');
      expect(result.failed).toMatchObject({ functionName: 'beta' });
      const byName = (name: string) =>
        result.functions.find((f: { functionName: string }) => f.functionName === name);
      expect(byName('beta')).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'ROLLED_BACK_BY_OTHER' },
        // The rollback claims the record first (`rollback:` owner) unless its claim lost to the
        // runner's heartbeat, when it rolls back under the runner's owner and the runner names it
        // CLOSED_BY_ROLLBACK (rollback-finished-by.ts): either is the rollback, which is timing.
        finishedBy: {
          owner: expect.stringMatching(new RegExp(`^(rollback:|${escapeRegExp(CLOSED_BY_ROLLBACK)}$)`)),
        },
      });
      for (const other of ['alpha', 'gamma']) expect(byName(other).status).toBe('rolled_back');
      expect(isRunning(hookPid)).toBe(false);
      for (const t of truth(handle)) {
        expect([t.fn, t.version, t.weights, t.record?.phase]).toEqual([t.fn, '1', {}, 'rolled-back']);
      }
    });
  },
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
