/**
 * The latency gate's count (docs/analysis.md#latency-latency-increase): how many of the new
 * version's invocations in a minute were slower than stable's percentile in that minute?
 * CloudWatch gives percentiles per minute, not durations,
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
import type { MinuteSample } from './samples.js';

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

/**
 * Lower bound of the new version's invocations slower than `threshold` ms in one minute: when
 * its q-th percentile is above the threshold, at least n − ⌈q·n⌉ of its n calls were slower.
 * 0 when the minute did not report percentile `p`.
 */
export function countSlowerInMinute(m: MinuteSample, p: LatencyPercentile, threshold: number): number {
  const n = Math.round(m.invocations);
  if (m.latency[p] === undefined || n <= 0) return 0;
  let bound = 0;
  for (const stat of slowShareLadder(p)) {
    const value = m.latency[stat];
    if (value !== undefined && value > threshold) bound = Math.max(bound, n - ceilRank(statLevel(stat), n));
  }
  return bound;
}
