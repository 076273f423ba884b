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

/** T from the answer: the baseline datapoint, or undefined when CloudWatch had none (yet). */
export function readBaselineThreshold(
  series: readonly MetricSeries[],
  deploymentStartedAt: number,
): number | undefined {
  const b = series.find((s) => s.id === BASELINE_QUERY_ID);
  if (!b) return undefined;
  const at = baselineRange(deploymentStartedAt).start;
  const i = b.timestamps.indexOf(at);
  const value = i < 0 ? undefined : b.values[i];
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
