/**
 * `--alarm ''` read as "alarm not found: ." in preflight and "alarm  no longer exists" later:
 * a blank alarm name is a usage error naming where it came from, before any AWS call.
 */
import { describe, expect, it } from 'vitest';
import { assertAlarmNames, MAX_ALARM_NAME_CHARS } from '../../src/domain/aws-names.js';

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
    expect(() => assertAlarmNames([long], '--alarm')).toThrow(/longer than CloudWatch's 255 characters/);
    expect(() =>
      assertAlarmNames(
        ['a'.repeat(MAX_ALARM_NAME_CHARS), 'orders errors (p99) > 1s', '{function}-errors'],
        'x',
      ),
    ).not.toThrow();
    expect(() => assertAlarmNames([], '--alarm')).not.toThrow();
  });
});
