import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const run = await env.cli(args);
    expect(run.stderr).not.toContain('Nonexistent flag');
    expect(run.stderr).toMatch(/Function - does not exist|function - /i);
    expect(run.code).not.toBe(0);
  });

  it('a word that starts with a dash is still an unknown flag', async () => {
    const run = await env.cli(['status', 'demo', '-x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Nonexistent flag: -x');
  });
});
