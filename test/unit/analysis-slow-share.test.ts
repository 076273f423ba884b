import { describe, expect, it } from 'vitest';
import type { MinuteSample, VersionSamples } from '../../src/domain/analysis/samples.js';
import {
  countSlowerThan,
  expectedSlowerStable,
  slowShareLadder,
  testSlowShare,
} from '../../src/domain/analysis/slow-share.js';
import { testProportionIncrease } from '../../src/domain/analysis/statistics.js';

const START = Date.parse('2030-05-01T12:01:00Z');

function version(minutes: [number, Record<string, number>][]): VersionSamples {
  const list: MinuteSample[] = minutes.map(([invocations, latency], i) => ({
    at: START + i * 60_000,
    invocations,
    errors: 0,
    throttles: 0,
    latency,
  }));
  return { range: { start: START, end: START + minutes.length * 60_000 }, minutes: list, throttles: 0 };
}

describe('slowShareLadder', () => {
  it.each([
    ['p99', ['p99', 'p98.5', 'p98', 'p97', 'p96', 'p95', 'p94', 'p92', 'p90']],
    ['p90', ['p90', 'p85', 'p80', 'p70', 'p60', 'p50', 'p40', 'p20']],
    ['p50', ['p50', 'p25']],
  ] as const)('%s → %j', (p, ladder) => {
    expect(slowShareLadder(p)).toEqual(ladder);
  });
});

describe('countSlowerThan (a lower bound from the percentile ladder)', () => {
  it.each<[string, [number, Record<string, number>], number]>([
    // p95 above the threshold: more than 95 of 100 calls cannot be at or below it → ≥ 5 slower.
    ['p95 above', [100, { p99: 150, p95: 130, p90: 110 }], 5],
    // only p99 above: ≥ 100 − 99 = 1
    ['only p99 above', [100, { p99: 150, p95: 118, p90: 110 }], 1],
    // nothing above
    ['none above', [100, { p99: 119, p95: 100 }], 0],
    // ⌈0.985 · 200⌉ is 197, not 198 (float noise): ≥ 3
    ['p98.5 above at n = 200', [200, { p99: 150, 'p98.5': 125, p98: 119 }], 3],
    // a two-call minute: its p90 says nothing about how many of two calls are slow
    ['two calls', [2, { p99: 900, p90: 900 }], 0],
  ])('%s → %s', (_name, minute, slower) => {
    expect(countSlowerThan(version([minute]), 'p99', 120)).toEqual({ slower, invocations: minute[0] });
  });

  it('sums minutes and counts only minutes that reported the percentile', () => {
    const samples = version([
      [100, { p99: 150, p95: 130 }],
      [100, { p95: 130 }],
      [0, { p99: 150 }],
      [300, { p99: 150, p97: 125 }],
    ]);
    expect(countSlowerThan(samples, 'p99', 120)).toEqual({ slower: 5 + 9, invocations: 400 });
  });
});

describe('expectedSlowerStable', () => {
  it('expects (n + 1 − ⌈q·n⌉)/(n + 1) of each minute above its own percentile', () => {
    // n = 1000: 11/1001 (1.1%); n = 100: 2/101 (2.0%) — a percentile of fewer calls sits lower.
    const s = expectedSlowerStable(
      version([
        [1000, { p99: 120 }],
        [100, { p99: 118 }],
        [50, {}],
      ]),
      'p99',
    );
    expect(s.invocations).toBe(1100);
    expect(s.slower).toBeCloseTo((1000 * 11) / 1001 + (100 * 2) / 101, 12);
  });
});

describe('testSlowShare', () => {
  const stable = version(
    Array.from({ length: 3 }, () => [900, { p99: 120 }] as [number, Record<string, number>]),
  );

  it('is the proportion test on the counted shares', () => {
    const target = version(
      Array.from({ length: 3 }, () => [100, { p99: 180, p95: 130 }] as [number, Record<string, number>]),
    );
    const r = testSlowShare(target, stable, 'p99', 120);
    expect(r.target).toEqual({ slower: 15, invocations: 300 });
    expect(r.stable.invocations).toBe(2700);
    expect(r.stable.slower).toBeCloseTo((2700 * 10) / 901, 12);
    const same = testProportionIncrease({ x1: 15, n1: 300, x2: 30, n2: 2700 });
    expect(r.pValue).toBe(same.pValue);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('finds nothing when only the noisy p99 of a small minute is high', () => {
    const target = version(
      Array.from({ length: 3 }, () => [100, { p99: 180, p98: 119 }] as [number, Record<string, number>]),
    );
    expect(testSlowShare(target, stable, 'p99', 120).pValue).toBeGreaterThan(0.5);
  });
});
