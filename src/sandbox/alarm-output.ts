/** MetricAlarm / CompositeAlarm as DescribeAlarms returns them (timestamps in epoch seconds). */
import type { Sandbox } from './sandbox.js';
import type { AlarmData } from './types.js';

function commonOut(sb: Sandbox, a: AlarmData) {
  return {
    AlarmName: a.name,
    AlarmArn: sb.alarmArn(a.name),
    ...(a.description !== undefined ? { AlarmDescription: a.description } : {}),
    AlarmConfigurationUpdatedTimestamp: a.configUpdatedMs / 1000,
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.stateValue,
    StateReason: a.stateReason,
    ...(a.stateReasonData !== undefined ? { StateReasonData: a.stateReasonData } : {}),
    StateUpdatedTimestamp: a.stateUpdatedMs / 1000,
    StateTransitionedTimestamp: a.stateTransitionedMs / 1000,
  };
}

export function metricAlarmOut(sb: Sandbox, a: AlarmData): Record<string, unknown> {
  return {
    ...commonOut(sb, a),
    ...(a.metricName !== undefined
      ? { MetricName: a.metricName, Namespace: a.namespace, Dimensions: a.dimensions ?? [] }
      : {}),
    ...(a.statistic !== undefined ? { Statistic: a.statistic } : {}),
    ...(a.extendedStatistic !== undefined ? { ExtendedStatistic: a.extendedStatistic } : {}),
    ...(a.period !== undefined ? { Period: a.period } : {}),
    ...(a.unit !== undefined ? { Unit: a.unit } : {}),
    ...(a.metrics !== undefined ? { Metrics: a.metrics } : {}),
    EvaluationPeriods: a.evaluationPeriods,
    DatapointsToAlarm: a.datapointsToAlarm,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator,
    TreatMissingData: a.treatMissingData,
  };
}

export function compositeAlarmOut(sb: Sandbox, a: AlarmData): Record<string, unknown> {
  return { ...commonOut(sb, a), AlarmRule: a.alarmRule };
}
