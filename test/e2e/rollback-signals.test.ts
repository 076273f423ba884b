import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { control, untilHeld } from './sandbox-control.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A second Ctrl-C/SIGTERM while `lshift rollback`'s alias write hangs: lshift exits 4 at once.
 * Exit 4 promises the alias it may have left and the exact command that fixes it
 * (docs/exit-codes.md); a bare "run `lshift status` and `lshift rollback`" names neither the
 * function, nor the alias, nor the --to the operator gave. The write is held by the sandbox's
 * control endpoint, so the signals land while it is in flight, not by timing.
 */
describe('lshift rollback and a second signal (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  /** Once the alias write is held: the signal, then again past the duplicate-signal window. */
  function signalTwice(sandbox: SandboxEnv, child: ChildProcess, signal: NodeJS.Signals): void {
    void untilHeld(sandbox).then(async () => {
      const taken = stderrShows(child, `${signal} received`);
      child.kill(signal);
      await taken;
      // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice),
      // counted from when lshift said it took the first one, not from when it was sent: a loaded
      // machine may take the first so late that both fall in one window (one signal, no exit 4).
      await new Promise((resolve) => setTimeout(resolve, 1200));
      child.kill(signal);
    });
  }

  it.each([
    { signal: 'SIGINT' as const, args: ['--to', '2'], fix: 'lshift rollback demo --alias live --to 2' },
    {
      signal: 'SIGTERM' as const,
      args: ['--to', '2', '--json'],
      fix: 'lshift rollback demo --alias live --to 2',
    },
  ])('$signal twice, $args: exit 4 naming demo:live and `$fix`', async ({ signal, args, fix }) => {
    env = await startSandboxEnv({ speed: 60 });
    const sandbox = env;
    expect(await publishDemo(sandbox.handle)).toBe('2');
    await control(sandbox, 'hold', { only: ['UpdateAlias'] });
    const run = await sandbox.cli(['rollback', 'demo', ...args], {
      onSpawn: (child) => signalTwice(sandbox, child, signal),
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(`${signal} again: exiting now (exit 4)`);
    expect(run.stderr).toContain('alias demo:live');
    expect(run.stderr).toContain(`Fix: ${fix}`);
    expect(run.stderr).toContain('lshift status demo --alias live');
    // All on version 1, rolled to 2 in one write: as it was or all on 2, never split (hostile pass).
    expect(run.stderr).toContain('either still all on version 1, or all on version 2');
    expect(run.stderr).not.toContain('may still be split');
    if (args.includes('--json')) {
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 4 });
      expect(report.message).toContain('alias demo:live');
      expect(report.hint).toContain(fix);
    } else {
      // In text stdout says it too, as a normal exit 4 does (stderr may go nowhere).
      expect(run.stdout).toContain(`✖ UNSAFE: ${signal} again: lshift exited`);
      expect(run.stdout).toContain('alias demo:live');
      expect(run.stdout).toContain(`Fix: ${fix}`);
    }
  });
});
