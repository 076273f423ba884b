import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';

/**
 * A command that succeeded while its stdout could not be written (`> /dev/full`, a reader that
 * went away) exits with its own code. It exited 13, Node's "unsettled top-level await": oclif's
 * flush() waits for a 'drain' a failed stream never emits, and bin/run.js awaits it at top level.
 */
function runWithStdoutFull(args: string[]): Promise<number | null> {
  const full = openSync('/dev/full', 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1', LSHIFT_SANDBOX: '' },
      stdio: ['ignore', full, 'ignore'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  }).finally(() => closeSync(full)) as Promise<number | null>;
}

describe.runIf(existsSync('/dev/full'))('stdout that cannot be written (/dev/full)', () => {
  it.each([[['plan', 'canary:10%:5m', '--json']], [['plan', 'canary:10%:5m']], [['deploy', '--help']]])(
    '%j exits 0, not 13',
    async (args) => {
      expect(await runWithStdoutFull(args)).toBe(0);
    },
  );

  it('a failure keeps its own code', async () => {
    expect(await runWithStdoutFull(['plan', 'nonsense', '--json'])).toBe(2);
  });
});
