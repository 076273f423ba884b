import { describe, expect, it } from 'vitest';
import type { MinuteSample, VersionSamples } from '../../src/domain/analysis/samples.js';
import { countSlowerInMinute, slowShareLadder } from '../../src/domain/analysis/slow-share.js';

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

describe('countSlowerInMinute (a lower bound from the percentile ladder)', () => {
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
    expect(countSlowerInMinute(version([minute]).minutes[0]!, 'p99', 120)).toBe(slower);
  });

  it('counts nothing in a minute that did not report the percentile, or had no calls', () => {
    const samples = version([
      [100, { p95: 130 }],
      [0, { p99: 150 }],
    ]);
    expect(samples.minutes.map((m) => countSlowerInMinute(m, 'p99', 120))).toEqual([0, 0]);
  });
});
