/**
 * What health readings look like: alarm states and CloudWatch metric queries and series. Plain
 * data shared by the domain (judges, events) and the MetricsPort that fetches them.
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
