import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A lone `-` is an argument, not a flag (oclif reads it so, and Lambda's function-name pattern
 * `[a-zA-Z0-9-_]+` allows it): every command that takes a function looks it up and says the
 * function does not exist. Before, `check`, `publish`, `history` and `alias` did, while
 * `deploy`, `status`, `rollback`, `promote`, `abort`, `pause` and `resume` said "Nonexistent flag: -".
 */
describe('`-` as the function name (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
  });
  afterAll(async () => env.stop());
  /**
   * Every run here is refused or only reads the sandbox: it runs in this worker's process
   * (run-cli-in-process.ts; the file is in IN_PROCESS_E2E, vitest.config.ts), not in a started CLI
   * each (~0.4 CPU-s a start). `rollback -` and the unknown flag are checked against the built CLI
   * started for the same argv on the same sandbox (nothing is written): their own runs, once here.
   */
  const sandboxEnv = () => ({ LSHIFT_SANDBOX: env.handle.url });
  const cli = (args: string[]) => runCliInProcess(args, { env: sandboxEnv() });

  it.each([
    [['status', '-']],
    [['deploy', '-', '--dry-run', '--strategy', 'all-at-once']],
    [['rollback', '-']],
    [['promote', '-']],
    [['abort', '-']],
    [['pause', '-']],
    [['resume', '-']],
    [['history', '-']],
    [['publish', '-']],
  ])('%j: the function `-` is not found, as in any other command', async (args) => {
    const run = await cli(args);
    expect(run.stderr).not.toContain('Nonexistent flag');
    expect(run.stderr).toMatch(/Function - does not exist|function - /i);
    expect(run.code).not.toBe(0);
    if (args[0] === 'rollback') await expectBuiltCliRunsAlike(run, args, { env: sandboxEnv() });
  });

  it('a word that starts with a dash is still an unknown flag', async () => {
    const args = ['status', 'demo', '-x'];
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Nonexistent flag: -x');
    await expectBuiltCliRunsAlike(run, args, { env: sandboxEnv() });
  });
});
