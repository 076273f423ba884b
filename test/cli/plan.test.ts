import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * The built CLI's plan command, run in this process (run-cli-in-process.ts: a start of the CLI
 * for each run was most of this file's time); the last test runs a sample as a user would, and
 * expects the same exit code, stdout and stderr.
 */
describe('lshift plan (built CLI)', () => {
  it('prints the CodeDeploy Linear10PercentEvery1Minute timeline as data: 10 steps, 10% to 100%, 9 minutes', async () => {
    const run = await runCliInProcess([
      'plan',
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.stepCount).toBe(10);
    expect(plan.steps.map((s: { percent: number }) => s.percent)).toEqual([
      10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
    expect(plan.steps.map((s: { offsetSeconds: number }) => s.offsetSeconds / 60)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(plan.totalSeconds).toBe(540);
    expect(run.stderr).toBe('');
  });

  it('prints a human table with offsets, weights, holds and the total', async () => {
    const run = await runCliInProcess(['plan', 'canary:5%:10m']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/step\s+offset\s+weight\s+hold/);
    expect(run.stdout).toMatch(/1\s+0s\s+5%\s+10m/);
    expect(run.stdout).toMatch(/2\s+10m\s+100%\s+0s/);
    expect(run.stdout).toContain('total 10m (2 steps)');
  });

  it('shows the settle wait with its 2 extra minutes at the last weight, and --settle 0 turns it off', async () => {
    const run = await runCliInProcess(['plan', 'Canary10Percent5Minutes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "then up to 6m at 10% before 100%, until CloudWatch has the last step's metrics and those of 2 more minutes at that weight (settle)",
    );
    expect(run.stdout).toContain('settle: hold 2 more minutes and wait for late metrics, at most 6m');
    for (const off of ['0', '0s']) {
      const none = await runCliInProcess(['plan', 'Canary10Percent5Minutes', '--settle', off]);
      expect(none.code).toBe(0);
      expect(none.stdout).not.toContain('settle');
    }
  });

  it('shows a cmd: hook with its secrets masked, as an HTTP hook is (text and --json)', async () => {
    const hooks = [
      '--pre-hook',
      'cmd:curl -fsS https://admin:hunter2@ci.example.com/x?token=abc',
      '--pre-hook',
      'cmd:GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 ./notify.sh',
      '--pre-hook',
      'http://admin:s3cretpass@127.0.0.1:4879/hook?token=abc123',
    ];
    const run = await runCliInProcess(['plan', 'all-at-once', ...hooks]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'pre-traffic hooks: cmd:curl -fsS https://***@ci.example.com/x?token=***, cmd:GITHUB_TOKEN=*** ./notify.sh, http://127.0.0.1:4879/hook?token=***',
    );
    const json = await runCliInProcess(['plan', 'all-at-once', ...hooks, '--json']);
    expect(json.code, json.stderr).toBe(0);
    for (const output of [run.stdout, run.stderr, json.stdout, json.stderr]) {
      expect(output).not.toMatch(/hunter2|s3cretpass|abc123|token=abc|ghp_abc/);
    }
  });

  const halfSteps = (n: number) =>
    `steps:${Array.from({ length: n }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;

  it('refuses a strategy no deploy could record, as deploy does (RECORD_TOO_LARGE, exit 2), the strategy cut', async () => {
    const run = await runCliInProcess(['plan', halfSteps(60)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'Error [RECORD_TOO_LARGE]: `lshift deploy` would refuse this plan: The deployment record for strategy `steps:1.5%@1m,',
    );
    expect(run.stderr).toContain('… (541 characters)`');
    const json = await runCliInProcess(['plan', halfSteps(60), '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'RECORD_TOO_LARGE', exitCode: 2 });
  });

  it('warns of a strategy whose record only fits a small deployment (stderr; `warnings` under --json)', async () => {
    const run = await runCliInProcess(['plan', halfSteps(10)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('total 10m (11 steps)');
    expect(run.stderr).toMatch(
      /^Warning: `lshift deploy` may refuse this plan \(RECORD_TOO_LARGE, before anything is written\): its deployment record needs \d+ of the 256 characters/,
    );
    const json = await runCliInProcess(['plan', halfSteps(10), '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('may refuse this plan')]);
    const usual = await runCliInProcess(['plan', 'canary:10%:5m', '--json']);
    expect(JSON.parse(usual.stdout).warnings).toBeUndefined();
  });

  it('rejects an unknown strategy with exit 2, naming the accepted forms, and no stack trace', async () => {
    const run = await runCliInProcess(['plan', 'bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('STRATEGY_INVALID');
    expect(run.stderr).toContain('canary:<percent>:<duration>');
    expect(run.stderr).toContain('CodeDeployDefault.LambdaLinear10PercentEvery');
    expect(run.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    expect(run.stdout).toBe('');
  });

  it('under --json puts only the error object on stdout, with the same exit code', async () => {
    const run = await runCliInProcess(['plan', 'linear:0%:1m', '--json']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ status: 'error', code: 'STRATEGY_INVALID', exitCode: 2 });
  });

  it('treats an unknown flag as a usage error (exit 2), also under --json', async () => {
    const human = await runCliInProcess(['plan', 'all-at-once', '--bogus-flag']);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('--bogus-flag');
    const json = await runCliInProcess(['plan', 'all-at-once', '--bogus-flag', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', code: 'USAGE', exitCode: 2 });
  });

  it('a function after --function is no strategy: says --function takes one, and how to name several', async () => {
    const run = await runCliInProcess(['plan', '--function', 'orders', 'billing', '--json']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error.code).toBe('STRATEGY_INVALID');
    expect(error.message).toContain(
      '`billing` came right after `--function orders`: --function takes one function',
    );
    expect(error.hint).toContain('`lshift plan <strategy> --function orders --function billing`');
    expect(error.hint).toContain('canary:<percent>:<duration>');
  });

  it('a second argument: plan takes one, the strategy, and functions come by --function', async () => {
    const run = await runCliInProcess(['plan', 'canary:10%:5m', '--function', 'orders', 'billing']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '`lshift plan` takes one argument, the strategy; it got 2: canary:10%:5m, billing.',
    );
    expect(run.stderr).toContain('`lshift plan canary:10%:5m --function orders --function billing`');
    expect(run.stderr).not.toContain('Unexpected argument');
    // A function named like a strategy is still a function, and an unknown flag stays oclif's word.
    expect((await runCliInProcess(['plan', '--function', 'orders', 'all-at-once'])).code).toBe(0);
    const unknown = await runCliInProcess(['plan', 'canary:10%:5m', '--strategy', 'linear:10%:1m']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('Nonexistent flag: --strategy'),
    ]);
  });

  it('shows the exit-code table in --help', async () => {
    const run = await runCliInProcess(['plan', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('EXIT CODES');
    expect(run.stdout).toMatch(/3\s+rolled back/);
  });
});

describe('lshift plan: the release program (built CLI)', () => {
  it('canary:10%:5m --bake 10m --pre-hook cmd:true --json shows hook, weight, hold, promote and bake steps in order', async () => {
    const run = await runCliInProcess([
      'plan',
      'canary:10%:5m',
      '--bake',
      '10m',
      '--pre-hook',
      'cmd:true',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const { program } = JSON.parse(run.stdout) as { program: { kind: string; index: number }[] };
    // Settle waits (issue 11) may sit before the promote and after the bake.
    const steps = program.filter((s) => s.kind !== 'settle');
    expect(steps.map((s) => s.kind)).toEqual(['hook', 'setWeight', 'hold', 'promote', 'bake', 'done']);
    expect(program.map((s) => s.index)).toEqual(program.map((_, i) => i));
    expect(steps[0]).toMatchObject({ index: 0, phase: 'pre', specs: ['cmd:true'] });
    expect(steps[1]).toMatchObject({ percent: 10, target: { alias: 'live' } });
    expect(steps[2]).toMatchObject({ seconds: 300, judge: 'health' });
    expect(steps[4]).toMatchObject({ kind: 'bake', seconds: 600 });
  });

  it('prints the program after the timeline at a terminal, and refuses a bad hook with exit 2', async () => {
    const run = await runCliInProcess(['plan', 'canary:10%:5m', '--function', 'orders', '--bake', '1m']);
    expect(run.stdout).toContain('Release program:');
    expect(run.stdout).toMatch(/2\. hold 5m, judged by health/);
    expect(run.stdout).toMatch(/\d\. promote orders:live/);
    const bad = await runCliInProcess(['plan', 'canary:10%:5m', '--pre-hook', 'ftp:nope']);
    expect(bad.code).toBe(2);
  });
  it('--function repeated: a release program (lockstep, or --stagger one after the other), {function} hooks per function', async () => {
    const flags = [
      'linear:50%:1m',
      '--function',
      'a',
      '--function',
      'b',
      '--settle',
      '0',
      '--pre-hook',
      'cmd:true',
    ];
    const lockstep = JSON.parse(
      (await runCliInProcess(['plan', ...flags, '--pre-hook', 'cmd:echo {function}', '--json'])).stdout,
    );
    const describe = (s: {
      kind: string;
      target?: { functionName: string };
      percent?: number;
      specs?: { kind: string }[];
    }) =>
      `${s.kind}${s.target ? ` ${s.target.functionName}` : ''}${s.percent === undefined ? '' : ` ${s.percent}`}`;
    expect(lockstep.program.map(describe)).toEqual([
      'hook',
      'hook a',
      'hook b',
      'setWeight a 50',
      'setWeight b 50',
      'hold',
      'promote a',
      'promote b',
      'done',
    ]);
    const staggered = JSON.parse((await runCliInProcess(['plan', ...flags, '--stagger', '--json'])).stdout);
    expect(staggered.program.map(describe)).toEqual([
      'hook',
      'setWeight a 50',
      'hold a',
      'promote a',
      'setWeight b 50',
      'hold b',
      'promote b',
      'done',
    ]);
  });
});

/**
 * `plan --function` printed whatever it was given into the program (`promote :live`,
 * `promote demo:live:live`, the same function twice), where every other command refuses such a
 * name: the program then showed a deploy that `lshift deploy` would refuse.
 */
describe('lshift plan --function: the names deploy takes', () => {
  it.each([
    ['empty', [''], 'FUNCTION_INVALID', '--function `` is not a Lambda function name or ARN.'],
    [
      'with an alias',
      ['demo:live'],
      'FUNCTION_INVALID',
      '--function `demo:live` names alias live of function demo',
    ],
    ['not a name', ['a,b'], 'FUNCTION_INVALID', '--function `a,b` is not a Lambda function name or ARN.'],
    [
      'named twice (name and ARN)',
      ['a', 'arn:aws:lambda:us-east-1:123456789012:function:a'],
      'FUNCTION_NAMED_TWICE',
      '',
    ],
  ])('%s: exit 2, %s', async (_name, functions, code, message) => {
    const run = await runCliInProcess([
      'plan',
      'all-at-once',
      ...functions.flatMap((f) => ['--function', f]),
      '--json',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect(error.message).toContain(message);
  });

  it('a control character is shown printable', async () => {
    const run = await runCliInProcess(['plan', 'all-at-once', '--function', 'x\u001b[2J']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--function `x\uFFFD[2J` is not a Lambda function name or ARN.');
  });

  it('the built CLI, started as a user would, gives the same for a sample of these runs', async () => {
    await expectSameAsBuiltCli([
      { args: ['plan', 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute', '--json'] },
      { args: ['plan', 'Canary10Percent5Minutes'] },
      {
        args: [
          'plan',
          'all-at-once',
          '--pre-hook',
          'cmd:curl -fsS https://admin:hunter2@ci.example.com/x?token=abc',
        ],
      },
      { args: ['plan', 'all-at-once', '--bogus-flag', '--json'] },
      { args: ['plan', 'canary:10%:5m', '--strategy', 'linear:10%:1m'] },
      { args: ['plan', '--help'] },
    ]);
  });
});
