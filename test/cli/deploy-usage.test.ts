import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Bad input to `lshift deploy` is a usage error (exit 2) with a specific message, found before
 * any AWS call: no credentials or region are configured here, so reaching AWS would exit 1.
 * The built CLI's commands run in this process (run-cli-in-process.ts: a start of the CLI for
 * each of ~60 refusals was most of this file's time); the last test runs a sample of them as a
 * user would, and expects the same exit code, stdout and stderr.
 */
describe('lshift deploy: bad input → exit 2 before any AWS call', () => {
  const cases: { name: string; args: string[]; expect: RegExp }[] = [
    { name: 'unknown strategy', args: ['--strategy', 'Canary7Percent'], expect: /STRATEGY_INVALID/ },
    {
      name: 'two code sources',
      args: ['--zip', 'a.zip', '--version', '3'],
      expect: /CONFLICTING_FLAGS.*--zip and --version/,
    },
    { name: 'interval without a unit', args: ['--interval', '10'], expect: /INVALID_DURATION.*--interval/ },
    {
      name: 'interval over 1 minute',
      args: ['--interval', '99999999999999999999h'],
      expect: /INTERVAL_INVALID.*`99999999999999999999h` is longer than 1m/,
    },
    { name: 'bad error-rate gate', args: ['--max-error-rate', 'lots'], expect: /--max-error-rate/ },
    {
      name: '$LATEST as version',
      args: ['--version', '$LATEST'],
      expect: /--version must be a published version number/,
    },
    {
      name: 'version 0 (versions start at 1)',
      args: ['--version', '0'],
      expect: /--version must be a published version number, not "0"/,
    },
    { name: 'unknown hook kind', args: ['--pre-hook', 'ftp://x'], expect: /HOOK_INVALID.*--pre-hook/ },
    // It ran, after publishing: "fetch failed: connect ECONNREFUSED", exit 3 (hostile pass).
    {
      name: 'an HTTP hook on port 0',
      args: ['--post-hook', 'http://127.0.0.1:0/hook'],
      expect:
        /HOOK_INVALID.*--post-hook `http:\/\/127\.0\.0\.1:0\/hook` names port 0, which nothing listens on/,
    },
    {
      name: 'missing invoke-target payload',
      args: ['--pre-hook', 'invoke-target:nope.json'],
      expect: /HOOK_INVALID/,
    },
    {
      name: 'a step list under the codedeploy engine',
      args: ['--engine', 'codedeploy', '--strategy', 'steps:1%@2m,100%'],
      expect: /ENGINE_CANNOT_RUN.*step list/,
    },
    { name: 'sandbox flags without --sandbox', args: ['--speed', '60'], expect: /only apply with --sandbox/ },
    { name: 'bad --on-inconclusive', args: ['--on-inconclusive', 'maybe'], expect: /on-inconclusive/ },
    {
      name: '--health-error-limit above 10 (unreadable health would never roll back)',
      args: ['--health-error-limit', '99999999999999999999999'],
      expect: /--health-error-limit.*less than or equal to 10/,
    },
  ];

  it('--engine codedeploy with several functions (a release runs on the native engine)', async () => {
    const run = await runCliInProcess(['deploy', 'fn-a', 'fn-b', '--engine', 'codedeploy'], {
      env: { AWS_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.replace(/\n/g, ' ')).toMatch(
      /ENGINE_CANNOT_RUN.*a release of several functions runs on the native engine/,
    );
  });

  it('--warm with several functions (a release does not take it yet)', async () => {
    const run = await runCliInProcess(['deploy', 'fn-a', 'fn-b', '--warm'], { env: { AWS_REGION: '' } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.replace(/\n/g, ' ')).toMatch(/CONFLICTING_FLAGS.*--warm acts on one function/);
  });

  for (const c of cases) {
    it(`${c.name}`, async () => {
      const run = await runCliInProcess(['deploy', 'my-fn', ...c.args], { env: { AWS_REGION: '' } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.replace(/\n/g, ' ')).toMatch(c.expect);
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    });
  }

  it('a repeatable flag takes one value: the word after it is the function, not a second alarm', async () => {
    const run = await runCliInProcess([
      'deploy',
      '--alarm',
      'my-errors',
      'my-fn',
      '--strategy',
      'Canary7Percent',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'STRATEGY_INVALID' });
  });

  it('so does --function of plan: the strategy after it is still the strategy', async () => {
    const run = await runCliInProcess(['plan', '--function', 'a', 'canary:10%:5m', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).strategy).toBe('canary:10%:5m');
  });

  it.each([
    ['deploy', 'my-fn', '--dry-run'],
    ['status', 'my-fn'],
    ['check', 'my-fn', '--alarm', 'x'],
    ['rollback', 'my-fn'],
  ])('an empty --alias is ALIAS_INVALID for %s, before any AWS call', async (...args) => {
    const run = await runCliInProcess([...args, '--alias', '', '--json'], {
      env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ALIAS_INVALID' });
  });

  it.each([
    ['deploy', 'my-fn', '--alarm', ''],
    ['deploy', 'my-fn', '--alarm', 'ok', '--alarm', '  '],
    ['deploy', 'fn-a', 'fn-b', '--alarm', ''],
    ['check', 'my-fn', '--alarm', ''],
    ['iam-policy', 'my-fn', '--alarm', ' '],
  ])('a blank --alarm is ALARM_NAME_INVALID, before any AWS call: %s %s %s %s', async (...args) => {
    const run = await runCliInProcess([...args, '--json'], {
      env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ALARM_NAME_INVALID' });
    expect(JSON.parse(run.stdout).message).toContain('(--alarm');
  });

  // Accepted before (found by a hostile pass): check read alarm `my-fn-{nope}`, which cannot exist.
  it.each([
    ['check', 'my-fn', '--alarm', '{function}-{nope}'],
    ['status', 'my-fn', '--alarm', '{function}-{nope}'],
    ['deploy', 'my-fn', '--alarm', '{function}-{nope}'],
    ['deploy', 'fn-a', 'fn-b', '--alarm', '{function}-{nope}'],
    ['iam-policy', 'my-fn', '--alarm', '{nope}'],
  ])(
    'an unknown placeholder in --alarm is ALARM_NAME_INVALID, before any AWS call: %s %s %s %s',
    async (...args) => {
      const run = await runCliInProcess([...args, '--json'], {
        env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ALARM_NAME_INVALID' });
      expect(JSON.parse(run.stdout).message).toContain('has an unknown placeholder `{nope}`');
      // Named as typed, by deploy too (it named `my-fn-{nope}`, filled, where check named the template).
      expect(JSON.parse(run.stdout).message).toContain(`Alarm name \`${args.at(-1)}\` (--alarm)`);
    },
  );

  // Taken before as part of a literal alarm name (found by a hostile pass): a brace that is part
  // of no placeholder is refused by every command, named as typed.
  it.each([
    ['check', 'my-fn', '--alarm', '{function}-{'],
    ['status', 'my-fn', '--alarm', 'demo-}'],
    ['deploy', 'my-fn', '--alarm', '{function}}-x'],
    ['deploy', 'fn-a', 'fn-b', '--alarm', '{alias}-{function}}'],
    ['iam-policy', 'my-fn', '--alarm', '{function}-{'],
  ])('a stray brace in --alarm is ALARM_NAME_INVALID, before any AWS call: %s %s %s %s', async (...args) => {
    const run = await runCliInProcess([...args, '--json'], {
      env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'ALARM_NAME_INVALID',
      message: expect.stringMatching(/that is part of no placeholder \(character \d+\)/),
      hint: expect.stringContaining('one brace on each side'),
    });
    expect(JSON.parse(run.stdout).message).toContain(`Alarm name \`${args.at(-1)}\` (--alarm)`);
  });

  // A release measured the template as typed before `{function}` was filled: a 260-character
  // template that fills to 251 characters for `fn-a` was refused (found while fixing the above).
  it('a release takes an alarm template longer than 255 characters that fills to fewer', async () => {
    const template = `{function}${'x'.repeat(250)}`;
    const run = await runCliInProcess(['deploy', 'fn-a', 'fn-b', '--alarm', template, '--json'], {
      env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
    });
    expect(JSON.parse(run.stdout).code, run.stdout).toBe('REGION_MISSING');
  });

  // status read only --alarm so: the config file's `alarms: ['{nope}']` went on to AWS.
  it.each(['{nope}', 'demo-}'])(
    "status refuses the config file's alarm %j before any AWS call",
    async (alarm) => {
      const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
      writeFileSync(join(dir, 'lshift.config.yaml'), `alarms: ["${alarm}"]\n`);
      const run = await runCliInProcess(['status', 'my-fn', '--json'], {
        cwd: dir,
        env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        code: 'ALARM_NAME_INVALID',
        message: expect.stringContaining(`Alarm name \`${alarm}\` (the config file’s \`alarms\`)`),
      });
    },
  );

  it.each(['', '0', '1.5', '$LATEST', '007'])(
    'rollback --to %j is INVALID_FLAG before any AWS call (it reached AWS, then said "--to  is not a published version")',
    async (to) => {
      const run = await runCliInProcess(['rollback', 'my-fn', '--to', to, '--json'], {
        env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        code: 'INVALID_FLAG',
        message: `--to must be a published version number, not "${to}".`,
      });
    },
  );

  it('--guards-changed only goes with --resume (USAGE, exit 2, before any AWS call)', async () => {
    const run = await runCliInProcess(['deploy', 'my-fn', '--guards-changed', '--json'], {
      env: { AWS_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'USAGE',
      message: '--guards-changed needs --resume: add --resume, or drop --guards-changed',
    });
  });

  it('status --interval without --watch says --interval needs --watch (USAGE, exit 2)', async () => {
    const run = await runCliInProcess(['status', 'my-fn', '--interval', '5s'], { env: { AWS_REGION: '' } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('Error [USAGE]: --interval needs --watch: add --watch, or drop --interval');
    expect(run.stderr).not.toMatch(/All of the following|\n\s+at /);
  });

  it("--resume with the config file's engine: codedeploy is refused (a native resume would start a CodeDeploy deployment)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'engine: codedeploy\n');
    const run = await runCliInProcess(['deploy', 'my-fn', '--resume', '--json'], {
      cwd: dir,
      env: { AWS_REGION: '' },
    });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CONFLICTING_FLAGS',
      message: expect.stringContaining('engine: codedeploy'),
      hint: expect.stringContaining('lshift wait'),
    });
  });

  it('a default CodeDeploy group name over 100 characters names --deployment-group (CODEDEPLOY_NAME_INVALID)', async () => {
    const run = await runCliInProcess(
      [
        'deploy',
        'f'.repeat(60),
        '--engine',
        'codedeploy',
        '--alias',
        'a'.repeat(60),
        '--version',
        '2',
        '--json',
      ],
      { env: { AWS_REGION: '' } },
    );
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CODEDEPLOY_NAME_INVALID',
      message: expect.stringContaining('is 121 characters; CodeDeploy takes at most 100'),
      hint: expect.stringContaining('--deployment-group'),
    });
  });

  it("--deployment-group ' ' is refused before any AWS call (CODEDEPLOY_NAME_INVALID)", async () => {
    const run = await runCliInProcess(
      ['deploy', 'my-fn', '--engine', 'codedeploy', '--deployment-group', ' ', '--version', '2', '--json'],
      { env: { AWS_REGION: '' } },
    );
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CODEDEPLOY_NAME_INVALID',
      message: expect.stringContaining('given by --deployment-group (` `) is blank'),
    });
  });

  it("refuses the config file's health-error-limit above 10", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'health-error-limit: 1000\n');
    const run = await runCliInProcess(['deploy', 'my-fn', '--json'], { cwd: dir, env: { AWS_REGION: '' } });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('health-error-limit: must be <= 10'),
    });
  });

  it("a blank entry of the config file's alarms is ALARM_NAME_INVALID", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'alarms: [orders-errors, ""]\n');
    const run = await runCliInProcess(['deploy', 'my-fn', '--json'], { cwd: dir, env: { AWS_REGION: '' } });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'ALARM_NAME_INVALID',
      message: expect.stringContaining('the config file’s `alarms`, entry 2'),
    });
  });

  it("refuses the config file's alias when it is not an alias name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'alias: "123"\n');
    const run = await runCliInProcess(['deploy', 'my-fn', '--json'], { cwd: dir, env: { AWS_REGION: '' } });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ALIAS_INVALID' });
    expect(JSON.parse(run.stdout).message).toContain('lshift.config.yaml: alias');
  });

  it('rejects an invalid config file naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(
      join(dir, 'lshift.config.yaml'),
      'strategy: canary:10%:5m\nalarms: not-a-list\nstrateg: typo\n',
    );
    const run = await runCliInProcess(['deploy', 'my-fn', '--json'], { cwd: dir });
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('alarms');
    expect(error.message).toContain('unknown key "strateg"');
  });

  it('reports a missing region as exit 1 naming the fix, not a stack trace', async () => {
    const run = await runCliInProcess(['deploy', 'my-fn', '--version', '2', '--json'], {
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'REGION_MISSING', exitCode: 1 });
  });

  it('the built CLI, started as a user would, gives the same for a sample of these cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-config-'));
    writeFileSync(join(dir, 'lshift.config.yaml'), 'alarms: [orders-errors, ""]\n');
    await expectSameAsBuiltCli([
      { args: ['deploy', 'my-fn', '--strategy', 'Canary7Percent'], env: { AWS_REGION: '' } },
      { args: ['deploy', 'my-fn', '--interval', '10'], env: { AWS_REGION: '' } },
      { args: ['status', 'my-fn', '--interval', '5s'], env: { AWS_REGION: '' } },
      {
        args: ['deploy', 'fn-a', 'fn-b', '--alarm', '', '--json'],
        env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
      },
      {
        args: ['rollback', 'my-fn', '--to', '$LATEST', '--json'],
        env: { AWS_REGION: '', LSHIFT_SANDBOX: undefined },
      },
      { args: ['deploy', 'my-fn', '--json'], cwd: dir, env: { AWS_REGION: '' } },
      {
        args: ['deploy', 'my-fn', '--version', '2', '--json'],
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
      },
    ]);
  });
});
