/**
 * What the engine needs from CloudWatch: alarm states and metric data. Implemented by
 * src/aws/cloudwatch-adapter.ts (real SDK) and fakes in tests.
 */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  name: string;
  state: AlarmStateValue;
  reason?: string;
  /** Epoch ms of the last state change, when known. */
  updatedAt?: number;
}

export interface MetricStatQuery {
  /** Query id, `[a-z][a-zA-Z0-9_]*` as CloudWatch requires. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** `Sum`, `Average`, `SampleCount`, `Maximum`, `Minimum`, or a percentile like `p99`. */
  stat: string;
  periodSeconds: number;
  returnData?: boolean;
}

export interface MetricExpressionQuery {
  id: string;
  /** Metric math over other query ids, e.g. `errors / invocations`. */
  expression: string;
  periodSeconds?: number;
  returnData?: boolean;
}

export type MetricQuery = MetricStatQuery | MetricExpressionQuery;

export interface MetricSeries {
  id: string;
  /** Epoch ms of each datapoint (period start), ascending. Missing periods are simply absent. */
  timestamps: number[];
  values: number[];
  /** CloudWatch StatusCode: Complete, PartialData, InternalError, Forbidden. */
  status: string;
}

export interface MetricsPort {
  /**
   * DescribeAlarms for the given names (batched by 100 inside the adapter, one call per 100).
   * Names that do not exist are absent from the result; the caller decides what that means.
   */
  describeAlarms(names: string[]): Promise<AlarmState[]>;
  /** GetMetricData in ONE call (≤ 500 queries), all pages. Times are epoch ms. */
  getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]>;
}
