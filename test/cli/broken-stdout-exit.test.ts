import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';

/**
 * stdout that cannot be written because its destination is full (`> /dev/full`, a full disk:
 * ENOSPC) lost the output: `lshift plan --json > plan.json` left an empty file and exited 0. A
 * command that changes nothing (plan, status, history, iam-policy, check, --help) now fails
 * with OUTPUT_LOST (exit 1) and says so on stderr. It never exits 13, Node's "unsettled top-level
 * await" (oclif's flush() waits for a 'drain' a failed stream never emits). A reader that went
 * away on purpose (EPIPE, `| head`) is test/e2e/output-failures.test.ts: the command's own code.
 */
function runWithStdoutFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1', LSHIFT_SANDBOX: undefined },
      stdio: ['ignore', full, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  }).finally(() => closeSync(full));
}

describe.runIf(existsSync('/dev/full'))('stdout that cannot be written (/dev/full)', () => {
  it.each([[['plan', 'canary:10%:5m', '--json']], [['plan', 'canary:10%:5m']], [['deploy', '--help']]])(
    '%j: OUTPUT_LOST, exit 1 (not 0, not 13)',
    async (args) => {
      const run = await runWithStdoutFull(args);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('Error [OUTPUT_LOST]: could not write to standard output');
      expect(run.stderr).toContain('ENOSPC');
      expect(run.stderr).toContain('Exit code 1.');
    },
  );

  it('a failure keeps its own code, and says its report is lost (it said nothing at all)', async () => {
    const run = await runWithStdoutFull(['plan', 'nonsense', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Warning [OUTPUT_LOST]: could not write to standard output (ENOSPC');
    expect(run.stderr).toContain('the exit code (2) still tells what happened');
  });
});
