/**
 * The asynchronous-delivery gate (issue 14): the new version's destination and dead-letter
 * delivery failures, and the function's dropped events, since the deployment started. Its reads
 * go into the poll's single GetMetricData call through batchMetricReads (metric-batch.ts).
 * It never throws: an unreadable signal is an `error` verdict, never a pass.
 */
import { ASYNC_GATE, type AsyncTotals, judgeAsyncSignals } from '../domain/async-health.js';
import { describeFailedSeries, findFailedSeries } from '../domain/health-readings.js';
import type { Verdict } from '../domain/verdict.js';
import type { MetricQuery, MetricSeries, MetricsPort } from '../ports/metrics.js';
import type { HealthGate, HealthWindow } from './health-gate.js';
import { type GateReadOptions, unreadableVerdict } from './ignored-read.js';

const MINUTE_MS = 60_000;
const NAMESPACE = 'AWS/Lambda';

export function createAsyncGate(metrics: MetricsPort, opts: GateReadOptions = {}): HealthGate {
  return {
    name: ASYNC_GATE,
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      const start = Math.floor(window.deploymentStartedAt / MINUTE_MS) * MINUTE_MS;
      const end = Math.floor(window.now / MINUTE_MS) * MINUTE_MS;
      // No whole minute yet: nothing to read (CloudWatch rejects an empty range).
      if (end <= start) return [];
      try {
        const series = await metrics.getMetricData(buildAsyncQueries(window), start, end);
        const failed = findFailedSeries(series);
        if (failed.length > 0) throw new Error(describeFailedSeries(failed));
        return judgeAsyncSignals(totals(series), { targetVersion: window.targetVersion, now: window.now });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [
          unreadableVerdict(opts, {
            gate: ASYNC_GATE,
            summary: `could not read the asynchronous-invocation metrics of ${window.functionName}: ${message}`,
            details: { gate: ASYNC_GATE, reason: 'metrics-unreadable', error: message },
            at: window.now,
          }),
        ];
      }
    },
  };
}

export function buildAsyncQueries(
  w: Pick<HealthWindow, 'functionName' | 'alias' | 'targetVersion'>,
): MetricQuery[] {
  const perVersion = {
    FunctionName: w.functionName,
    Resource: `${w.functionName}:${w.alias}`,
    ExecutedVersion: w.targetVersion,
  };
  const functionWide = { FunctionName: w.functionName };
  const q = (
    id: string,
    metricName: string,
    dimensions: Record<string, string>,
    stat = 'Sum',
  ): MetricQuery => ({
    id,
    namespace: NAMESPACE,
    metricName,
    dimensions,
    stat,
    periodSeconds: 60,
  });
  return [
    q('lsasync_delivery', 'DestinationDeliveryFailures', perVersion),
    q('lsasync_dlq', 'DeadLetterErrors', perVersion),
    q('lsasync_received', 'AsyncEventsReceived', functionWide),
    q('lsasync_dropped', 'AsyncEventsDropped', functionWide),
    q('lsasync_age', 'AsyncEventAge', functionWide, 'Maximum'),
  ];
}

function totals(series: MetricSeries[]): AsyncTotals {
  const sum = (id: string) => (series.find((s) => s.id === id)?.values ?? []).reduce((a, b) => a + b, 0);
  const ages = series.find((s) => s.id === 'lsasync_age')?.values ?? [];
  const out: AsyncTotals = {
    deliveryFailures: sum('lsasync_delivery'),
    deadLetterErrors: sum('lsasync_dlq'),
    received: sum('lsasync_received'),
    dropped: sum('lsasync_dropped'),
  };
  if (ages.length > 0) out.maxEventAgeMs = Math.max(...ages);
  return out;
}
