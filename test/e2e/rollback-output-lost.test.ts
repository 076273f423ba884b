import { closeSync, existsSync, openSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A check (or a deploy, in text) that rolled back with its stdout going nowhere (`> /dev/full`, a
 * full disk): its report of the rollback was lost, and it kept its exit code (3) without a word
 * of that on stderr — lost-output.ts counted check as read-only and let any non-zero exit without
 * --json pass silently. Now it warns, as a deploy that promoted does, and keeps its code.
 */
describe.runIf(existsSync('/dev/full'))(
  'a rollback whose report cannot be written (built CLI, /dev/full)',
  () => {
    let env: SandboxEnv | undefined;
    let full: number | undefined;
    afterEach(async () => {
      if (full !== undefined) closeSync(full);
      full = undefined;
      await env?.stop();
      env = undefined;
    });

    const lost =
      'Warning [OUTPUT_LOST]: could not write to standard output (ENOSPC: no space left on device)';

    it('a check that rolled back: exit 3, and says its report is lost', async () => {
      env = await startSandboxEnv({ preset: 'healthy' });
      // --no-analysis: the judge may roll back equal versions by chance (≤ 1%, docs/analysis.md).
      const deploy = await env.cli([
        'deploy',
        'demo',
        '--strategy',
        'all-at-once',
        '--alarm',
        'demo-errors',
        '--no-analysis',
      ]);
      expect(deploy.code, deploy.stderr).toBe(0);
      env.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
      const until = env.handle.state.simNow() + 4 * 60_000;
      while (env.handle.state.simNow() < until) await new Promise((r) => setTimeout(r, 20));

      full = openSync('/dev/full', 'w');
      const check = await env.cli(['check', '--alarm', '{function}-errors', '--window', '12h'], {
        stdoutFd: full,
      });
      expect(check.code, check.stderr).toBe(3);
      expect(check.stderr).toContain(lost);
      expect(check.stderr).toContain('the exit code (3) still tells what happened');
      expect(readTruth(env).functionVersion).toBe('1');
    });

    it('a deploy that rolled back, in text: exit 3, and says its result is lost', async () => {
      env = await startSandboxEnv({ preset: 'bad' });
      full = openSync('/dev/full', 'w');
      const run = await env.cli(['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors'], {
        stdoutFd: full,
      });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain(lost);
      expect(run.stderr).toContain('the exit code (3) still tells what happened');
    });
  },
);
