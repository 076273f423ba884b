/**
 * The alias's recent request rate, for the plan check before the first weight write
 * (src/domain/analysis/plan-check.ts). One GetMetricData call; never throws: an unknown rate
 * only means one warning fewer.
 */
import { TYPICAL_METRIC_DELAY_SECONDS } from '../domain/analysis/plan-check.js';
import { MINUTE_MS } from '../domain/analysis/windows.js';
import type { MetricSeries, MetricsPort } from '../ports/metrics.js';

const LOOKBACK_MINUTES = 15;

/** Mean Invocations per minute of the alias over the last 15 minutes (meanOfSettledMinutes). */
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
 * Requests a minute over the minutes CloudWatch has had time to fill: the latest ones arrive
 * partial and grow for a few minutes, and counted as they were they made a short history's rate
 * look smaller than it is (the plan warned that it could not collect its sample at a rate it
 * could).
 * - A minute with no calls has no datapoint at all (Lambda publishes Invocations only for
 *   minutes that had some), so every settled minute after the first that reported counts, as 0
 *   when it reported nothing. Averaged over the reporting minutes alone, 10 calls every other
 *   minute read as 10 a minute, not 5, and hid the warning that the sample cannot be collected
 *   (found by a hostile pass, session 59).
 * - The first minute that reported is left out when it is not the window's first: traffic that
 *   began inside the window (a new function, a sandbox world a few minutes old) fills only part of
 *   it; a deploy 3 minutes after a sandbox's start warned "at about 117 requests a minute … expect
 *   inconclusive" of an alias taking 600 (found by a docs pass, session 59). With no settled
 *   minute after it the rate is unknown: a warning fewer is better than a false one telling the
 *   user to change a plan that would do.
 */
export function meanOfSettledMinutes(series: MetricSeries, end: number): number | undefined {
  const settledBefore = end - TYPICAL_METRIC_DELAY_SECONDS * 1000;
  const windowStart = end - LOOKBACK_MINUTES * MINUTE_MS;
  const calls = new Map<number, number>();
  series.timestamps.forEach((at, i) => {
    const value = series.values[i];
    if (value !== undefined && Number.isFinite(value)) calls.set(minuteOf(at), value);
  });
  const reported = [...calls.keys()].sort((a, b) => a - b);
  const first = reported[0];
  if (first === undefined) return undefined;
  const from = first <= windowStart ? first : first + MINUTE_MS;
  let minutes = 0;
  let sum = 0;
  for (let at = from; at + MINUTE_MS <= settledBefore; at += MINUTE_MS) {
    minutes += 1;
    sum += calls.get(at) ?? 0;
  }
  return minutes === 0 ? undefined : sum / minutes;
}

function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}
