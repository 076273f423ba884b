import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Seen in a hostile pass: `npm start -- --demo` and the quick start with `--demo` added said
 * "Nonexistent flag: --demo" (or "--demo is not an lshift command") and nothing more; --demo is
 * `lshift sandbox`'s. The error names the command that has the flag (built CLI).
 */
describe('a flag of another command', () => {
  it('deploy --sandbox --demo: names `lshift sandbox` as the command with --demo (exit 2)', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--sandbox', '--demo', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).message).toBe(
      'Nonexistent flag: --demo (a flag of `lshift sandbox`, not of `lshift deploy`).',
    );
  });

  it('several unknown flags: each is said alone, not all called flags of one command (exit 2)', async () => {
    const run = await runCliInProcess(['history', 'demo', '--sandbox', '--limit', '3', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout).message).toBe(
      'Nonexistent flags: --sandbox, --limit (--sandbox is a flag of `lshift deploy`; --limit is a flag of no lshift command).',
    );
  });

  it('a close flag of the command itself is still the suggestion', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--sandbox', '--dryrun', '--json']);
    expect(JSON.parse(run.stdout).message).toBe('Nonexistent flag: --dryrun. Did you mean --dry-run?');
  });

  it('lshift --demo (no command): says it is a flag of `lshift sandbox` and how to write it (exit 2)', async () => {
    const run = await runCliInProcess(['--demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--demo is not an lshift command. It is a flag of `lshift sandbox`: put the command first (`lshift sandbox --demo`).',
    );
  });

  it('npm start runs the sandbox, so `npm start -- --demo` is `lshift sandbox --demo`', async () => {
    const pkg = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.default.scripts.start).toBe('node bin/run.js sandbox');
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([{ args: ['deploy', 'demo', '--sandbox', '--demo', '--json'] }]);
  });
});
