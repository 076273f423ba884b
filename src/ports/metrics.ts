/**
 * What the engine needs from CloudWatch: alarm states and metric data. Implemented by
 * src/aws/cloudwatch-adapter.ts (real SDK) and fakes in tests.
 */
import type { AlarmHistory, AlarmState, MetricQuery, MetricSeries } from '../domain/health-readings.js';

export type {
  AlarmHistory,
  AlarmState,
  AlarmStateValue,
  AlarmTransition,
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
  /**
   * DescribeAlarmHistory: the state changes of one alarm from `startMs` to `endMs` (epoch ms,
   * both inclusive), oldest first, read in a bounded number of pages. Asked only when an alarm's
   * state changed since the last poll (alarm-gate.ts), so a normal poll stays one call.
   */
  describeAlarmHistory(name: string, startMs: number, endMs: number): Promise<AlarmHistory>;
  /** GetMetricData in ONE call (≤ 500 queries), all pages. Times are epoch ms. */
  getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]>;
}
