import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Ctrl-C/SIGTERM during `lshift alias` (found by a hostile pass: the process died 143/130 printing
 * nothing, and its write landed after). Before the write it stops with nothing written (exit 1);
 * once the write is sent it finishes; a second signal exits 4 saying the write may have landed.
 * The sandbox's control endpoint holds the chosen request, so the signals land while it is in
 * flight, not by timing.
 */
/** SIGTERM, once lshift said it took it, then again past the window a repeat counts as the same (interrupts.ts). */
async function sigtermTwice(child: ChildProcess): Promise<void> {
  const taken = stderrShows(child, 'SIGTERM received');
  child.kill('SIGTERM');
  await taken;
  await new Promise((resolve) => setTimeout(resolve, 1200));
  child.kill('SIGTERM');
}

describe('lshift alias and signals (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  async function published(): Promise<SandboxEnv> {
    env = await startSandboxEnv({ inProcess: runCliInProcess, speed: 60 });
    const publish = await env.cli(['publish', 'demo']);
    expect(publish.code, publish.stderr).toBe(0);
    return env;
  }

  async function aliasVersion(sandbox: SandboxEnv): Promise<string> {
    const status = await sandbox.cli(['status', 'demo', '--json']);
    return (JSON.parse(status.stdout) as { functionVersion: string }).functionVersion;
  }

  it('one SIGTERM while the write is in flight: the write finishes, exit 0, and the signal is said', async () => {
    const sandbox = await published();
    await control(sandbox, 'hold', { only: ['UpdateAlias'] });
    const run = await sandbox.cli(['alias', 'demo', 'live', '2'], {
      onSpawn: (child: ChildProcess) =>
        void untilHeld(sandbox).then(async () => {
          const taken = stderrShows(child, 'SIGTERM received');
          child.kill('SIGTERM');
          await taken;
          await control(sandbox, 'release', {});
        }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('SIGTERM received: stopping before the alias write');
    expect(run.stdout).toContain('Alias demo:live → version 2');
    expect(await aliasVersion(sandbox)).toBe('2');
  });

  it('SIGTERM twice while the write is in flight: exit 4, the write may have landed, and how to look', async () => {
    const sandbox = await published();
    await control(sandbox, 'hold', { only: ['UpdateAlias'] });
    const run = await sandbox.cli(['alias', 'demo', 'live', '2', '--json'], {
      onSpawn: (child: ChildProcess) => void untilHeld(sandbox).then(() => sigtermTwice(child)),
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('SIGTERM again: exiting now (exit 4) with the alias write in flight');
    expect(run.stderr).toContain('may have landed');
    expect(run.stderr).toContain('lshift status demo --alias live');
    expect(run.stderr).toContain('Fix: lshift alias demo live 2');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 4 });
  });

  // The fix acted on the default region (h2's pass, session 65): it names the run's --region,
  // on stderr and in --json's hint, as a deploy's second signal does.
  it('SIGTERM twice: the Fix names the region the run was given', async () => {
    const sandbox = await published();
    await control(sandbox, 'hold', { only: ['UpdateAlias'] });
    const run = await sandbox.cli(['alias', 'demo', 'live', '2', '--region', 'us-east-1', '--json'], {
      onSpawn: (child: ChildProcess) => void untilHeld(sandbox).then(() => sigtermTwice(child)),
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('Fix: lshift alias demo live 2 --region us-east-1\n');
    expect(run.stderr).toContain('`lshift status demo --alias live --region us-east-1`');
    expect(JSON.parse(run.stdout).hint).toContain('lshift alias demo live 2 --region us-east-1');
  });

  it('SIGTERM twice once the write was answered (the record read held): exit 4, the alias said moved, not "may have landed"', async () => {
    const sandbox = await published();
    // The alias write is applied and answered; the record read that follows it (its close) is held.
    await control(sandbox, 'hold', { after: 'UpdateAlias', count: 1 });
    const run = await sandbox.cli(['alias', 'demo', 'live', '2'], {
      onSpawn: (child: ChildProcess) => void untilHeld(sandbox).then(() => sigtermTwice(child)),
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(
      'SIGTERM again: exiting now (exit 4) with the alias moved, closing its deployment record',
    );
    expect(run.stderr).toContain('Alias demo:live points at version 2 (its write was answered)');
    expect(run.stderr).not.toContain('may have landed');
    expect(run.stderr).toContain('Fix: lshift alias demo live 2');
    await control(sandbox, 'release', { drop: true });
    expect(await aliasVersion(sandbox)).toBe('2');
  });

  it('SIGINT before the write (a read held): exit 1 INTERRUPTED, nothing written', async () => {
    const sandbox = await published();
    await control(sandbox, 'hold', { only: ['GetAlias'] });
    const run = await sandbox.cli(['alias', 'demo', 'live', '2', '--json'], {
      onSpawn: (child: ChildProcess) =>
        void untilHeld(sandbox).then(() => {
          child.kill('SIGINT');
        }),
    });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 1 });
    await control(sandbox, 'release', { drop: true });
    expect(await aliasVersion(sandbox)).toBe('1');
  });
});

// The runs here without a signal (publish, status --json) go through this worker's process
// (IN_PROCESS_E2E); their built-CLI twins: commands.test.ts (publish) and status-record.test.ts
// (status --json). The signalled alias writes are started CLIs.
