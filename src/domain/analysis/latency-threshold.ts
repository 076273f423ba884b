/**
 * The latency gate's exact count (docs/analysis.md#latency-latency-increase): a threshold T fixed
 * from the stable version's own p99 BEFORE the deployment, then per minute CloudWatch's trimmed
 * count `TC(T:)` of both versions (the number of Duration values above T). T depends only on
 * minutes before the deployment, so within a minute of the shift, when the versions are equal,
 * the new version's count above T given both versions' calls and the minute's total above T is
 * hypergeometric, exactly like errors.
 *
 * CloudWatch: "TC(x:y)… Trimmed count is the number of data points in the chosen range";
 * percentile-based bounds are exclusive below and inclusive above, so `TC(T:)` counts values > T.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
import type { MetricQuery, MetricSeries } from '../health-readings.js';
import { MINUTE_MS } from './windows.js';

/** Minutes before the deployment whose pooled percentile of the alias becomes T. */
export const BASELINE_MINUTES = 15;
/** Query id of the pre-deployment p99 (alias-level, all traffic was stable then). */
export const BASELINE_QUERY_ID = 'b_base';
/** Query id of the pre-deployment invocation count the p99 came from. */
export const BASELINE_COUNT_QUERY_ID = 'b_cnt';
/**
 * T is fixed only from a baseline with at least this many calls expected above it (500 calls for
 * a p99): from fewer, the percentile is one of the slowest few calls — a function deployed a
 * minute after it was created, or one idle until then — and T lands far from stable's tail
 * (seen: 222 ms for a stable p99 of 122 ms, from a 10-second sliver of baseline), which leaves the
 * test valid but nearly blind. The gate then compares each minute with stable's own percentile
 * in that minute (the ladder, paired-minutes.ts), as before T is known.
 */
export const MIN_CALLS_ABOVE_THRESHOLD = 5;

/** The whole minutes before the minute in which the deployment started. */
export function baselineRange(deploymentStartedAt: number): { start: number; end: number } {
  const end = Math.floor(deploymentStartedAt / MINUTE_MS) * MINUTE_MS;
  return { start: end - BASELINE_MINUTES * MINUTE_MS, end };
}

/** T rounded to a thousandth of a millisecond, as it appears in the statistic's name. */
export function thresholdStat(thresholdMs: number): string {
  return `TC(${Number(thresholdMs.toFixed(3))}:)`;
}

/**
 * One datapoint of Duration p99 over the whole baseline (the period is the baseline's length,
 * so CloudWatch pools the 15 minutes exactly instead of giving 15 per-minute p99s). Alias-level
 * dimensions: before the deployment every call of the alias ran the stable version.
 */
export function baselineQuery(functionName: string, alias: string, percentile: string): MetricQuery {
  return {
    id: BASELINE_QUERY_ID,
    namespace: 'AWS/Lambda',
    metricName: 'Duration',
    dimensions: { FunctionName: functionName, Resource: `${functionName}:${alias}` },
    stat: percentile,
    periodSeconds: BASELINE_MINUTES * 60,
    returnData: true,
  };
}

/** The same baseline's invocations (alias-level Sum over the whole period). */
export function baselineCountQuery(functionName: string, alias: string): MetricQuery {
  return {
    id: BASELINE_COUNT_QUERY_ID,
    namespace: 'AWS/Lambda',
    metricName: 'Invocations',
    dimensions: { FunctionName: functionName, Resource: `${functionName}:${alias}` },
    stat: 'Sum',
    periodSeconds: BASELINE_MINUTES * 60,
    returnData: true,
  };
}

export type BaselineThreshold =
  /** T, from enough calls. */
  | { ms: number }
  /** Too few calls before the deployment for T (MIN_CALLS_ABOVE_THRESHOLD): the ladder is used. */
  | { thin: number };

/**
 * T from the answer; undefined while CloudWatch has not (yet) delivered both the percentile and
 * the count of the baseline. `level` is the percentile as a fraction (0.99 for p99).
 */
export function readBaselineThreshold(
  series: readonly MetricSeries[],
  deploymentStartedAt: number,
  level: number,
): BaselineThreshold | undefined {
  const at = baselineRange(deploymentStartedAt).start;
  const ms = seriesValueAt(series, BASELINE_QUERY_ID, at);
  const calls = seriesValueAt(series, BASELINE_COUNT_QUERY_ID, at);
  if (ms === undefined || !(ms > 0) || calls === undefined) return undefined;
  if (calls * (1 - level) < MIN_CALLS_ABOVE_THRESHOLD) return { thin: calls };
  return { ms };
}

/** The finite value of query `id` at timestamp `at`, if CloudWatch delivered one. */
export function seriesValueAt(series: readonly MetricSeries[], id: string, at: number): number | undefined {
  const s = series.find((x) => x.id === id);
  const i = s ? s.timestamps.indexOf(at) : -1;
  const value = i < 0 ? undefined : s!.values[i];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
