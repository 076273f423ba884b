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
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * The shell in the terminal: the deploy as a background job, then `fg` once Enter is pressed.
 * `fg` again while the job is still there: bash may not have collected the job's stop (at exit,
 * below) while it sat in `read`, and its `fg` then returns at once on that stale report
 * ("Stopped", status 150) though the job runs on — seen in CI, a race in the shell, not lshift.
 */
const SHELL =
  'set -m; stty tostop; "$@" & echo "job pid $!"; read _; echo "(fg)"; ' +
  'while :; do fg; rc=$?; jobs %1 >/dev/null 2>&1 || break; done; echo "lshift exited $rc"';

/** The state letter of a process (proc(5): R, S, T for stopped…), or undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

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
      const tick = () => new Promise((r) => setTimeout(r, 50));
      const ended = () => child.exitCode !== null || child.signalCode !== null;
      let pid: number | undefined;
      while (pid === undefined && !ended()) {
        pid = Number(/job pid (\d+)/.exec(screen)?.[1]) || undefined;
        await tick();
      }
      if (pid === undefined) throw new Error(`no job started: ${log} ${screen}`);
      // The deployment ends by itself while the job is in the background, never stopped on
      // the way (before: stopped by SIGTTOU at its first line of progress).
      while (readTruth(sandbox).record?.phase !== 'promoted') {
        if (ended()) throw new Error(`ended early: ${log} ${screen}`);
        expect(processState(pid), 'lshift stopped before the deployment ended').not.toBe('T');
        await tick();
      }
      // Done, it writes what it held, and the kernel stops it there. Enter (then `fg`) only once
      // it is stopped: a job stopping while bash's `fg` continues it is reported "Stopped" by
      // bash although it runs on (a race in the shell, not in lshift).
      while (processState(pid) !== 'T') {
        if (ended() || processState(pid) === undefined) throw new Error(`not stopped at exit: ${screen}`);
        await tick();
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
    // At most bash's one stale report of the stop at exit (see SHELL); `lshift exited 0` above
    // says the job ran to its end once in the foreground.
    expect(afterFg.match(/Stopped/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(afterFg).toContain('Preflight passed: version 1 → 2');
    expect(afterFg).toContain('Promoted demo:live to version 2');
    // In the order written: the progress (stderr) before the result (stdout).
    expect(afterFg.indexOf('Preflight passed')).toBeLessThan(afterFg.indexOf('Promoted demo:live'));
    expect(readTruth(sandbox)).toMatchObject({ functionVersion: '2', weights: {} });
  });
});
