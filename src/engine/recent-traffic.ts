/**
 * The alias's recent request rate, for the plan check before the first weight write
 * (src/domain/analysis/plan-check.ts). One GetMetricData call; never throws: an unknown rate
 * only means one warning fewer.
 */
import { MINUTE_MS } from '../domain/analysis/windows.js';
import type { MetricsPort } from '../ports/metrics.js';

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
    const values = (series?.values ?? []).filter((v) => Number.isFinite(v));
    if (values.length === 0) return undefined;
    return values.reduce((a, b) => a + b, 0) / values.length;
  } catch {
    return undefined;
  }
}
