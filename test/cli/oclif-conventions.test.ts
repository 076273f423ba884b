import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Conventions oclif users expect (issue 15): did-you-mean, --debug everywhere (test/e2e/oclif-conventions.test.ts),
 * shell completion. The built CLI's commands run in this process (run-cli-in-process.ts: they were in
 * test/e2e/oclif-conventions.test.ts, a start of the CLI each); the last test runs a sample of them
 * as a user would, and expects the same exit code, stdout and stderr.
 */
describe('oclif conventions (built CLI, stdin not a TTY as in CI)', () => {
  it('a mistyped command suggests the closest one, without prompting, exit 2', async () => {
    const run = await runCliInProcess(['deplyo', 'demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('deplyo is not an lshift command. Did you mean deploy?');
    expect(run.stderr).toContain('Exit code 2.');
  });

  it('under --json the unknown command is one JSON error object on stdout', async () => {
    const run = await runCliInProcess(['stauts', 'demo', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect(JSON.parse(run.stdout).message).toContain('Did you mean status?');
  });

  it('an unknown command of a topic names the unknown word, not the topic (codedeploy is one)', async () => {
    const bogus = await runCliInProcess(['codedeploy', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain(
      'Error [USAGE]: `bogus` is not a command of `lshift codedeploy`, which has `lshift codedeploy init`.',
    );
    expect(bogus.stderr).toContain('Hint: Run `lshift codedeploy --help` for its commands.');
    expect(bogus.stderr).not.toContain('codedeploy is not an lshift command');
    const typo = await runCliInProcess(['codedeploy', 'inti', 'demo', '--json']);
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout)).toMatchObject({
      code: 'USAGE',
      message: '`inti` is not a command of `lshift codedeploy`: did you mean `lshift codedeploy init`?',
    });
  });

  it('an empty command name is said to be empty, not shown as nothing (" is not an lshift command")', async () => {
    for (const [name, what] of [
      ['', 'empty'],
      ['  ', 'blank'],
    ] as const) {
      const run = await runCliInProcess([name, 'demo']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `Error [USAGE]: The command name is ${what} (an unset shell variable?): it names no lshift command.`,
      );
    }
  });

  it('a word far from every command suggests nothing', async () => {
    const run = await runCliInProcess(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('frobnicate is not an lshift command.');
    expect(run.stderr).not.toContain('Did you mean');
  });

  it('a flag after `--` is read as an argument: said so, not "did you mean" the same flag', async () => {
    for (const args of [
      ['deploy', '--', '-', '--dry-run'],
      ['status', '--', 'demo', '--watch'],
      // oclif's --json and the global --debug are in no command's own flags: before, status said
      // --json was "a flag of lshift abort, … not of lshift status".
      ['status', '--', '--json'],
      ['status', 'demo', '--', '--debug'],
    ]) {
      const run = await runCliInProcess(args);
      expect(run.code, run.stderr).toBe(2);
      const flag = args.at(-1)!;
      expect(run.stderr).toContain(
        `Nonexistent flag: ${flag}: it comes after \`--\`, which ends the flags (every word after it is an argument). Put ${flag} before \`--\`.`,
      );
      expect(run.stderr).not.toContain('Did you mean');
    }
  });

  it('a flag with a lookalike letter (a Cyrillic а pasted from a document) names the character and the flag meant', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--str\u0430tegy', 'all-at-once']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'Nonexistent flag: --str\u0430tegy: it holds U+0430 at character 4, which is not ASCII (a lookalike pasted from a document?). Did you mean --strategy?',
    );
  });

  it('a mistyped flag suggests the closest flag of that command', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--sandbx']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Nonexistent flag: --sandbx. Did you mean --sandbox?');
    // Never a hidden flag: --output is the deprecated spelling of --progress.
    const hidden = await runCliInProcess(['deploy', 'demo', '--outpt', 'plain']);
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toContain('Nonexistent flag: --outpt');
    expect(hidden.stderr).not.toContain('--output');
  });

  it('an oclif parse error is one message and one hint naming the command’s --help, exit 2', async () => {
    const run = await runCliInProcess(['deploy', 'demo', '--strategy']);
    expect(run.code).toBe(2);
    // (Under NODE_ENV=test oclif adds a warning after it: its "did not parse" check.)
    expect(run.stderr).toMatch(
      /^Error \[USAGE\]: Flag --strategy expects a value\n {2}Hint: See `lshift deploy --help` for its arguments and flags\.\n {2}Exit code 2\.\n/,
    );
    const unknown = await runCliInProcess(['status', 'demo', '--nosuchflag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).not.toContain('See more help');
    expect(unknown.stderr).toContain('Hint: See `lshift status --help`');
  });

  it('usage lines show no empty alternative (a hidden flag in an exclusive group), and the exclusion still holds', async () => {
    const empty = /\|\s*[\])]|[[(]\s*\|/;
    for (const command of ['deploy', 'publish', 'status']) {
      const help = await runCliInProcess([command, '--help']);
      expect(help.code, help.stderr).toBe(0);
      const usage = help.stdout.slice(
        help.stdout.indexOf('USAGE'),
        help.stdout.indexOf('\n\n', help.stdout.indexOf('USAGE')),
      );
      expect(usage.replace(/\s+/g, ' '), command).not.toMatch(empty);
      if (command !== 'status') {
        expect(usage.replace(/\s+/g, ' '), command).toContain('[--progress auto|plain|ndjson|none]');
      }
    }
    const both = await runCliInProcess(['publish', 'demo', '--progress', 'plain', '--output', 'plain']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--(output|progress) cannot be used with --(output|progress)/);
  });

  // oclif took `deploy` for a topic (`codedeploy:init` contains `deploy:`): it was listed under
  // TOPICS as well as under COMMANDS.
  it('the root help lists a topic only when it has subcommands', async () => {
    const run = await runCliInProcess(['--help']);
    expect(run.code).toBe(0);
    const topics = run.stdout.split('\nTOPICS\n')[1]!.split('\n\n')[0]!;
    expect(topics.match(/^ {2}\S+/gm)).toEqual(['  codedeploy']);
  });

  it('lshift autocomplete prints shell completion instructions', async () => {
    // It builds a completion cache: keep it out of the developer's home.
    const cache = mkdtempSync(join(tmpdir(), 'lshift-ac-'));
    const run = await runCliInProcess(['autocomplete', 'bash'], { env: { XDG_CACHE_HOME: cache } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('lshift autocomplete');
  });

  // lshift's modules stay loaded between in-process runs (run-cli-in-process.ts): a refusal with
  // --region set the output filter at parse and left it on, and the next run's not-found words,
  // written before any command's init forgets it, offered `lshift sandbox --demo --region eu-west-1`.
  it('a run’s --region does not reach the next run: a flag put before the command offers it bare', async () => {
    const env = { AWS_REGION: '', AWS_DEFAULT_REGION: '' };
    const refused = await runCliInProcess(['wait', 'D-09BEAE581', '--region', 'eu-west-1'], { env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('`lshift wait d-09BEAE581 --region eu-west-1`');
    const next = await runCliInProcess(['--demo'], { env });
    expect(next.code, next.stderr).toBe(2);
    expect(next.stderr).toContain('put the command first (`lshift sandbox --demo`)');
    expect(next.stderr).not.toContain('eu-west-1');
  });

  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      { args: ['deplyo', 'demo'] },
      { args: ['codedeploy', 'inti', 'demo', '--json'] },
      { args: ['  ', 'demo'] },
      { args: ['status', '--', '--json'] },
      { args: ['deploy', 'demo', '--str\u0430tegy', 'all-at-once'] },
      { args: ['deploy', 'demo', '--strategy'] },
      { args: ['--help'] },
      { args: ['--demo'] },
    ]);
  });
});
