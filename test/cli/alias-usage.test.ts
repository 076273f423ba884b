import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * `lshift alias <function> <alias> <version>`: the ALIAS argument is checked as Lambda checks an
 * alias name (1–128 characters, `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`,
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html) before any AWS call: no
 * region is configured here, so a call would fail with REGION_MISSING instead.
 */
describe('lshift alias: an invalid ALIAS argument → ALIAS_INVALID (exit 2) before any AWS call', () => {
  const noRegion = { AWS_REGION: '', AWS_DEFAULT_REGION: '' };

  it.each([
    ['empty', ''],
    ['all digits (a version)', '7'],
    ['over 128 characters', 'a'.repeat(129)],
    ['a space', 'my alias'],
    ['$LATEST', '$LATEST'],
    ['a terminal escape', 'live\u001b[2J'],
  ])('%s', async (_name, alias) => {
    const run = await runCliInProcess(['alias', 'my-fn', alias, '3', '--json'], { env: noRegion });
    expect(run.code, run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('ALIAS_INVALID');
    expect(error.message).toContain('the ALIAS argument');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('128 characters with hyphens and underscores is a name: it gets as far as the AWS call', async () => {
    const run = await runCliInProcess(['alias', 'my-fn', `a-_${'b'.repeat(125)}`, '3', '--json'], {
      env: noRegion,
    });
    expect(JSON.parse(run.stdout).code).toBe('REGION_MISSING');
  });

  it('a bad version is echoed, not printed raw', async () => {
    const run = await runCliInProcess(['alias', 'my-fn', 'live', `x\u001b[2J${'9'.repeat(400)}`], {
      env: noRegion,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('x\uFFFD[2J');
    expect(run.stderr).toContain('characters)');
  });
  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      { args: ['alias', 'my-fn', 'live\u001b[2J', '3', '--json'], env: noRegion },
      { args: ['alias', 'my-fn', `a-_${'b'.repeat(125)}`, '3', '--json'], env: noRegion },
    ]);
  });
});
