/**
 * What the engine needs from CloudWatch: alarm states and metric data. Implemented by
 * src/aws/cloudwatch-adapter.ts (real SDK) and fakes in tests.
 */
import type { AlarmState, MetricQuery, MetricSeries } from '../domain/health-readings.js';

export type {
  AlarmState,
  AlarmStateValue,
  MetricExpressionQuery,
  MetricQuery,
  MetricSeries,
  MetricStatQuery,
} from '../domain/health-readings.js';

export interface MetricsPort {
  /**
   * DescribeAlarms for the given names (batched by 100 inside the adapter, one call per 100).
   * Names that do not exist are absent from the result; the caller decides what that means.
   */
  describeAlarms(names: string[]): Promise<AlarmState[]>;
  /** GetMetricData in ONE call (≤ 500 queries), all pages. Times are epoch ms. */
  getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]>;
}
