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
 * it is (the plan warned that it could not collect its sample at a rate it could). Only when no
 * older minute reported does the mean take the latest ones, as the best there is.
 */
export function meanOfSettledMinutes(series: MetricSeries, end: number): number | undefined {
  const settledBefore = end - TYPICAL_METRIC_DELAY_SECONDS * 1000;
  const minutes = series.timestamps
    .map((at, i) => ({ at, value: series.values[i] }))
    .filter((m): m is { at: number; value: number } => m.value !== undefined && Number.isFinite(m.value));
  const settled = minutes.filter((m) => m.at + MINUTE_MS <= settledBefore);
  const counted = settled.length > 0 ? settled : minutes;
  if (counted.length === 0) return undefined;
  return counted.reduce((sum, m) => sum + m.value, 0) / counted.length;
}
