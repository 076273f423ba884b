import { describe, expect, it } from 'vitest';
import { mapHooksToCodeDeploy } from '../../src/domain/codedeploy-hooks.js';
import {
  buildAppSpec,
  checkAlarmCount,
  defaultCodeDeployNames,
  mapStrategyToCodeDeploy,
  resolveCodeDeployNames,
} from '../../src/domain/codedeploy-plan.js';
import {
  buildRunDescription,
  carriesRunToken,
  MAX_DESCRIPTION_CHARS,
} from '../../src/domain/codedeploy-run.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const map = (text: string, bakeSeconds?: number) =>
  mapStrategyToCodeDeploy(parseStrategy(text), { bakeSeconds });

describe('mapStrategyToCodeDeploy', () => {
  it.each([
    ['Canary10Percent5Minutes', 'CodeDeployDefault.LambdaCanary10Percent5Minutes'],
    ['CodeDeployDefault.LambdaCanary10Percent30Minutes', 'CodeDeployDefault.LambdaCanary10Percent30Minutes'],
    ['canary:10%:15m', 'CodeDeployDefault.LambdaCanary10Percent15Minutes'],
    ['Linear10PercentEvery1Minute', 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'],
    ['linear:10%:2m', 'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes'],
    ['Linear10PercentEvery3Minutes', 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes'],
    ['Linear10PercentEvery10Minutes', 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes'],
    ['AllAtOnce', 'CodeDeployDefault.LambdaAllAtOnce'],
    ['all-at-once', 'CodeDeployDefault.LambdaAllAtOnce'],
  ])('%s passes through as the predefined %s', (text, name) => {
    expect(map(text)).toEqual({ kind: 'predefined', name });
  });

  it.each([
    [
      'canary:15%:7m',
      'lshift.Canary15Percent7Minutes',
      { type: 'TimeBasedCanary', percentage: 15, intervalMinutes: 7 },
    ],
    [
      'canary:10%:1h',
      'lshift.Canary10Percent60Minutes',
      { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: 60 },
    ],
    [
      'linear:20%:2m',
      'lshift.Linear20PercentEvery2Minutes',
      { type: 'TimeBasedLinear', percentage: 20, intervalMinutes: 2 },
    ],
    [
      'linear:10%:5m',
      'lshift.Linear10PercentEvery5Minutes',
      { type: 'TimeBasedLinear', percentage: 10, intervalMinutes: 5 },
    ],
  ])('%s becomes the custom config %s', (text, name, routing) => {
    expect(map(text)).toEqual({ kind: 'custom', name, routing });
  });

  it.each([
    ['steps:1%@2m,10%@5m,100%', /step list/],
    ['canary:10%:90s', /whole minutes, not 90 seconds/],
    ['canary:10%:30s', /whole minutes/],
    ['linear:2.5%:1m', /whole percentage/],
  ])('refuses %s naming the native engine', (text, problem) => {
    const attempt = () => map(text);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ENGINE_CANNOT_RUN', exitCode: 2 }));
    expect(attempt).toThrow(expect.objectContaining({ hint: expect.stringContaining('native engine') }));
  });

  it('refuses a bake', () => {
    expect(() => map('Canary10Percent5Minutes', 600)).toThrow(
      expect.objectContaining({ code: 'ENGINE_CANNOT_RUN', message: expect.stringContaining('--bake') }),
    );
  });
});

describe('mapHooksToCodeDeploy', () => {
  const hook = (text: string) => parseHookSpec(text, '--pre-hook');

  it('takes one Lambda hook each for BeforeAllowTraffic and AfterAllowTraffic (SAM-style functions)', () => {
    expect(
      mapHooksToCodeDeploy({ pre: [hook('lambda:pre-check')], post: [hook('lambda:post-check:live')] }),
    ).toEqual({
      beforeAllowTraffic: 'pre-check',
      afterAllowTraffic: 'post-check:live',
    });
    expect(mapHooksToCodeDeploy({})).toEqual({ beforeAllowTraffic: undefined, afterAllowTraffic: undefined });
  });

  it.each([
    ['an HTTP pre hook', { pre: [hook('https://ci.example.com/hook')] }, /http hook given in --pre-hook/],
    ['a command post hook', { post: [hook('cmd:./smoke.sh')] }, /cmd hook given in --post-hook/],
    ['step hooks', { step: [hook('lambda:x')] }, /step hooks/],
    ['rollback hooks', { rollback: [hook('lambda:x')] }, /rollback hooks/],
    ['two pre hooks', { pre: [hook('lambda:a'), hook('lambda:b')] }, /2 hooks in --pre-hook/],
  ])('refuses %s', (_, hooks, problem) => {
    expect(() => mapHooksToCodeDeploy(hooks)).toThrow(problem);
    expect(() => mapHooksToCodeDeploy(hooks)).toThrow(expect.objectContaining({ code: 'ENGINE_CANNOT_RUN' }));
  });

  // Hooks written in the config file were refused as `--pre-hook`, a flag the user never typed.
  it.each([
    [
      'a command pre hook',
      { pre: [hook('cmd:true')] },
      'pre',
      /cmd hook given in the config file’s `hooks.pre`/,
    ],
    ['step hooks', { step: [hook('cmd:true')] }, 'step', /step hooks \(the config file’s `hooks.step`\)/],
    [
      'two post hooks',
      { post: [hook('lambda:a'), hook('lambda:b')] },
      'post',
      /2 hooks in the config file’s `hooks.post`/,
    ],
  ] as const)('names the config file for %s from it', (_, hooks, phase, problem) => {
    const sources = { [phase]: `the config file’s \`hooks.${phase}\`` };
    expect(() => mapHooksToCodeDeploy(hooks, sources)).toThrow(problem);
  });
});

describe('buildAppSpec', () => {
  it('is one AWS::Lambda::Function resource with current and target versions, hooks only when given', () => {
    const spec = JSON.parse(
      buildAppSpec({
        functionName: 'arn:aws:lambda:us-east-1:1:function:my-fn',
        alias: 'live',
        currentVersion: '1',
        targetVersion: '2',
      }),
    );
    expect(spec).toEqual({
      version: 0,
      Resources: [
        {
          myfn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Name: 'arn:aws:lambda:us-east-1:1:function:my-fn',
              Alias: 'live',
              CurrentVersion: '1',
              TargetVersion: '2',
            },
          },
        },
      ],
    });
  });
});

describe('CodeDeploy names and limits', () => {
  it('defaults the application and group from the function and alias', () => {
    expect(defaultCodeDeployNames('my-fn', 'live')).toEqual({
      application: 'lshift-my-fn',
      group: 'my-fn-live',
    });
  });

  it('allows 10 alarms and refuses 11 with a clear error', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);
    expect(() => checkAlarmCount(names(10))).not.toThrow();
    expect(() => checkAlarmCount(names(11))).toThrow(
      expect.objectContaining({
        code: 'CODEDEPLOY_TOO_MANY_ALARMS',
        message: expect.stringContaining('11 different ones were given'),
      }),
    );
  });

  it('counts a repeated name once: the group lists it once', () => {
    expect(() =>
      checkAlarmCount([...Array.from({ length: 10 }, (_, i) => `a${i}`), 'a0', 'a1']),
    ).not.toThrow();
  });
});

describe('resolveCodeDeployNames (1–100 characters, no control characters)', () => {
  it.each([
    ['defaults', 'my-fn', {}, { application: 'lshift-my-fn', group: 'my-fn-live' }],
    ['given names win', 'my-fn', { application: 'app', group: 'grp' }, { application: 'app', group: 'grp' }],
    [
      "a name with spaces inside is CodeDeploy's to judge",
      'my-fn',
      { group: 'my group' },
      { application: 'lshift-my-fn', group: 'my group' },
    ],
    [
      '100 characters fit',
      'my-fn',
      { group: 'g'.repeat(100) },
      { application: 'lshift-my-fn', group: 'g'.repeat(100) },
    ],
    [
      'a long function named by its ARN: the bare name counts',
      `arn:aws:lambda:us-east-1:123456789012:function:${'f'.repeat(80)}`,
      {},
      { application: `lshift-${'f'.repeat(80)}`, group: `${'f'.repeat(80)}-live` },
    ],
  ])('%s', (_, functionName, given, expected) => {
    expect(resolveCodeDeployNames(functionName, 'live', given)).toEqual(expected);
  });

  it.each([
    [
      'a default application too long names --application',
      'f'.repeat(94),
      {},
      /default CodeDeploy application name .* is 101 characters; CodeDeploy takes at most 100/,
      /--application/,
    ],
    [
      'a default group too long names --deployment-group',
      'f'.repeat(96),
      { application: 'app' },
      /default CodeDeploy deployment group name .* is 101 characters/,
      /with --deployment-group \(config file: deployment-group\)/,
    ],
    [
      'a given name over 100',
      'my-fn',
      { application: 'a'.repeat(101) },
      /given by --application .* is 101 characters/,
      /1–100 characters/,
    ],
    [
      'an empty name',
      'my-fn',
      { group: '' },
      /given by --deployment-group .* is empty/,
      /--deployment-group/,
    ],
    [
      'a blank name (a stray space in a CI variable)',
      'my-fn',
      { group: ' ' },
      /given by --deployment-group .* is blank/,
      /--deployment-group/,
    ],
    [
      'a blank application',
      'my-fn',
      { application: '\u00a0 ' },
      /given by --application .* is blank/,
      /--application/,
    ],
    [
      'a control character',
      'my-fn',
      { group: 'grp\u001b[31m' },
      /holds a control character/,
      /--deployment-group/,
    ],
  ])('%s → CODEDEPLOY_NAME_INVALID (exit 2)', (_, functionName, given, message, hint) => {
    let error: unknown;
    try {
      resolveCodeDeployNames(functionName, 'live', given);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'CODEDEPLOY_NAME_INVALID',
      exitCode: 2,
      message: expect.stringMatching(message),
    });
    expect((error as { hint: string }).hint).toMatch(hint);
    expect((error as Error).message).not.toContain('\u001b');
  });

  it('the config file as the source of a name is said so', () => {
    expect(() =>
      resolveCodeDeployNames(
        'my-fn',
        'live',
        { application: '' },
        { application: 'the config file’s `application`', group: '--deployment-group' },
      ),
    ).toThrow(/given by the config file’s `application`/);
  });
});

describe('the run description', () => {
  it('keeps the token whole and the description within the limit', () => {
    const long = buildRunDescription(`lshift deploy of ${'x'.repeat(300)}:live`, 'tok');
    expect(long.length).toBe(MAX_DESCRIPTION_CHARS);
    expect(long.endsWith('… [lshift-run:tok]')).toBe(true);
    expect(carriesRunToken(long, 'tok')).toBe(true);
    expect(buildRunDescription('lshift deploy of fn:live', 'tok')).toBe(
      'lshift deploy of fn:live [lshift-run:tok]',
    );
    expect(carriesRunToken('lshift deploy of fn:live [lshift-run:other]', 'tok')).toBe(false);
    expect(carriesRunToken(undefined, 'tok')).toBe(false);
  });
});
