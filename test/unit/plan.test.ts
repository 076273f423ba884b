import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import type { Strategy } from '../../src/domain/strategy.js';

function weights(strategy: Strategy): number[] {
  return planShift(strategy).steps.map((s) => s.percent);
}

describe('planShift', () => {
  it('canary: the canary weight for the interval, then 100%', () => {
    const strategy: Strategy = { kind: 'canary', name: 'c', percent: 5, intervalSeconds: 900 };
    expect(planShift(strategy)).toEqual({
      strategy,
      steps: [
        { index: 0, percent: 5, holdSeconds: 900, offsetSeconds: 0 },
        { index: 1, percent: 100, holdSeconds: 0, offsetSeconds: 900 },
      ],
      totalSeconds: 900,
      // the default settle wait before 100% (docs/analysis.md#the-settle-wait): the minute the
      // step ends in, 2 more minutes held at 5%, 3 minutes of CloudWatch delay
      settleSeconds: 360,
      settleExtraMinutes: 2,
    });
    expect(planShift(strategy, { settleSeconds: 60 }).settleSeconds).toBe(60);
    expect(planShift(strategy, { settleSeconds: 0 })).toMatchObject({
      settleSeconds: 0,
      settleExtraMinutes: 0,
    });
  });

  it('all-at-once: one step at 100% with no hold', () => {
    const strategy: Strategy = { kind: 'all-at-once', name: 'a' };
    expect(planShift(strategy)).toEqual({
      strategy,
      steps: [{ index: 0, percent: 100, holdSeconds: 0, offsetSeconds: 0 }],
      totalSeconds: 0,
      // nothing precedes 100%, so no settle before it; the bound still applies at the end of a
      // bake (docs/analysis.md#the-settle-wait), which is all that judges an all-at-once shift
      settleSeconds: 360,
      settleExtraMinutes: 0,
    });
    expect(planShift(strategy, { settleSeconds: 60 }).settleSeconds).toBe(60);
  });

  it('steps: as given, with cumulative offsets', () => {
    const strategy: Strategy = {
      kind: 'steps',
      name: 's',
      steps: [
        { percent: 1, holdSeconds: 120 },
        { percent: 10, holdSeconds: 300 },
        { percent: 100, holdSeconds: 0 },
      ],
    };
    expect(planShift(strategy).steps).toEqual([
      { index: 0, percent: 1, holdSeconds: 120, offsetSeconds: 0 },
      { index: 1, percent: 10, holdSeconds: 300, offsetSeconds: 120 },
      { index: 2, percent: 100, holdSeconds: 0, offsetSeconds: 420 },
    ]);
    expect(planShift(strategy).totalSeconds).toBe(420);
  });

  // Linear: k·X held N while below 100%, then 100% held 0; total (ceil(100/X) - 1)·N.
  const linear: { percent: number; weights: number[]; total: number }[] = [
    { percent: 10, weights: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], total: 9 },
    { percent: 20, weights: [20, 40, 60, 80, 100], total: 4 },
    { percent: 25, weights: [25, 50, 75, 100], total: 3 },
    { percent: 30, weights: [30, 60, 90, 100], total: 3 },
    { percent: 33, weights: [33, 66, 99, 100], total: 3 },
    { percent: 40, weights: [40, 80, 100], total: 2 },
    { percent: 50, weights: [50, 100], total: 1 },
    { percent: 60, weights: [60, 100], total: 1 },
    { percent: 99, weights: [99, 100], total: 1 },
  ];

  it.each(linear)('linear $percent% every minute → $weights', ({ percent, weights: expected, total }) => {
    const plan = planShift({ kind: 'linear', name: 'l', percent, intervalSeconds: 60 });
    expect(plan.steps.map((s) => s.percent)).toEqual(expected);
    expect(plan.steps.map((s) => s.holdSeconds)).toEqual([...expected.slice(1).map(() => 60), 0]);
    expect(plan.steps.map((s) => s.offsetSeconds)).toEqual(expected.map((_, i) => i * 60));
    expect(plan.totalSeconds).toBe(total * 60);
  });

  it('linear with a decimal percentage has no float noise', () => {
    const w = weights({ kind: 'linear', name: 'l', percent: 0.1, intervalSeconds: 1 });
    expect(w).toHaveLength(1000);
    expect(w[2]).toBe(0.3);
    expect(w[998]).toBe(99.9);
    expect(w.at(-1)).toBe(100);
    expect(weights({ kind: 'linear', name: 'l', percent: 12.5, intervalSeconds: 1 })).toEqual([
      12.5, 25, 37.5, 50, 62.5, 75, 87.5, 100,
    ]);
  });

  it('indexes steps from 0 and ends every plan at 100% with no hold', () => {
    const strategies: Strategy[] = [
      { kind: 'canary', name: 'c', percent: 1, intervalSeconds: 1 },
      { kind: 'linear', name: 'l', percent: 7, intervalSeconds: 30 },
      { kind: 'all-at-once', name: 'a' },
    ];
    for (const strategy of strategies) {
      const { steps } = planShift(strategy);
      expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i));
      expect(steps.at(-1)).toMatchObject({ percent: 100, holdSeconds: 0 });
    }
  });
});
