import type { ChildProcess } from 'node:child_process';
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
