/**
 * MetricsPort over the real CloudWatch client (awsJson1_0 wire protocol; timestamps travel as
 * epoch seconds, the port speaks epoch ms).
 */

import type {
  CloudWatchClient,
  DescribeAlarmsOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { OperationError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import type {
  AlarmState,
  AlarmStateValue,
  MetricQuery,
  MetricSeries,
  MetricsPort,
} from '../ports/metrics.js';
import { BoundedCaller, type CallerOptions } from './bounded-caller.js';
import { loadCloudWatchSdk } from './sdk-modules.js';

const { DescribeAlarmsCommand, paginateGetMetricData } = loadCloudWatchSdk();

/** DescribeAlarms accepts at most 100 AlarmNames (and returns at most 100 records a page). */
export const ALARM_NAMES_PER_CALL = 100;
/** GetMetricData accepts at most 500 MetricDataQueries. */
export const MAX_METRIC_QUERIES = 500;

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
    return state;
  });
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
        sortAscending(series.get(q.id) ?? { id: q.id, timestamps: [], values: [], status: 'Complete' }),
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
