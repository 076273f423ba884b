/**
 * The alias's recent request rate, for the plan check before the first weight write
 * (src/domain/analysis/plan-check.ts). One GetMetricData call; never throws: an unknown rate
 * only means one warning fewer.
 */
import { TYPICAL_METRIC_DELAY_SECONDS } from '../domain/analysis/plan-check.js';
import { MINUTE_MS } from '../domain/analysis/windows.js';
import type { MetricSeries, MetricsPort } from '../ports/metrics.js';

const LOOKBACK_MINUTES = 15;

/** Mean Invocations per minute of the alias over the last 15 whole minutes that reported any. */
export async function readRecentRequestRate(
  metrics: MetricsPort,
  functionName: string,
  alias: string,
  now: number,
): Promise<number | undefined> {
  const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  try {
    const [series] = await metrics.getMetricData(
      [
        {
          id: 'rpm',
          namespace: 'AWS/Lambda',
          metricName: 'Invocations',
          dimensions: { FunctionName: functionName, Resource: `${functionName}:${alias}` },
          stat: 'Sum',
          periodSeconds: 60,
          returnData: true,
        },
      ],
      end - LOOKBACK_MINUTES * MINUTE_MS,
      end,
    );
    return series && meanOfSettledMinutes(series, end);
  } catch {
    return undefined;
  }
}

/**
 * The mean of the minutes CloudWatch has had time to fill: the latest ones arrive partial and grow
 * for a few minutes, and counted as they were they made a short history's rate look smaller than
 * it is (the plan warned that it could not collect its sample at a rate it could). The first
 * minute of traffic that began inside the window is left out too: traffic starting mid-minute
 * (a function or a sandbox world a few minutes old) fills only part of it, and a deploy 3 minutes
 * after a sandbox's start warned "at about 117 requests a minute … expect inconclusive" of an
 * alias taking 600 (found by a docs pass, session 59). When only such partial minutes reported
 * the rate is unknown: each undercounts it (even the largest said 435 of 600), and a warning
 * fewer is better than a false one telling the user to change a plan that would do.
 */
export function meanOfSettledMinutes(series: MetricSeries, end: number): number | undefined {
  const settledBefore = end - TYPICAL_METRIC_DELAY_SECONDS * 1000;
  const minutes = series.timestamps
    .map((at, i) => ({ at, value: series.values[i] }))
    .filter((m): m is { at: number; value: number } => m.value !== undefined && Number.isFinite(m.value))
    .sort((a, b) => a.at - b.at);
  const windowStart = end - LOOKBACK_MINUTES * MINUTE_MS;
  const whole = minutes[0] !== undefined && minutes[0].at > windowStart ? minutes.slice(1) : minutes;
  const settled = whole.filter((m) => m.at + MINUTE_MS <= settledBefore);
  if (settled.length === 0) return undefined;
  return settled.reduce((sum, m) => sum + m.value, 0) / settled.length;
}
