/**
 * An alarm that stays INSUFFICIENT_DATA at every health poll never judged the deployment
 * (INSUFFICIENT_DATA counts as not alarming, as CodeDeploy does): a promotion it "passed" must
 * say so, or an alarm on a misspelled metric guards every deploy while watching nothing.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../../src/domain/health-readings.js';
import { describeSilentAlarms, silentAlarms } from '../../src/domain/silent-alarms.js';

const ok = (name: string): AlarmState => ({ name, state: 'OK' });
const none = (name: string): AlarmState => ({ name, state: 'INSUFFICIENT_DATA' });
const firing = (name: string): AlarmState => ({ name, state: 'ALARM' });

describe('silentAlarms', () => {
  it.each([
    ['no poll at all (all-at-once, no bake)', [], []],
    ['INSUFFICIENT_DATA at every poll', [[none('a')], [none('a')], [none('a')]], ['a']],
    ['OK at one poll out of three', [[none('a')], [ok('a')], [none('a')]], []],
    ['ALARM once (then back)', [[firing('a')], [none('a')]], []],
    [
      'only the silent one of two',
      [
        [ok('a'), none('b')],
        [ok('a'), none('b')],
      ],
      ['b'],
    ],
    [
      'two silent ones, in the order first seen',
      [
        [none('b'), none('a')],
        [none('a'), none('b')],
      ],
      ['b', 'a'],
    ],
    ['a poll that read no alarm (it failed) does not count as data', [[], [none('a')]], ['a']],
  ] as [string, AlarmState[][], string[]][])('%s', (_what, polls, expected) => {
    expect(silentAlarms(polls)).toEqual(expected);
  });
});

describe('describeSilentAlarms', () => {
  it('names the alarm, the polls and the version, and what to look at', () => {
    const polls = [[none('orders-errors')], [none('orders-errors')]];
    expect(describeSilentAlarms(polls, '7')).toBe(
      'alarm orders-errors was INSUFFICIENT_DATA at every health poll (2): it never judged version 7 ' +
        '(INSUFFICIENT_DATA counts as not alarming); check that its metric exists and gets datapoints ' +
        '(namespace, metric name and dimensions)',
    );
  });

  it('says "alarms … were" for several, and nothing when every alarm had data once', () => {
    expect(describeSilentAlarms([[none('a'), none('b')]], '2')).toMatch(
      /^alarms a, b were INSUFFICIENT_DATA at every health poll \(1\): they never judged version 2 /,
    );
    expect(describeSilentAlarms([[ok('a')], [none('a')]], '2')).toBeUndefined();
    expect(describeSilentAlarms([], '2')).toBeUndefined();
  });
});
