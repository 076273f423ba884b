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
  /**
   * Epoch ms its configuration last changed, when known (AlarmConfigurationUpdatedTimestamp): a
   * state change at that moment is its creation (or a change of its definition), which its
   * history records as a ConfigurationUpdate, not a StateUpdate (alarm-flaps.ts judgeFlap).
   */
  configUpdatedAt?: number;
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
  /**
   * CloudWatch StatusCode: Complete, PartialData, InternalError, Forbidden; or MISSING_SERIES when
   * CloudWatch's answer held no result for this query at all.
   */
  status: string;
}

/**
 * The status of a series CloudWatch's answer left out. GetMetricData answers every query that
 * returns data, with empty Timestamps and Values when there is none
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html), so
 * an answer without one came from something else (a proxy, an emulator): read as "no data yet" it
 * would be unknown health taken for a quiet minute.
 */
export const MISSING_SERIES = 'Missing';

/** Series whose data CloudWatch could not deliver: InternalError, Forbidden, or left out. */
export function findFailedSeries(series: readonly MetricSeries[]): MetricSeries[] {
  return series.filter(
    (s) => s.status === 'InternalError' || s.status === 'Forbidden' || s.status === MISSING_SERIES,
  );
}

/** The error a gate reports for `failed` (from findFailedSeries). */
export function describeFailedSeries(failed: readonly MetricSeries[]): string {
  const ids = failed.map((s) =>
    s.status === MISSING_SERIES ? `${s.id} (absent from its answer)` : `${s.id} (${s.status})`,
  );
  return `CloudWatch could not deliver ${ids.join(', ')}`;
}
