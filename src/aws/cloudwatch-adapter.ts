/**
 * MetricsPort over the real CloudWatch client (awsJson1_0 wire protocol; timestamps travel as
 * epoch seconds, the port speaks epoch ms).
 */

import type {
  AlarmHistoryItem,
  CloudWatchClient,
  DescribeAlarmsOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { OperationError } from '../domain/errors.js';
import { MISSING_SERIES } from '../domain/health-readings.js';
import { printable } from '../domain/printable.js';
import type {
  AlarmHistory,
  AlarmState,
  AlarmStateValue,
  AlarmTransition,
  MetricQuery,
  MetricSeries,
  MetricsPort,
} from '../ports/metrics.js';
import { BoundedCaller, type CallerOptions } from './bounded-caller.js';
import { loadCloudWatchSdk } from './sdk-modules.js';

const { DescribeAlarmsCommand, DescribeAlarmHistoryCommand, paginateGetMetricData } = loadCloudWatchSdk();

/** DescribeAlarms accepts at most 100 AlarmNames (and returns at most 100 records a page). */
export const ALARM_NAMES_PER_CALL = 100;
/** GetMetricData accepts at most 500 MetricDataQueries. */
export const MAX_METRIC_QUERIES = 500;

/** DescribeAlarmHistory returns at most 100 items a page. */
export const HISTORY_ITEMS_PER_PAGE = 100;
/**
 * Pages of one alarm's history read per poll: 500 state changes between two polls is an alarm
 * flapping far faster than it evaluates; the read says it is incomplete rather than go on.
 */
export const MAX_HISTORY_PAGES = 5;

const ALARM_STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `alarms ${shown} and ${names.length - 5} more` : `alarms ${shown}`;
}

function toAlarmStates(page: DescribeAlarmsOutput): AlarmState[] {
  const alarms = [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])];
  return alarms.map((a) => {
    const state: AlarmState = {
      name: a.AlarmName ?? '',
      // An unknown state is never read as healthy.
      state: (ALARM_STATES.has(a.StateValue ?? '') ? a.StateValue : 'INSUFFICIENT_DATA') as AlarmStateValue,
    };
    // Anyone allowed SetAlarmState writes this text, and it is printed (src/domain/printable.ts).
    if (a.StateReason) state.reason = printable(a.StateReason);
    if (a.StateUpdatedTimestamp) state.updatedAt = a.StateUpdatedTimestamp.getTime();
    if (a.StateTransitionedTimestamp) state.transitionedAt = a.StateTransitionedTimestamp.getTime();
    if (a.AlarmConfigurationUpdatedTimestamp)
      state.configUpdatedAt = a.AlarmConfigurationUpdatedTimestamp.getTime();
    return state;
  });
}

function stateValueOf(raw: unknown): AlarmStateValue | undefined {
  return typeof raw === 'string' && ALARM_STATES.has(raw) ? (raw as AlarmStateValue) : undefined;
}

/**
 * A StateUpdate item as a transition. HistoryData is a JSON document with `oldState` and
 * `newState` ({stateValue, stateReason}); when it cannot be read, the summary ("Alarm updated
 * from OK to ALARM") still names the new state. An item that says neither is undefined: the
 * caller marks the history incomplete (unknown is never read as healthy).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_AlarmHistoryItem.html
 */
export function toAlarmTransition(item: AlarmHistoryItem): AlarmTransition | undefined {
  if (!item.Timestamp) return undefined;
  let data: {
    oldState?: { stateValue?: unknown };
    newState?: { stateValue?: unknown; stateReason?: unknown };
  } = {};
  try {
    data = JSON.parse(item.HistoryData ?? '{}') ?? {};
  } catch {
    // The summary below still names the new state.
  }
  const summaryTo = /\bto (OK|ALARM|INSUFFICIENT_DATA)\b/.exec(item.HistorySummary ?? '')?.[1];
  const to = stateValueOf(data.newState?.stateValue) ?? stateValueOf(summaryTo);
  if (!to) return undefined;
  const transition: AlarmTransition = { at: item.Timestamp.getTime(), to };
  const from = stateValueOf(data.oldState?.stateValue);
  if (from) transition.from = from;
  const reason = data.newState?.stateReason;
  // Anyone allowed SetAlarmState writes this text, and it is printed (src/domain/printable.ts).
  if (typeof reason === 'string' && reason !== '') transition.reason = printable(reason);
  return transition;
}

export function toMetricDataQuery(q: MetricQuery): MetricDataQuery {
  if ('expression' in q) {
    return { Id: q.id, Expression: q.expression, Period: q.periodSeconds, ReturnData: q.returnData ?? true };
  }
  return {
    Id: q.id,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
    ReturnData: q.returnData ?? true,
  };
}

/** Appends one page's results to the series by id; the last page's StatusCode wins (earlier pages say PartialData). */
function mergeResults(series: Map<string, MetricSeries>, results: MetricDataResult[]): void {
  for (const r of results) {
    const id = r.Id ?? '';
    const s = series.get(id) ?? { id, timestamps: [], values: [], status: 'Complete' };
    const times = r.Timestamps ?? [];
    const values = r.Values ?? [];
    for (let i = 0; i < Math.min(times.length, values.length); i++) {
      s.timestamps.push(times[i]!.getTime());
      s.values.push(values[i]!);
    }
    if (r.StatusCode) s.status = r.StatusCode;
    series.set(id, s);
  }
}

function sortAscending(s: MetricSeries): MetricSeries {
  const order = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a]! - s.timestamps[b]!);
  return { ...s, timestamps: order.map((i) => s.timestamps[i]!), values: order.map((i) => s.values[i]!) };
}

export type CloudWatchAdapterOptions = CallerOptions;

export class CloudWatchAdapter implements MetricsPort {
  private readonly caller: BoundedCaller;

  constructor(
    private readonly client: CloudWatchClient,
    options: CloudWatchAdapterOptions = {},
  ) {
    this.caller = new BoundedCaller(
      client.config,
      { prefix: 'cloudwatch', envSuffix: 'CLOUDWATCH', host: 'monitoring' },
      options,
    );
  }

  async describeAlarms(names: string[]): Promise<AlarmState[]> {
    const unique = [...new Set(names)];
    const batches = chunk(unique, ALARM_NAMES_PER_CALL);
    const states: AlarmState[] = [];
    for (const batch of batches) states.push(...(await this.describeBatch(batch)));
    return states;
  }

  private describeBatch(names: string[]): Promise<AlarmState[]> {
    return this.caller.call('DescribeAlarms', { resource: listNames(names) }, async ({ abortSignal }) => {
      const states: AlarmState[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmNames: names,
            // Both kinds: without AlarmTypes CloudWatch returns metric alarms only.
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: ALARM_NAMES_PER_CALL,
            NextToken: nextToken,
          }),
          { abortSignal },
        );
        states.push(...toAlarmStates(page));
        nextToken = page.NextToken;
      } while (nextToken);
      return states;
    });
  }

  /**
   * One alarm's StateUpdate items in [startMs, endMs], oldest first, at most MAX_HISTORY_PAGES
   * pages (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html).
   * Both alarm types: without AlarmTypes CloudWatch returns metric alarms' history only.
   */
  describeAlarmHistory(name: string, startMs: number, endMs: number): Promise<AlarmHistory> {
    return this.caller.call(
      'DescribeAlarmHistory',
      { resource: `alarm ${name}` },
      async ({ abortSignal }) => {
        const transitions: AlarmTransition[] = [];
        let nextToken: string | undefined;
        let pages = 0;
        let unreadable = false;
        do {
          const page = await this.client.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              HistoryItemType: 'StateUpdate',
              StartDate: new Date(startMs),
              EndDate: new Date(endMs),
              ScanBy: 'TimestampAscending',
              MaxRecords: HISTORY_ITEMS_PER_PAGE,
              NextToken: nextToken,
            }),
            { abortSignal },
          );
          pages++;
          for (const item of page.AlarmHistoryItems ?? []) {
            // Another alarm whose name has this one as a prefix is not asked for, but be sure.
            if (item.AlarmName !== undefined && item.AlarmName !== name) continue;
            if (item.HistoryItemType !== undefined && item.HistoryItemType !== 'StateUpdate') continue;
            const transition = toAlarmTransition(item);
            if (transition) transitions.push(transition);
            else unreadable = true;
          }
          nextToken = page.NextToken;
        } while (nextToken && pages < MAX_HISTORY_PAGES);
        transitions.sort((a, b) => a.at - b.at);
        return { transitions, complete: !nextToken && !unreadable };
      },
    );
  }

  async getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]> {
    if (queries.length > MAX_METRIC_QUERIES) {
      throw new OperationError(
        'TOO_MANY_METRIC_QUERIES',
        `${queries.length} metric queries exceed CloudWatch's limit of ${MAX_METRIC_QUERIES} per GetMetricData call.`,
        { hint: 'Watch fewer alarms/metrics at once.' },
      );
    }
    if (queries.length === 0) return [];
    const ctx = { resource: describeQueryIds(queries) };
    const series = new Map<string, MetricSeries>();
    await this.caller.call('GetMetricData', ctx, async ({ abortSignal }) => {
      const pages = paginateGetMetricData(
        { client: this.client },
        {
          MetricDataQueries: queries.map(toMetricDataQuery),
          StartTime: new Date(startMs),
          EndTime: new Date(endMs),
          ScanBy: 'TimestampAscending',
        },
        { abortSignal },
      );
      for await (const page of pages) mergeResults(series, page.MetricDataResults ?? []);
    });
    return queries
      .filter((q) => q.returnData !== false)
      .map((q) =>
        sortAscending(series.get(q.id) ?? { id: q.id, timestamps: [], values: [], status: MISSING_SERIES }),
      );
  }
}

/** Enough ids to recognise the call: a message listing all 25 of a poll's is repeated per gate. */
const IDS_SHOWN = 3;

function describeQueryIds(queries: MetricQuery[]): string {
  const ids = queries.map((q) => q.id);
  if (ids.length <= IDS_SHOWN) return `metrics ${ids.join(', ')}`;
  return `metrics ${ids.slice(0, IDS_SHOWN).join(', ')} and ${ids.length - IDS_SHOWN} more`;
}
