/**
 * CloudWatch evaluates alarms every minute. The sandbox does it lazily: before any CloudWatch
 * call it replays each missed minute boundary, in order, seeing at each one only the datapoints
 * visible then. State history (StateUpdatedTimestamp, `ignore`) is thus what a continuously
 * running CloudWatch would show.
 */
import { type AlarmRule, EXTRA_PERIODS, evaluateAlarm } from './alarm-evaluation.js';
import { recordStateChange } from './alarm-history.js';
import { evaluateQueries } from './cloudwatch-metrics.js';
import { evaluateRule, parseAlarmRule } from './composite-rule.js';
import { type Point, queryStatPoints } from './metric-query.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { AlarmData, AlarmStateValue } from './types.js';

const MINUTE_MS = 60_000;
/** At most a day of missed evaluations is replayed; older ones are skipped. */
const MAX_CATCH_UP_TICKS = 1440;

/** Evaluates every minute boundary up to `untilMs` (now by default; CodeDeploy's catch-up passes earlier times). */
export function advanceAlarms(sb: Sandbox, untilMs = sb.simNow()): void {
  const alarms = Object.values(sb.data.alarms);
  if (alarms.length === 0) return;
  const nowTick = Math.floor(untilMs / MINUTE_MS) * MINUTE_MS;
  const oldest = Math.min(...alarms.map((a) => a.lastTickMs));
  if (oldest >= nowTick) return;
  const firstTick = Math.max(oldest + MINUTE_MS, nowTick - (MAX_CATCH_UP_TICKS - 1) * MINUTE_MS);
  const metricAlarms = alarms.filter((a) => a.kind === 'metric').sort(byName);
  const composites = alarms.filter((a) => a.kind === 'composite').sort(byName);
  for (let tick = firstTick; tick <= nowTick; tick += MINUTE_MS) {
    for (const alarm of metricAlarms) {
      if (tick > alarm.lastTickMs) evaluateMetricAlarmAt(sb, alarm, tick);
    }
    // A composite may read another composite: settle them in a few passes.
    const dueComposites = composites.filter((alarm) => tick > alarm.lastTickMs);
    for (let pass = 0; pass < 3; pass++) {
      for (const alarm of dueComposites) evaluateCompositeAt(sb, alarm, tick);
    }
    for (const alarm of [...metricAlarms, ...composites]) alarm.lastTickMs = Math.max(alarm.lastTickMs, tick);
  }
  sb.markDirty();
}

export function alarmRule(alarm: AlarmData): AlarmRule {
  return {
    periodSeconds: alarmPeriod(alarm),
    evaluationPeriods: alarm.evaluationPeriods ?? 1,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods ?? 1,
    threshold: alarm.threshold ?? 0,
    comparisonOperator: alarm.comparisonOperator ?? 'GreaterThanThreshold',
    treatMissingData: alarm.treatMissingData ?? 'missing',
    statistic: alarm.statistic ?? alarm.extendedStatistic ?? 'MetricMath',
  };
}

function evaluateMetricAlarmAt(sb: Sandbox, alarm: AlarmData, tick: number): void {
  const rule = alarmRule(alarm);
  // Periods end at the evaluation time (a minute boundary).
  const endMs = tick;
  const startMs = endMs - (rule.evaluationPeriods + EXTRA_PERIODS) * rule.periodSeconds * 1000;
  let points: Point[];
  try {
    points = alarmPoints(sb, alarm, startMs, endMs, tick);
  } catch (error) {
    // A metric-math alarm whose expression cannot be evaluated has no data, as in CloudWatch.
    setState(
      alarm,
      'INSUFFICIENT_DATA',
      `Unable to evaluate the alarm: ${(error as Error).message}`,
      undefined,
      tick,
    );
    return;
  }
  const result = evaluateAlarm(rule, points, tick);
  if (result) setState(alarm, result.state, result.reason, result.reasonData, tick);
}

function alarmPoints(sb: Sandbox, alarm: AlarmData, startMs: number, endMs: number, tick: number): Point[] {
  if (alarm.metrics) {
    const series = evaluateQueries(sb, alarm.metrics, startMs, endMs, tick);
    const returned = alarm.metrics.find((q) => q.ReturnData !== false) ?? alarm.metrics[0]!;
    return [...(series.get(returned.Id) ?? new Map()).entries()].map(([ts, value]) => ({ ts, value }));
  }
  const spec = {
    namespace: alarm.namespace!,
    metricName: alarm.metricName!,
    dimensions: alarm.dimensions ?? [],
  };
  const stat = alarm.statistic ?? alarm.extendedStatistic!;
  return queryStatPoints(sb, spec, stat, alarm.period!, startMs, endMs, tick);
}

function alarmPeriod(alarm: AlarmData): number {
  if (alarm.period !== undefined) return alarm.period;
  const returned = alarm.metrics?.find((q) => q.ReturnData !== false);
  const stat = alarm.metrics?.find((q) => q.MetricStat)?.MetricStat;
  return returned?.Period ?? returned?.MetricStat?.Period ?? stat?.Period ?? 60;
}

function evaluateCompositeAt(sb: Sandbox, alarm: AlarmData, tick: number): void {
  let rule: ReturnType<typeof parseAlarmRule>;
  try {
    rule = parseAlarmRule(alarm.alarmRule ?? 'FALSE');
  } catch {
    return;
  }
  const stateOf = (name: string) => own(sb.data.alarms, name)?.stateValue;
  const fired = evaluateRule(rule, stateOf);
  const state: AlarmStateValue = fired ? 'ALARM' : 'OK';
  if (state === alarm.stateValue) return;
  const reason = fired
    ? `The alarm rule evaluated to TRUE: ${alarm.alarmRule}`
    : `The alarm rule evaluated to FALSE: ${alarm.alarmRule}`;
  const triggering = Object.values(sb.data.alarms)
    .filter((a) => alarm.alarmRule?.includes(a.name) && a.name !== alarm.name)
    .map((a) => ({
      arn: sb.alarmArn(a.name),
      state: { value: a.stateValue, timestamp: new Date(a.stateUpdatedMs).toISOString() },
    }));
  setState(alarm, state, reason, JSON.stringify({ triggeringAlarms: triggering }), tick);
}

/** A state change (same state: nothing happens, as in CloudWatch). */
export function setState(
  alarm: AlarmData,
  state: AlarmStateValue,
  reason: string,
  reasonData: string | undefined,
  atMs: number,
): void {
  if (state === alarm.stateValue) return;
  recordStateChange(alarm, state, reason, atMs);
  alarm.stateValue = state;
  alarm.stateReason = reason;
  alarm.stateReasonData = reasonData;
  alarm.stateUpdatedMs = atMs;
  alarm.stateTransitionedMs = atMs;
}

function byName(a: AlarmData, b: AlarmData): number {
  return a.name.localeCompare(b.name);
}
