import { describe, expect, it } from 'vitest';
import { type AlarmRule, evaluateAlarm } from '../../src/sandbox/alarm-evaluation.js';

const TICK = Date.UTC(2030, 0, 1, 10, 10);
const rule = (over: Partial<AlarmRule> = {}): AlarmRule => ({
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: 10,
  comparisonOperator: 'GreaterThanThreshold',
  treatMissingData: 'missing',
  statistic: 'Sum',
  ...over,
});

/** `X` breaching, `0` not breaching, `-` missing; oldest first, the last one just before TICK. */
function points(pattern: string) {
  const symbols = pattern.split(' ');
  return symbols.flatMap((s, i) => {
    const ts = TICK - (symbols.length - i) * 60_000;
    if (s === '-') return [];
    return [{ ts, value: s === 'X' ? 20 : 1 }];
  });
}

describe('evaluateAlarm: 3 out of 3, by TreatMissingData', () => {
  it.each([
    // pattern        missing              ignore               breaching  notBreaching
    ['0 0 0', 'OK', 'OK', 'OK', 'OK'],
    ['X X X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['X X 0', 'OK', 'OK', 'OK', 'OK'],
    ['0 - -', 'OK', 'OK', 'OK', 'OK'],
    ['X - -', 'ALARM', 'ALARM', 'ALARM', 'OK'],
    ['X X -', 'ALARM', 'ALARM', 'ALARM', 'OK'],
    ['- - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  ])(
    '%s → missing %s, ignore %s, breaching %s, notBreaching %s',
    (pattern, missing, ignore, breaching, notBreaching) => {
      const states = ['missing', 'ignore', 'breaching', 'notBreaching'].map(
        (treat) => evaluateAlarm(rule({ treatMissingData: treat }), points(pattern), TICK)?.state ?? 'retain',
      );
      expect(states).toEqual([missing, ignore, breaching, notBreaching]);
    },
  );
});

describe('evaluateAlarm: M out of N and reasons', () => {
  it('alarms on 2 of 3 breaching datapoints and says so like CloudWatch', () => {
    const result = evaluateAlarm(rule({ datapointsToAlarm: 2 }), points('X 0 X'), TICK);
    expect(result?.state).toBe('ALARM');
    expect(result?.reason).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [20.0 (01/01/30 10:09:00), 20.0 (01/01/30 10:07:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(JSON.parse(result!.reasonData)).toMatchObject({
      statistic: 'Sum',
      period: 60,
      threshold: 10,
      recentDatapoints: [20, 1, 20],
    });
  });

  it('evaluates the newest datapoints present when the newest periods are late', () => {
    const result = evaluateAlarm(
      rule({ evaluationPeriods: 1, datapointsToAlarm: 1 }),
      points('0 X - -'),
      TICK,
    );
    expect(result?.state).toBe('ALARM');
    expect(result?.reason).toBe(
      'Threshold Crossed: 1 datapoint [20.0 (01/01/30 10:07:00)] was greater than the threshold (10.0).',
    );
  });

  it('words the OK side and missing-data fills', () => {
    const ok = evaluateAlarm(
      rule({
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      points('0'),
      TICK,
    );
    expect(ok?.reason).toBe(
      'Threshold Crossed: 1 datapoint [1.0 (01/01/30 10:09:00)] was not greater than or equal to the threshold (10.0).',
    );
    const filled = evaluateAlarm(rule({ evaluationPeriods: 2, treatMissingData: 'notBreaching' }), [], TICK);
    expect(filled?.reason).toBe(
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].',
    );
    const unknown = evaluateAlarm(rule({ evaluationPeriods: 1 }), [], TICK);
    expect(unknown?.reason).toBe('Insufficient Data: 1 datapoint was unknown.');
  });

  it.each([
    ['LessThanThreshold', 5, 'ALARM'],
    ['LessThanOrEqualToThreshold', 10, 'ALARM'],
    ['GreaterThanThreshold', 10, 'OK'],
    ['GreaterThanOrEqualToThreshold', 10, 'ALARM'],
  ])('%s with value %d → %s', (operator, value, state) => {
    const result = evaluateAlarm(
      rule({ evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: operator }),
      [{ ts: TICK - 60_000, value }],
      TICK,
    );
    expect(result?.state).toBe(state);
  });
});
