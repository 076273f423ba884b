/**
 * Fewer points for a long chart: a 2-day bake has 2,880 minutes, and a Mermaid chart of that many
 * points per line makes the step summary huge (GitHub takes at most 1 MiB of it) and unreadable.
 * Consecutive minutes are merged into buckets of equal count, at most `maxPoints` of them.
 */
import type { PerMinute } from './sparkline.js';

/** At most this many points per line of a chart in the step summary. */
export const MAX_CHART_POINTS = 120;

export interface Buckets {
  series: PerMinute;
  /** Minutes per bucket (1: the series as it was). */
  minutes: number;
  /** Where each bucket ends (exclusive), for the weight written in it. */
  endsAt: number[];
}

const MINUTE_MS = 60_000;

/**
 * Calls and errors are summed, so a bucket's error rate is the rate over its minutes; p99 is the
 * worst minute's, so a latency spike stays visible however long the shift.
 */
export function bucketMinutes(series: PerMinute, maxPoints = MAX_CHART_POINTS): Buckets {
  const n = series.at.length;
  const minutes = Math.max(1, Math.ceil(n / maxPoints));
  const groups: number[][] = [];
  for (let start = 0; start < n; start += minutes) {
    groups.push(Array.from({ length: Math.min(minutes, n - start) }, (_, k) => start + k));
  }
  const sum = (values: number[]) => groups.map((g) => g.reduce((total, i) => total + (values[i] ?? 0), 0));
  const worst = (values: (number | null)[]) =>
    groups.map((g) => {
      const seen = g
        .map((i) => values[i])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      return seen.length > 0 ? Math.max(...seen) : null;
    });
  const at = groups.map((g) => series.at[g[0]!]!);
  return {
    minutes,
    endsAt: groups.map((g) => series.at[g.at(-1)!]! + MINUTE_MS),
    series: {
      at,
      targetInvocations: sum(series.targetInvocations),
      targetErrors: sum(series.targetErrors),
      stableInvocations: sum(series.stableInvocations),
      stableErrors: sum(series.stableErrors),
      targetP99: worst(series.targetP99),
      stableP99: worst(series.stableP99),
    },
  };
}
