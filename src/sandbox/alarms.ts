/**
 * CloudWatch alarm operations: PutMetricAlarm, PutCompositeAlarm, DescribeAlarms,
 * SetAlarmState, DeleteAlarms. Evaluation itself lives in alarm-ticks.ts.
 */
import { COMPARISON_OPERATORS, TREAT_MISSING } from './alarm-evaluation.js';
import { compositeAlarmOut, metricAlarmOut } from './alarm-output.js';
import { setState } from './alarm-ticks.js';
import { cloudWatchErrors } from './api-error.js';
import { readPeriod, readQueries, requireString } from './cloudwatch-metrics.js';
import { parseAlarmRule, RuleError, ruleAlarms } from './composite-rule.js';
import { readDimensions } from './custom-metrics.js';
import { BASIC_STATS, percentileOf } from './distribution.js';
import { parseExpression } from './metric-math.js';
import { hasOwn, own, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { AlarmData, AlarmStateValue } from './types.js';

const STATES: AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const MINUTE_MS = 60_000;

export function putMetricAlarm(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const name = requireString(input.AlarmName, 'AlarmName');
  const evaluationPeriods = positiveInt(input.EvaluationPeriods, 'EvaluationPeriods');
  const datapointsToAlarm =
    input.DatapointsToAlarm === undefined
      ? evaluationPeriods
      : positiveInt(input.DatapointsToAlarm, 'DatapointsToAlarm');
  if (datapointsToAlarm > evaluationPeriods) {
    throw cloudWatchErrors.invalidParameter(
      'DatapointsToAlarm must be less than or equal to EvaluationPeriods.',
    );
  }
  const comparisonOperator = requireString(input.ComparisonOperator, 'ComparisonOperator');
  if (!COMPARISON_OPERATORS.includes(comparisonOperator)) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${comparisonOperator} for parameter ComparisonOperator is not supported by the sandbox (${COMPARISON_OPERATORS.join(', ')}).`,
    );
  }
  const treatMissingData = input.TreatMissingData === undefined ? 'missing' : String(input.TreatMissingData);
  if (!TREAT_MISSING.includes(treatMissingData)) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${treatMissingData} for parameter TreatMissingData is invalid; use ${TREAT_MISSING.join(', ')}.`,
    );
  }
  if (typeof input.Threshold !== 'number') throw cloudWatchErrors.missingParameter('Threshold');
  const metric = input.Metrics !== undefined ? metricMathPart(input) : singleMetricPart(input);
  const period = metric.period ?? metric.metrics?.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60;
  if (period * evaluationPeriods > 7 * 86_400) {
    throw cloudWatchErrors.invalidParameter(
      'The product of EvaluationPeriods and Period must not exceed 604800 seconds (7 days).',
    );
  }
  const now = sb.simNow();
  const existing = own(sb.data.alarms, name);
  if (existing && existing.kind !== 'metric') {
    throw cloudWatchErrors.invalidParameter(
      `An alarm named ${name} already exists and is a composite alarm.`,
    );
  }
  setOwn(sb.data.alarms, name, {
    ...baseFields(input, name),
    kind: 'metric',
    ...metric,
    unit: typeof input.Unit === 'string' ? input.Unit : undefined,
    evaluationPeriods,
    datapointsToAlarm,
    threshold: input.Threshold,
    comparisonOperator,
    treatMissingData,
    // Updating an alarm keeps its state (CloudWatch overwrites the configuration only).
    ...stateFields(existing, now),
  });
  sb.markDirty();
  return {};
}

function singleMetricPart(input: Record<string, unknown>): Partial<AlarmData> {
  const namespace = requireString(input.Namespace, 'Namespace');
  const metricName = requireString(input.MetricName, 'MetricName');
  const hasStat = input.Statistic !== undefined;
  if (hasStat === (input.ExtendedStatistic !== undefined)) {
    throw cloudWatchErrors.combination(
      'Exactly one of the Statistic and ExtendedStatistic parameters must be specified.',
    );
  }
  if (hasStat && !(BASIC_STATS as readonly string[]).includes(String(input.Statistic))) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${String(input.Statistic)} for parameter Statistic is invalid.`,
    );
  }
  if (!hasStat && percentileOf(String(input.ExtendedStatistic)) === undefined) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${String(input.ExtendedStatistic)} for parameter ExtendedStatistic is not a statistic the sandbox supports (pNN).`,
    );
  }
  return {
    namespace,
    metricName,
    dimensions: readDimensions(input.Dimensions, 'Dimensions'),
    statistic: hasStat ? String(input.Statistic) : undefined,
    extendedStatistic: hasStat ? undefined : String(input.ExtendedStatistic),
    period: readPeriod(input.Period, 'Period'),
  };
}

function metricMathPart(input: Record<string, unknown>): Partial<AlarmData> {
  for (const field of ['Namespace', 'MetricName', 'Statistic', 'ExtendedStatistic', 'Dimensions', 'Period']) {
    if (input[field] !== undefined) {
      throw cloudWatchErrors.combination(`The parameter ${field} cannot be used together with Metrics.`);
    }
  }
  const metrics = readQueries(input.Metrics, 'Metrics');
  for (const query of metrics) {
    if (query.Expression === undefined) continue;
    try {
      parseExpression(query.Expression);
    } catch (error) {
      throw cloudWatchErrors.invalidParameter(
        `Error in expression '${query.Id}': ${(error as Error).message}`,
      );
    }
  }
  if (metrics.filter((q) => q.ReturnData !== false).length !== 1) {
    throw cloudWatchErrors.invalidParameter(
      'Exactly one element of the Metrics list must have ReturnData set to true.',
    );
  }
  return { metrics };
}

export function putCompositeAlarm(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const name = requireString(input.AlarmName, 'AlarmName');
  const rule = requireString(input.AlarmRule, 'AlarmRule');
  let children: string[];
  try {
    children = ruleAlarms(parseAlarmRule(rule));
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    throw cloudWatchErrors.invalidParameter(`Error in AlarmRule: ${error.message}`);
  }
  const missing = children.filter((child) => !hasOwn(sb.data.alarms, child));
  if (missing.length > 0) {
    throw cloudWatchErrors.invalidParameter(
      `Could not save the composite alarm as alarms [${missing.join(', ')}] in the alarm rule do not exist`,
    );
  }
  if (children.includes(name))
    throw cloudWatchErrors.invalidParameter('A composite alarm cannot refer to itself in its AlarmRule.');
  const existing = own(sb.data.alarms, name);
  if (existing && existing.kind !== 'composite') {
    throw cloudWatchErrors.invalidParameter(`An alarm named ${name} already exists and is a metric alarm.`);
  }
  setOwn(sb.data.alarms, name, {
    ...baseFields(input, name),
    kind: 'composite',
    alarmRule: rule,
    ...stateFields(existing, sb.simNow()),
  });
  sb.markDirty();
  return {};
}

function baseFields(input: Record<string, unknown>, name: string) {
  const list = (raw: unknown) => (Array.isArray(raw) ? raw.map(String) : []);
  return {
    name,
    description: typeof input.AlarmDescription === 'string' ? input.AlarmDescription : undefined,
    actionsEnabled: input.ActionsEnabled !== false,
    okActions: list(input.OKActions),
    alarmActions: list(input.AlarmActions),
    insufficientDataActions: list(input.InsufficientDataActions),
  };
}

function stateFields(existing: AlarmData | undefined, now: number) {
  return {
    stateValue: existing?.stateValue ?? ('INSUFFICIENT_DATA' as const),
    stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
    stateReasonData: existing?.stateReasonData,
    stateUpdatedMs: existing?.stateUpdatedMs ?? now,
    stateTransitionedMs: existing?.stateTransitionedMs ?? now,
    configUpdatedMs: now,
    // The first evaluation is at the next minute boundary.
    lastTickMs: existing?.lastTickMs ?? Math.floor(now / MINUTE_MS) * MINUTE_MS,
  };
}

export function describeAlarms(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const names = Array.isArray(input.AlarmNames) ? input.AlarmNames.map(String) : undefined;
  if (names && names.length > 100) {
    throw cloudWatchErrors.invalidParameter(
      'The collection AlarmNames must not have a size greater than 100.',
    );
  }
  const prefix = typeof input.AlarmNamePrefix === 'string' ? input.AlarmNamePrefix : undefined;
  if (names && prefix !== undefined) {
    throw cloudWatchErrors.combination('AlarmNames and AlarmNamePrefix cannot be used together.');
  }
  // Without AlarmTypes, DescribeAlarms returns metric alarms only, even for a named composite.
  const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes.map(String) : ['MetricAlarm'];
  const state = typeof input.StateValue === 'string' ? input.StateValue : undefined;
  const matching = Object.values(sb.data.alarms)
    .filter((a) => !names || names.includes(a.name))
    .filter((a) => prefix === undefined || a.name.startsWith(prefix))
    .filter((a) => state === undefined || a.stateValue === state)
    .filter((a) => types.includes(a.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const max = typeof input.MaxRecords === 'number' ? Math.min(Math.max(1, input.MaxRecords), 100) : 50;
  const start =
    typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) || 0 : 0;
  const page = matching.slice(start, start + max);
  const next =
    start + max < matching.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return {
    MetricAlarms: page.filter((a) => a.kind === 'metric').map((a) => metricAlarmOut(sb, a)),
    CompositeAlarms: page.filter((a) => a.kind === 'composite').map((a) => compositeAlarmOut(sb, a)),
    ...(next ? { NextToken: next } : {}),
  };
}

export function setAlarmState(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const name = requireString(input.AlarmName, 'AlarmName');
  const value = requireString(input.StateValue, 'StateValue') as AlarmStateValue;
  const reason = requireString(input.StateReason, 'StateReason');
  if (!STATES.includes(value)) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${value} for parameter StateValue is invalid; use OK, ALARM or INSUFFICIENT_DATA.`,
    );
  }
  const reasonData = typeof input.StateReasonData === 'string' ? input.StateReasonData : undefined;
  if (reasonData !== undefined) {
    try {
      JSON.parse(reasonData);
    } catch {
      throw cloudWatchErrors.invalidParameter('The parameter StateReasonData must be a JSON document.');
    }
  }
  const alarm = own(sb.data.alarms, name);
  if (!alarm) throw cloudWatchErrors.notFound(`Alarm ${name} not found`);
  // Stays until the next evaluation (the next minute boundary) says otherwise.
  setState(alarm, value, reason, reasonData, sb.simNow());
  sb.markDirty();
  return {};
}

export function deleteAlarms(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const names = Array.isArray(input.AlarmNames) ? input.AlarmNames.map(String) : [];
  if (names.length === 0) throw cloudWatchErrors.missingParameter('AlarmNames');
  const missing = names.filter((n) => !hasOwn(sb.data.alarms, n));
  if (missing.length > 0) throw cloudWatchErrors.notFound(`Alarm(s) not found: [${missing.join(', ')}]`);
  for (const n of names) delete sb.data.alarms[n];
  sb.markDirty();
  return {};
}

function positiveInt(raw: unknown, field: string): number {
  if (raw === undefined) throw cloudWatchErrors.missingParameter(field);
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${String(raw)} for parameter ${field} must be a whole number of at least 1.`,
    );
  }
  return raw;
}
