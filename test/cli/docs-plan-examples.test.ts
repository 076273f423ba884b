import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * The `lshift plan` examples of docs/strategies.md are what the built CLI prints, up to its
 * release program (found by the docs audit: every example lacked the settle line).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/strategies.md'), 'utf8');
const EXAMPLES = [...DOC.matchAll(/```console\n\$ lshift plan ([^\n]+)\n([\s\S]*?)```/g)].map((m) => ({
  args: m[1]!,
  shown: m[2]!,
}));

describe('docs/strategies.md: the lshift plan examples', () => {
  it('has examples to check', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(EXAMPLES)('lshift plan $args prints what the doc shows', async ({ args, shown }) => {
    const run = await runCliInProcess(['plan', ...args.split(' ')]);
    // A refusal is shown as its error (stderr, exit 2); a plan up to its release program.
    if (shown.startsWith('Error [')) {
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd()).toBe(shown.trimEnd());
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    // `…` first: the example shows only the release program.
    if (shown.startsWith('…\n')) {
      expect(run.stdout.slice(run.stdout.indexOf('Release program:')).trimEnd()).toBe(
        shown.slice(2).trimEnd(),
      );
      return;
    }
    const timeline = run.stdout.split('\nRelease program:')[0]!.trimEnd();
    expect(timeline).toBe(shown.trimEnd());
  });

  // Moved from test/e2e: the built CLI's commands run in this process (run-cli-in-process.ts);
  // a sample of them started as a user would gives the same exit code, stdout and stderr.
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      ...EXAMPLES.slice(0, 2).map(({ args }) => ({ args: ['plan', ...args.split(' ')] })),
    ]);
  });
});
