/**
 * `--alarm ''` read as "alarm not found: ." in preflight and "alarm  no longer exists" later:
 * a blank alarm name is a usage error naming where it came from, before any AWS call.
 */
import { describe, expect, it } from 'vitest';
import { expandAlarmTemplate, fillAlias } from '../../src/domain/alarm-templates.js';
import {
  assertAlarmNames,
  assertAlarmNamesAt,
  describeBraceProblem,
  MAX_ALARM_NAME_CHARS,
} from '../../src/domain/aws-names.js';

describe('assertAlarmNames', () => {
  it.each([
    [[''], 'An alarm name is empty (--alarm): there is no alarm to watch by that name.'],
    [[' \t'], 'An alarm name is blank (--alarm): there is no alarm to watch by that name.'],
    [['ok', ''], 'An alarm name is empty (--alarm, entry 2): there is no alarm to watch by that name.'],
  ])('%j → ALARM_NAME_INVALID, exit 2', (names, message) => {
    expect(() => assertAlarmNames(names, '--alarm')).toThrow(message);
    expect(() => assertAlarmNames(names, '--alarm')).toThrow(
      expect.objectContaining({ code: 'ALARM_NAME_INVALID', exitCode: 2 }),
    );
  });

  // The cut name's own size beside CloudWatch's count read as two lengths in one sentence
  // ("`aaa… (258 characters)` … is 256 characters"): one number, CloudWatch's.
  it.each([
    ['doubled braces', `${'a'.repeat(254)}{{}}`, ' as CloudWatch counts them (`{{` and `}}` are one each)'],
    ['emoji (two UTF-16 units each)', `${'a'.repeat(250)}${'😀'.repeat(6)}`, ''],
    ['plain letters', 'a'.repeat(256), ''],
  ])('an overlong name with %s states one length, as CloudWatch counts it', (_, name, counted) => {
    expect(() => assertAlarmNames([name], '--alarm')).toThrow(
      `Alarm name \`${'a'.repeat(200)}…\` (--alarm) is 256 characters${counted}, longer than CloudWatch's 255.`,
    );
  });

  it("refuses a name over CloudWatch's 255 characters, and takes any other", () => {
    const long = 'a'.repeat(MAX_ALARM_NAME_CHARS + 1);
    expect(() => assertAlarmNames([long], '--alarm')).toThrow(
      /is 256 characters, longer than CloudWatch's 255\./,
    );
    expect(() =>
      assertAlarmNames(
        ['a'.repeat(MAX_ALARM_NAME_CHARS), 'orders errors (p99) > 1s', '{function}-errors'],
        'x',
      ),
    ).not.toThrow();
    expect(() => assertAlarmNames([], '--alarm')).not.toThrow();
  });
});

/**
 * CloudWatch alarm names are 1–255 printable characters: a control character (a newline from a
 * YAML block scalar, an ESC pasted from a terminal) names no alarm, and echoed raw it would drive
 * the terminal or start a CI workflow command. Refused before any AWS call, shown as �.
 */
describe('alarm names with control characters', () => {
  it.each([
    ['orders\u001b[31m-errors', 'U+001B at character 7'],
    ['orders-errors\n::error::forged', 'U+000A at character 14'],
    ['orders\terrors', 'U+0009 at character 7'],
    ['orders\u007f', 'U+007F at character 7'],
    ['orders\u0085x', 'U+0085 at character 7'],
  ])('%j → ALARM_NAME_INVALID, exit 2, naming the character', (name, where) => {
    const attempt = () => assertAlarmNames(['ok', name], '--alarm');
    expect(attempt).toThrow(expect.objectContaining({ code: 'ALARM_NAME_INVALID', exitCode: 2 }));
    expect(attempt).toThrow(`(--alarm, entry 2) contains a control character (${where})`);
    expect(attempt).toThrow(/CloudWatch alarm names are 1–255 printable characters/);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toMatch(/\p{Cc}/u);
  });

  it('in a config file too, by its path', () => {
    expect(() =>
      assertAlarmNamesAt(['a', 'b\rc'], 'Config file x.yaml: functions[1] (billing)', 'alarms'),
    ).toThrow(
      'Config file x.yaml: functions[1] (billing): alarms[1] contains a control character (U+000D at character 2)',
    );
  });

  it('takes printable names, spaces and non-ASCII letters included', () => {
    expect(() =>
      assertAlarmNames(['orders errors (p99) > 1s', 'zahlungen-fehler-ä', '{function}-errors'], 'x'),
    ).not.toThrow();
  });
});

/**
 * `--alarm '{function}-{nope}'` was taken by check (and deploy) as an alarm literally named
 * `orders-{nope}`: an unknown placeholder is a usage error, one rule for every command.
 */
describe('unknown placeholders in alarm names', () => {
  it.each([
    ['{function}-{nope}', '{nope}'],
    ['{fn}-errors', '{fn}'],
    ['orders-{}', '{}'],
    ['{alias}-{function_name}', '{function_name}'],
  ])('%j → ALARM_NAME_INVALID, exit 2, naming %s', (name, unknown) => {
    for (const templates of [true, false]) {
      const attempt = () => assertAlarmNames([name], '--alarm', { templates });
      expect(attempt).toThrow(expect.objectContaining({ code: 'ALARM_NAME_INVALID', exitCode: 2 }));
      expect(attempt).toThrow(`(--alarm) has an unknown placeholder \`${unknown}\``);
      expect(attempt).toThrow(/lshift fills only `\{function\}` .* and `\{alias\}`/);
    }
  });

  it('takes {function} and {alias}, and names without braces', () => {
    expect(() =>
      assertAlarmNames(['{function}-{alias}-errors', 'p99 (a b) > 1s', '{alias}{function}'], '--alarm', {
        templates: true,
      }),
    ).not.toThrow();
  });
  it('in a config file too, by its path', () => {
    expect(() =>
      assertAlarmNamesAt(['ok', 'billing-{stage}'], 'Config file x.yaml: functions[1] (billing)', 'alarms'),
    ).toThrow(
      'Config file x.yaml: functions[1] (billing): alarms[1] has an unknown placeholder `{stage}`: `billing-{stage}`',
    );
  });
});

/**
 * A brace that is part of no placeholder (`{function}-{`, `demo-}`) was taken as part of a literal
 * alarm name no one meant (found by a hostile pass). One rule: every `{` and `}` is part of
 * `{function}` or `{alias}`, or doubled (`{{`, `}}`: a literal brace), or the name is refused.
 */
describe('describeBraceProblem: the one rule for braces in an alarm name', () => {
  it.each<[string, string | undefined]>([
    ['orders-errors', undefined],
    ['{function}-errors', undefined],
    ['{alias}-{function}', undefined],
    ['{function}{alias}', undefined],
    ['a{{b}}', undefined],
    ['{{function}}', undefined],
    ['{{{function}}}', undefined],
    ['{function}-{', 'has a `{` that is part of no placeholder (character 12)'],
    ['demo-}', 'has a `}` that is part of no placeholder (character 6)'],
    ['}{function}', 'has a `}` that is part of no placeholder (character 1)'],
    ['{', 'has a `{` that is part of no placeholder (character 1)'],
    ['{function}}', 'has a `}` that is part of no placeholder (character 11)'],
    ['{{alias}-x', 'has a `}` that is part of no placeholder (character 8)'],
    ['{{{', 'has a `{` that is part of no placeholder (character 3)'],
    ['{function-errors', 'has a `{` that is part of no placeholder (character 1)'],
    ['p99 {a b}', 'has a `{` that is part of no placeholder (character 5)'],
    ['zahlungen-ä-{', 'has a `{` that is part of no placeholder (character 13)'],
    ['{nope}', 'has an unknown placeholder `{nope}`'],
    ['{FUNCTION}', 'has an unknown placeholder `{FUNCTION}`'],
    ['{function}-{ alias }', 'has a `{` that is part of no placeholder (character 12)'],
    ['x-{}', 'has an unknown placeholder `{}`'],
  ])('%j → %s', (name, problem) => {
    expect(describeBraceProblem(name)).toBe(problem);
  });

  it.each(['{function}-{', 'demo-}', '{'])(
    '%j is ALARM_NAME_INVALID, exit 2, for every command and in a config file, the hint naming the escape',
    (name) => {
      for (const templates of [true, false]) {
        const attempt = () => assertAlarmNames([name], '--alarm', { templates });
        expect(attempt).toThrow(expect.objectContaining({ code: 'ALARM_NAME_INVALID', exitCode: 2 }));
        expect(attempt).toThrow(
          /that is part of no placeholder .*, reads `\{\{` and `\}\}` as a literal `\{` and `\}`, and takes no other `\{` or `\}`\.$/,
        );
        expect(attempt).toThrow(
          expect.objectContaining({
            hint: expect.stringContaining('(`team{{a}}-errors` watches the alarm `team{a}-errors`)'),
          }),
        );
      }
      expect(() => assertAlarmNamesAt([name], 'Config file x.yaml: functions[0] (f)', 'alarms')).toThrow(
        `Config file x.yaml: functions[0] (f): alarms[0] has a`,
      );
    },
  );

  it.each(['a{{b}}', '{{function}}', '{function}-x'])('%j is taken, by every command', (name) => {
    for (const templates of [true, false])
      expect(() => assertAlarmNames([name], '--alarm', { templates })).not.toThrow();
    expect(() => assertAlarmNamesAt([name], 'Config file x.yaml', 'alarms')).not.toThrow();
  });
});

/** `{{` and `}}` are a literal brace: an alarm whose own name holds one can be watched by name. */
describe('expandAlarmTemplate and fillAlias: the escapes', () => {
  it.each<[string, string]>([
    ['a{{b}}', 'a{b}'],
    ['{{function}}', '{function}'],
    ['{{alias}}', '{alias}'],
    ['{function}-x', 'orders-x'],
    ['{{{function}}}', '{orders}'],
    ['{function}-{alias}-{{p99}}', 'orders-live-{p99}'],
    ['plain', 'plain'],
    ['{', '{'],
  ])('%j → %j', (template, name) => {
    expect(expandAlarmTemplate(template, 'orders', 'live')).toBe(name);
  });

  it('an ARN fills {function} with its name part, escapes read the same', () => {
    expect(
      expandAlarmTemplate(
        '{function}-{{x}}',
        'arn:aws:lambda:us-east-1:123456789012:function:orders',
        'live',
      ),
    ).toBe('orders-{x}');
  });

  it.each<[string, string]>([
    ['{alias}-{{x}}', 'live-{x}'],
    ['{function}-{alias}-{{x}}', '{function}-live-{{x}}'],
    ['{{function}}-{alias}', '{function}-live'],
  ])('fillAlias %j → %j (escapes kept while {function} is left to fill)', (template, filled) => {
    expect(fillAlias(template, 'live')).toBe(filled);
  });

  it('a name filled by fillAlias, then for its function, is the same as filled at once', () => {
    const template = '{function}-{alias}-{{x}}';
    expect(expandAlarmTemplate(fillAlias(template, 'live'), 'orders', 'other')).toBe(
      expandAlarmTemplate(template, 'orders', 'live'),
    );
  });
});
