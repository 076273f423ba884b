/**
 * A set of metric samples, enough to answer every CloudWatch statistic exactly, percentiles
 * included (CloudWatch itself keeps full distributions for percentiles; so do we).
 */
export interface Dist {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Distinct-or-not sample values, ascending. */
  values: ArrayLike<number>;
  /** Weight of each value; absent when every weight is 1. */
  weights?: ArrayLike<number>;
}

export const BASIC_STATS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] as const;
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;

export function isSupportedStat(stat: string): boolean {
  return (
    (BASIC_STATS as readonly string[]).includes(stat) ||
    percentileOf(stat) !== undefined ||
    rangeStatOf(stat) !== undefined
  );
}

/**
 * `TC(a:b)`, `TM(a:b)`, `PR(a:b)` with absolute bounds (either may be empty): trimmed count,
 * trimmed mean and percentile rank over the values v with a < v ≤ b — CloudWatch's bounds are
 * exclusive below and inclusive above ("TM(150:1000) … removing all data points that are lower
 * than or equal to 150, or higher than 1000"). Percentage bounds (`TC(10%:90%)`) are not modelled.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
const RANGE_STAT = /^(TC|TM|PR)\((\d+(?:\.\d{1,10})?)?:(\d+(?:\.\d{1,10})?)?\)$/;

interface RangeStat {
  kind: 'TC' | 'TM' | 'PR';
  low: number;
  high: number;
}

export function rangeStatOf(stat: string): RangeStat | undefined {
  const match = RANGE_STAT.exec(stat);
  if (!match || (match[2] === undefined && match[3] === undefined)) return undefined;
  const low = match[2] === undefined ? Number.NEGATIVE_INFINITY : Number(match[2]);
  const high = match[3] === undefined ? Number.POSITIVE_INFINITY : Number(match[3]);
  return low < high ? { kind: match[1] as RangeStat['kind'], low, high } : undefined;
}

function rangeStatistic(dist: Dist, r: RangeStat): number | undefined {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < dist.values.length; i++) {
    const v = dist.values[i]!;
    if (v <= r.low || v > r.high) continue;
    const w = dist.weights?.[i] ?? 1;
    count += w;
    sum += v * w;
  }
  if (r.kind === 'TC') return count;
  if (r.kind === 'PR') return (count / dist.count) * 100;
  return count > 0 ? sum / count : undefined;
}

/** `p99` → 99, `p99.9` → 99.9; undefined when not a percentile statistic. */
export function percentileOf(stat: string): number | undefined {
  const match = PERCENTILE.exec(stat);
  if (!match) return undefined;
  const p = Number(match[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

/** Samples already sorted ascending, each of weight 1. */
export function distFromSorted(sorted: Float64Array): Dist {
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    sum,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    values: sorted,
  };
}

/** [value, weight] pairs in any order (e.g. `Errors`: n−e zeros and e ones). */
export function distFromCounts(pairs: [number, number][]): Dist {
  const kept = pairs.filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
  let count = 0;
  let sum = 0;
  for (const [v, w] of kept) {
    count += w;
    sum += v * w;
  }
  return {
    count,
    sum,
    min: kept[0]?.[0] ?? 0,
    max: kept[kept.length - 1]?.[0] ?? 0,
    values: kept.map(([v]) => v),
    weights: kept.map(([, w]) => w),
  };
}

export function mergeDists(dists: Dist[]): Dist | undefined {
  const present = dists.filter((d) => d.count > 0);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const merged = {
    count: present.reduce((n, d) => n + d.count, 0),
    sum: present.reduce((n, d) => n + d.sum, 0),
    min: Math.min(...present.map((d) => d.min)),
    max: Math.max(...present.map((d) => d.max)),
  };
  if (present.every((d) => d.weights === undefined)) {
    const total = present.reduce((n, d) => n + d.values.length, 0);
    const values = new Float64Array(total);
    let at = 0;
    for (const d of present) {
      values.set(d.values as ArrayLike<number>, at);
      at += d.values.length;
    }
    return { ...merged, values: values.sort() };
  }
  const pairs: [number, number][] = [];
  for (const d of present) {
    for (let i = 0; i < d.values.length; i++) pairs.push([d.values[i]!, d.weights?.[i] ?? 1]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { ...merged, values: pairs.map(([v]) => v), weights: pairs.map(([, w]) => w) };
}

/** The value of a CloudWatch statistic over the samples; undefined when there are none. */
export function computeStatistic(dist: Dist, stat: string): number | undefined {
  if (dist.count <= 0) return undefined;
  switch (stat) {
    case 'SampleCount':
      return dist.count;
    case 'Sum':
      return dist.sum;
    case 'Average':
      return dist.sum / dist.count;
    case 'Minimum':
      return dist.min;
    case 'Maximum':
      return dist.max;
  }
  const range = rangeStatOf(stat);
  if (range) return rangeStatistic(dist, range);
  const p = percentileOf(stat);
  return p === undefined ? undefined : percentile(dist, p);
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it. */
function percentile(dist: Dist, p: number): number {
  if (p <= 0) return dist.min;
  const rank = Math.max(1, Math.ceil((p / 100) * dist.count));
  let seen = 0;
  for (let i = 0; i < dist.values.length; i++) {
    seen += dist.weights?.[i] ?? 1;
    if (seen >= rank) return dist.values[i]!;
  }
  return dist.max;
}
