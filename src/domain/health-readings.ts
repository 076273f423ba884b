/**
 * What health readings look like: alarm states and CloudWatch metric queries and series. Plain
 * data shared by the domain (judges, events) and the MetricsPort that fetches them.
 */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmState {
  name: string;
  state: AlarmStateValue;
  reason?: string;
  /** Epoch ms of the last state update, when known (StateUpdatedTimestamp). */
  updatedAt?: number;
  /**
   * Epoch ms the state value last changed, when known (StateTransitionedTimestamp): when it
   * moved since the last poll, the alarm may have been ALARM in between (alarm-flaps.ts).
   */
  transitionedAt?: number;
}

/** One state change of an alarm, from its history (DescribeAlarmHistory, StateUpdate items). */
export interface AlarmTransition {
  /** Epoch ms. */
  at: number;
  /** Unknown when the history item's data could not be read. */
  from?: AlarmStateValue;
  to: AlarmStateValue;
  reason?: string;
}

/**
 * An alarm's state changes in a time range, oldest first. `complete` is false when the read
 * stopped at its page bound or an item could not be read: what is missing may have been ALARM.
 */
export interface AlarmHistory {
  transitions: AlarmTransition[];
  complete: boolean;
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
