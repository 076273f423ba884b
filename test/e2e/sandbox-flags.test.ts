import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * `lshift sandbox` flags a careless operator types: an empty value (an unset variable,
 * `--state "$STATE"`) and a host name that does not resolve. Each is refused before anything
 * listens (INVALID_FLAG, exit 2), instead of: `--host ''` printing SANDBOX_SEED_FAILED and then
 * never exiting (the server it had started kept the process alive); `--host nope.invalid` being
 * an INTERNAL "bug in lshift"; `--state ''` and `--scenario ''` silently running without them
 * (the world lost at exit).
 */
describe('lshift sandbox: bad flag values are refused at once (built CLI)', () => {
  it.each([
    { args: ['--host', ''], message: '--host is empty.' },
    { args: ['--host', '  '], message: '--host is empty.' },
    { args: ['--host', 'nope.invalid'], message: '--host nope.invalid is not an address of this machine' },
    { args: ['--state', ''], message: '--state is empty.' },
    { args: ['--scenario', ''], message: '--scenario is empty.' },
  ])('sandbox $args: INVALID_FLAG, exit 2', async ({ args, message }) => {
    const run = await runCli(['sandbox', '--port', '0', ...args, '--json'], { timeoutMs: 30_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ status: 'error', code: 'INVALID_FLAG', exitCode: 2 });
    expect(error.message).toContain(message);
  });
});

// Found by a hostile pass: a typo'd --state folder was created, whole tree, without a word.
describe('lshift sandbox --state in a folder that does not exist (built CLI)', () => {
  it('is refused before it listens: SANDBOX_STATE_UNWRITABLE, exit 2, naming the folder; nothing created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-sbfolder-'));
    const folder = join(dir, 'no', 'such');
    const run = await runCli(['sandbox', '--port', '0', '--state', join(folder, 's.json'), '--json'], {
      timeoutMs: 30_000,
    });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ status: 'error', code: 'SANDBOX_STATE_UNWRITABLE', exitCode: 2 });
    expect(error.message).toContain(`The folder ${folder} of the sandbox state file`);
    expect(error.hint).toContain(`mkdir -p ${folder}`);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});

/**
 * The terminal a sandbox runs in is closed (SIGHUP), or a supervisor stops it (SIGTERM): it
 * stops as on Ctrl-C, its lock file given back. SIGHUP killed it outright (Node's default), lock
 * file left behind, where every other lshift command treats SIGHUP as it treats SIGTERM.
 */
describe('lshift sandbox stops cleanly on every stop signal (built CLI)', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s: exit 0, "Sandbox stopped.", its lock file removed',
    async (signal) => {
      const state = join(mkdtempSync(join(tmpdir(), 'lshift-sbsignal-')), 'world.json');
      let child: ChildProcess | undefined;
      let printed = '';
      let ready: () => void = () => {};
      const listening = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const run = runCli(['sandbox', '--port', '0', '--no-demo', '--state', state], {
        timeoutMs: 30_000,
        onSpawn: (c) => {
          child = c;
          c.stdout?.on('data', (chunk: Buffer) => {
            printed += chunk.toString();
            if (/export LSHIFT_SANDBOX=\S+\n/.test(printed)) ready();
          });
        },
      });
      await listening;
      expect(existsSync(`${state}.lock`)).toBe(true);
      child?.kill(signal);
      const stopped = await run;
      expect(stopped.code, `${stopped.signal} ${stopped.stderr}`).toBe(0);
      expect(stopped.stdout).toContain('Sandbox stopped.');
      expect(existsSync(`${state}.lock`)).toBe(false);
    },
  );
});
