import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

// The other conventions (did-you-mean, parse errors, help, shell completion) run in-process, with a
// sample from the built CLI: test/cli/oclif-conventions.test.ts. This one checks the bundle's stack.
describe('oclif conventions (built CLI, stdin not a TTY as in CI)', () => {
  it('--debug is accepted by every command and prints the stack of an error', async () => {
    const ok = await runCli(['plan', 'Canary10Percent5Minutes', '--debug']);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runCli(['plan', 'nope', '--debug']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/STRATEGY_INVALID[\s\S]*\n\s+at /);
    const quiet = await runCli(['plan', 'nope']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
  });
});
