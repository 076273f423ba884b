import { describe, expect, it } from 'vitest';
import {
  assertExpandedAlarms,
  describeOverlongAlarm,
  expandAlarmTemplate,
} from '../../src/domain/alarm-templates.js';
import { assertAlarmNames } from '../../src/domain/aws-names.js';
import { expandAlarms } from '../../src/engine/check-classify.js';

describe('alarm templates: CloudWatch’s 255 characters count the filled name', () => {
  it.each([
    ['{function}-errors', 'orders', 'orders-errors'],
    ['{alias}-{function}', 'arn:aws:lambda:us-east-1:123456789012:function:orders', 'live-orders'],
    ['plain', 'orders', 'plain'],
  ])('%s for %s → %s', (template, fn, name) => {
    expect(expandAlarmTemplate(template, fn, 'live')).toBe(name);
  });

  it('a template over 255 characters that fills to fewer passes; one that fills to more is refused naming the function and the length', () => {
    const fits = `{function}${'x'.repeat(250)}`;
    expect(() => assertAlarmNames([fits], '--alarm', { templates: true })).not.toThrow();
    expect(() => assertExpandedAlarms([fits], 'demo', 'live', '--alarm')).not.toThrow();
    // As a plain name (deploy fills `{function}` before it checks) it is measured as typed.
    expect(() => assertAlarmNames([fits], '--alarm')).toThrow(/is 260 characters/);
    const grows = `${'x'.repeat(245)}{function}`;
    expect(() => assertExpandedAlarms([grows], 'f'.repeat(20), 'live', '--alarm')).toThrow(
      expect.objectContaining({
        code: 'ALARM_NAME_INVALID',
        exitCode: 2,
        message: expect.stringMatching(
          /^Alarm name `x+…` \(--alarm `x+…` for function f{20}, alias live\) is 265 characters, longer than CloudWatch's 255\.$/,
        ),
      }),
    );
    expect(describeOverlongAlarm(['ok', grows], 'f'.repeat(10), 'live', 'alarm')).toBeUndefined();
  });
});

describe('an alarm whose own name holds a brace: written doubled', () => {
  it('is measured as CloudWatch is asked about it (`{{` is one character)', () => {
    const name = `${'x'.repeat(253)}{{}}`;
    expect(() => assertAlarmNames([name], '--alarm')).not.toThrow();
    expect(() => assertAlarmNames([`x${name}`], '--alarm')).toThrow(/is 256 characters/);
  });

  it('`check` and `status` ask CloudWatch about the name with the brace', () => {
    expect(expandAlarms(['team{{a}}-{function}', '{{function}}'], 'orders', 'live')).toEqual([
      'team{a}-orders',
      '{function}',
    ]);
  });
});
