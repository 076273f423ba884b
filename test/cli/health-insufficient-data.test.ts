/**
 * A health poll whose alarm gate passed only because its alarms are INSUFFICIENT_DATA (counted as
 * not alarming) printed "alarms ok", the same as alarms that looked at data and found it fine.
 * The line now names the alarms without data.
 */
import { describe, expect, it } from 'vitest';
import { gateOutcomeWords, summarizeHealth } from '../../src/cli/renderers/describe-event.js';
import type { Verdict } from '../../src/domain/verdict.js';

const alarms = (insufficientData: string[]): Verdict => ({
  outcome: 'pass',
  gate: 'alarms',
  summary: 'summary',
  details: { insufficientData },
  at: 0,
});

describe('the alarm gate in a health line', () => {
  it('says which alarms had no data', () => {
    expect(summarizeHealth(2, [alarms(['orders-typo'])])).toBe('alarms ok (orders-typo INSUFFICIENT_DATA)');
    expect(gateOutcomeWords(alarms(['a', 'b']))).toBe('alarms ok (a, b INSUFFICIENT_DATA)');
  });

  it('is plain "alarms ok" when every alarm had data', () => {
    expect(summarizeHealth(1, [alarms([])])).toBe('alarms ok');
    expect(gateOutcomeWords(alarms([]))).toBe('alarms ok');
    expect(gateOutcomeWords({ ...alarms([]), outcome: 'inconclusive', gate: 'latency-increase' })).toBe(
      'latency-increase inconclusive',
    );
  });
});
