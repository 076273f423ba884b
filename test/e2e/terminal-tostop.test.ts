/**
 * `stty tostop` and a deploy started in the background of a terminal (`lshift deploy … &`): the
 * kernel stops a background job that writes to such a terminal (SIGTTOU), which stopped lshift at
 * its first line of progress, before the shift or in the middle of it, with nobody watching.
 * lshift holds its terminal output while it is such a job and writes it when it is brought to the
 * foreground (`fg`) — here after the deployment has finished by itself in the background.
 *
 * The terminal is a real one (test/helpers/pty-run.py), with a job-control shell in it (bash,
 * `set -m`): the job gets its own process group, the shell stays in the foreground reading a line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The shell in the terminal: the deploy as a background job, then `fg` once Enter is pressed. */
const SHELL = 'set -m; stty tostop; "$@" & read _; echo "(fg)"; fg; echo "lshift exited $?"';

describe('deploy in the background of a `stty tostop` terminal (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('runs the shift to the end in the background, and shows its output at fg (exit 0)', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const sandbox = env;
    const { CI: _ci, ...rest } = process.env;
    const deploy = ['deploy', 'demo', '--strategy', 'linear:50%:1m', '--alarm', 'demo-errors'];
    const child = spawn(
      'python3',
      [PTY_RUN, 'bash', '--norc', '--noprofile', '-c', SHELL, 'job', process.execPath, RUN_JS, ...deploy],
      {
        env: { ...rest, TERM: 'xterm-256color', LC_ALL: 'C.UTF-8', LSHIFT_SANDBOX: sandbox.handle.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const ceiling = setTimeout(() => child.kill('SIGKILL'), 90_000);
    try {
      // The deployment ends by itself while the job is in the background: a stopped lshift
      // would leave the record `shifting` until the ceiling.
      while (readTruth(sandbox).record?.phase !== 'promoted') {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`ended early: ${log} ${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Nothing of it reached the terminal meanwhile: held, not written (and stopped).
      expect(screen.replace(ANSI, '')).not.toContain('Preflight passed');
      child.stdin.write('enter\n');
      await closed;
    } finally {
      clearTimeout(ceiling);
      child.kill('SIGKILL');
    }
    const shown = screen.replace(ANSI, '');
    expect(log).toContain('pty-run: exit 0');
    expect(shown).toContain('lshift exited 0');
    const afterFg = shown.slice(shown.indexOf('(fg)'));
    expect(afterFg).toContain('Preflight passed: version 1 → 2');
    expect(afterFg).toContain('Promoted demo:live to version 2');
    // In the order written: the progress (stderr) before the result (stdout).
    expect(afterFg.indexOf('Preflight passed')).toBeLessThan(afterFg.indexOf('Promoted demo:live'));
    expect(readTruth(sandbox)).toMatchObject({ functionVersion: '2', weights: {} });
  });
});
