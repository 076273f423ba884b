/**
 * `--alarm ''` read as "alarm not found: ." in preflight and "alarm  no longer exists" later:
 * a blank alarm name is a usage error naming where it came from, before any AWS call.
 */
import { describe, expect, it } from 'vitest';
import { assertAlarmNames, assertAlarmNamesAt, MAX_ALARM_NAME_CHARS } from '../../src/domain/aws-names.js';

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

  it('takes {function} and {alias}, and braces that are no placeholder', () => {
    expect(() =>
      assertAlarmNames(['{function}-{alias}-errors', 'p99 {a b}', 'x{'], '--alarm', { templates: true }),
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
