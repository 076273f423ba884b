import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, runCli } from '../helpers/run-cli.js';

const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?\n/;

/** Starts `lshift sandbox --state <file>` and resolves once it listens. */
function startSandboxCli(stateFile: string): Promise<{ child: ChildProcess; done: Promise<CliRun> }> {
  return new Promise((resolve, reject) => {
    let printed = '';
    const done = runCli(['sandbox', '--port', '0', '--no-demo', '--state', stateFile], {
      onSpawn: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          printed += chunk.toString();
          if (printed.includes('export LSHIFT_SANDBOX=')) resolve({ child, done });
        });
      },
    });
    done.then((run) => reject(new Error(`the sandbox ended before listening: ${run.stderr}`)));
  });
}

describe('lshift sandbox --state (built CLI)', () => {
  it('refuses a second sandbox on the same state file, naming the pid of the first (exit 1)', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-state-')), 'state.json');
    const first = await startSandboxCli(stateFile);
    try {
      const second = await runCli(['sandbox', '--port', '0', '--no-demo', '--state', stateFile]);
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain('SANDBOX_STATE_IN_USE');
      expect(second.stderr).toContain(`pid ${first.child.pid}`);
      expect(second.stderr).not.toMatch(STACK_FRAME);
    } finally {
      first.child.kill('SIGINT');
    }
    expect((await first.done).code).toBe(0);
    expect(existsSync(`${stateFile}.lock`)).toBe(false);
  });

  it('takes over the lock of a sandbox that was killed', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-state-')), 'state.json');
    const killed = await startSandboxCli(stateFile);
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(JSON.parse(readFileSync(`${stateFile}.lock`, 'utf8')).pid).toBe(killed.child.pid);
    const next = await startSandboxCli(stateFile);
    next.child.kill('SIGINT');
    expect((await next.done).code).toBe(0);
  });
});

describe('lshift sandbox --scenario / --state that are no regular file (built CLI)', () => {
  const fifo = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lshift-e2e-fifo-')), 'pipe.json');
    execFileSync('mkfifo', [path]);
    return path;
  };

  it.each([
    ['--scenario', 'a FIFO', fifo, 'SANDBOX_SCENARIO_UNREADABLE', 'a named pipe (FIFO)'],
    ['--state', 'a FIFO', fifo, 'SANDBOX_STATE_UNREADABLE', 'a named pipe (FIFO)'],
    ['--scenario', '/dev/zero', () => '/dev/zero', 'SANDBOX_SCENARIO_UNREADABLE', 'a device'],
    ['--state', '/dev/zero', () => '/dev/zero', 'SANDBOX_STATE_UNREADABLE', 'a device'],
  ])('%s %s is refused at once (exit 2), without hanging', async (flag, _what, path, code, kind) => {
    const run = await runCli(['sandbox', '--port', '0', '--no-demo', flag, path()], { timeoutMs: 60_000 });
    expect(run.signal, 'the sandbox hung and was killed').toBeNull();
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(code);
    expect(run.stderr).toContain(`is ${kind}, not a regular file`);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
