/**
 * DescribeAlarmHistory's StateUpdate items: every state change the sandbox makes (an evaluation
 * at a minute boundary, SetAlarmState, a composite's rule) is kept on the alarm, the last
 * MAX_HISTORY_PER_ALARM of them (CloudWatch keeps 30 days, and a deleted alarm's history too; the
 * sandbox drops it with the alarm). Configuration and action items are not recorded.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
 */
import { cloudWatchErrors } from './api-error.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { AlarmData, AlarmHistoryEntry, AlarmStateValue } from './types.js';

export const MAX_HISTORY_PER_ALARM = 200;

export function recordStateChange(alarm: AlarmData, to: AlarmStateValue, reason: string, atMs: number): void {
  const history = alarm.stateHistory ?? [];
  history.push({ atMs, from: alarm.stateValue, to, reason });
  alarm.stateHistory = history.slice(-MAX_HISTORY_PER_ALARM);
}

const ITEM_TYPES = ['ConfigurationUpdate', 'StateUpdate', 'Action'];

export function describeAlarmHistory(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const name = typeof input.AlarmName === 'string' ? input.AlarmName : undefined;
  const itemType = typeof input.HistoryItemType === 'string' ? input.HistoryItemType : undefined;
  if (itemType !== undefined && !ITEM_TYPES.includes(itemType)) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${itemType} for parameter HistoryItemType is invalid; use ${ITEM_TYPES.join(', ')}.`,
    );
  }
  // Without AlarmTypes, CloudWatch returns metric alarms' history only.
  const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes.map(String) : ['MetricAlarm'];
  const startMs = typeof input.StartDate === 'number' ? input.StartDate * 1000 : Number.NEGATIVE_INFINITY;
  const endMs = typeof input.EndDate === 'number' ? input.EndDate * 1000 : Number.POSITIVE_INFINITY;
  const ascending = input.ScanBy === 'TimestampAscending';
  const alarms =
    name === undefined
      ? Object.values(sb.data.alarms)
      : [own(sb.data.alarms, name)].flatMap((a) => (a ? [a] : []));
  const items =
    itemType !== undefined && itemType !== 'StateUpdate'
      ? []
      : alarms
          .filter((a) => types.includes(alarmType(a)))
          .flatMap((a) => (a.stateHistory ?? []).map((entry) => ({ alarm: a, entry })))
          .filter(({ entry }) => entry.atMs >= startMs && entry.atMs <= endMs)
          .sort((x, y) => (ascending ? x.entry.atMs - y.entry.atMs : y.entry.atMs - x.entry.atMs));
  const max = typeof input.MaxRecords === 'number' ? Math.min(Math.max(1, input.MaxRecords), 100) : 50;
  const start =
    typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) || 0 : 0;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return {
    AlarmHistoryItems: page.map(({ alarm, entry }) => historyItem(alarm, entry)),
    ...(next ? { NextToken: next } : {}),
  };
}

function alarmType(alarm: AlarmData): string {
  return alarm.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm';
}

function historyItem(alarm: AlarmData, entry: AlarmHistoryEntry): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmType: alarmType(alarm),
    Timestamp: entry.atMs / 1000,
    HistoryItemType: 'StateUpdate',
    HistorySummary: `Alarm updated from ${entry.from} to ${entry.to}`,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: entry.from },
      newState: { stateValue: entry.to, stateReason: entry.reason },
    }),
  };
}
