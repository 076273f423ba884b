/**
 * The latency gate's significance test (docs/analysis.md#latency-latency-increase): is a larger
 * share of the new version's invocations slower than the stable version's percentile than the
 * share of stable's own invocations is? CloudWatch gives percentiles per minute, not durations,
 * so the new version's count is a lower bound read off a ladder of its percentiles: when its
 * minute's q-th percentile is above the threshold, at least n − ⌈q·n⌉ of that minute's n
 * invocations were slower (true for nearest-rank and for interpolated percentiles).
 *
 * Why not a rank test over per-minute percentiles: a 10% canary's minute has a tenth of
 * stable's invocations, so its per-minute p99 is far noisier (at 100 invocations it is the
 * second-slowest call). Equal versions then do not give exchangeable minutes, and the test
 * fails healthy versions (measured: 8% of runs with a 20-minute stable series). Counting
 * invocations keeps the test's power growing with traffic, not with minutes.
 */
import type { LatencyPercentile } from './config.js';
import type { VersionSamples } from './samples.js';
import { type ProportionTestResult, testProportionIncrease } from './statistics.js';

/** `p99` → 0.99. */
export function percentileLevel(p: LatencyPercentile): number {
  return Number(p.slice(1)) / 100;
}

/**
 * Multiples of the percentile's tail (1 − q) the ladder reads: for p99, p99 p98.5 p98 p97 p96
 * p95 p94 p92 p90. Finer steps give a tighter bound: a version 50% slower has ~7% of its calls
 * above stable's p99, and with only p95 and p90 on the ladder the bound would often be 3%.
 */
const TAIL_MULTIPLES = [1, 1.5, 2, 3, 4, 5, 6, 8, 10] as const;

/**
 * The percentiles (CloudWatch statistic names) fetched for the new version to bound how many
 * of its invocations are slower than stable's percentile `p`: `p` itself and lower ones, so a
 * large slowdown (its p95 above stable's p99) counts at least 5% of the calls, not 1%.
 */
export function slowShareLadder(p: LatencyPercentile): string[] {
  const tail = 1 - percentileLevel(p);
  return TAIL_MULTIPLES.map((m) => Number((100 * (1 - m * tail)).toFixed(6)))
    .filter((q) => q > 0)
    .map((q) => `p${q}`);
}

/** `p98.5` → 0.985. */
function statLevel(stat: string): number {
  return Number(stat.slice(1)) / 100;
}

/** ⌈q·n⌉ without float noise (0.985 · 200 = 197.00000000000003). */
function ceilRank(q: number, n: number): number {
  return Math.ceil(q * n - 1e-9);
}

export interface SlowCount {
  /** Invocations known to be slower than the threshold (a lower bound). */
  slower: number;
  /** Invocations of the minutes that reported the percentile. */
  invocations: number;
}

/**
 * Lower bound of the new version's invocations slower than `threshold` ms, over the minutes
 * that reported percentile `p` (the same minutes its window latency is computed from).
 */
export function countSlowerThan(samples: VersionSamples, p: LatencyPercentile, threshold: number): SlowCount {
  const ladder = slowShareLadder(p);
  let slower = 0;
  let invocations = 0;
  for (const m of samples.minutes) {
    const n = Math.round(m.invocations);
    if (m.latency[p] === undefined || n <= 0) continue;
    invocations += n;
    let bound = 0;
    for (const stat of ladder) {
      const value = m.latency[stat];
      if (value !== undefined && value > threshold) bound = Math.max(bound, n - ceilRank(statLevel(stat), n));
    }
    slower += bound;
  }
  return { slower, invocations };
}

/**
 * Stable invocations expected above its own window latency at percentile `p`: per minute,
 * a percentile estimated from n calls leaves on average (n + 1 − ⌈q·n⌉)/(n + 1) of them above
 * it (the expected coverage of an order statistic), e.g. 1.1% at n = 1000 and 2% at n = 100 —
 * not simply 1% for p99.
 */
export function expectedSlowerStable(samples: VersionSamples, p: LatencyPercentile): SlowCount {
  const q = percentileLevel(p);
  let slower = 0;
  let invocations = 0;
  for (const m of samples.minutes) {
    const n = Math.round(m.invocations);
    if (m.latency[p] === undefined || n <= 0) continue;
    invocations += n;
    slower += (n * (n + 1 - ceilRank(q, n))) / (n + 1);
  }
  return { slower, invocations };
}

export interface SlowShareTest extends ProportionTestResult {
  target: SlowCount;
  stable: SlowCount;
}

/**
 * One-sided test, H0: the new version's share of calls slower than `threshold` (stable's
 * window latency at `p`) is no larger than stable's; the same test as the error rate's.
 */
export function testSlowShare(
  target: VersionSamples,
  stable: VersionSamples,
  p: LatencyPercentile,
  threshold: number,
): SlowShareTest {
  const t = countSlowerThan(target, p, threshold);
  const s = expectedSlowerStable(stable, p);
  const result = testProportionIncrease({
    x1: t.slower,
    n1: t.invocations,
    x2: Math.round(s.slower),
    n2: s.invocations,
  });
  return { ...result, target: t, stable: s };
}
