import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLiveFunction, T0, type TestSandbox, useTestSandboxes } from './helpers.js';

const MINUTE = 60_000;
const sandbox = useTestSandboxes();

/** shop: v1 healthy, v2 (20% errors, slower) published, alias live → 1, 1000 rpm. */
async function shop(t: TestSandbox): Promise<void> {
  await createLiveFunction(
    t,
    'shop',
    { LSHIFT_SANDBOX_ERROR_RATE: '0.01', LSHIFT_SANDBOX_P50_MS: '40', LSHIFT_SANDBOX_P99_MS: '120' },
    { 'lshift-sandbox:rpm': '1000' },
  );
  await t.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'shop',
      Environment: {
        Variables: {
          LSHIFT_SANDBOX_ERROR_RATE: '0.2',
          LSHIFT_SANDBOX_P50_MS: '100',
          LSHIFT_SANDBOX_P99_MS: '300',
        },
      },
    }),
  );
  await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop' }));
  await t.lambda.send(new PublishVersionCommand({ FunctionName: 'shop' }));
}

async function shiftTo(t: TestSandbox, weights: Record<string, number>, version = '1'): Promise<void> {
  const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }));
  await t.lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'shop',
      Name: 'live',
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: weights },
      RevisionId: alias.RevisionId,
    }),
  );
}

function q(
  id: string,
  metric: string,
  stat: string,
  dims: Record<string, string>,
  period = 60,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: stat,
    },
  };
}

async function metricData(
  t: TestSandbox,
  start: number,
  end: number,
  queries: MetricDataQuery[],
): Promise<Record<string, { ts: number[]; values: number[] }>> {
  const out = await t.cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(start),
      EndTime: new Date(end),
      MetricDataQueries: queries,
      ScanBy: 'TimestampAscending',
    }),
  );
  return Object.fromEntries(
    out.MetricDataResults!.map((r) => [
      r.Id,
      { ts: r.Timestamps!.map((d) => d.getTime()), values: r.Values! },
    ]),
  );
}

const v = (version: string) => ({ FunctionName: 'shop', Resource: 'shop:live', ExecutedVersion: version });

describe('traffic routed by alias weights', () => {
  it('splits invocations by weight per ExecutedVersion, with each version’s error rate and latency', async () => {
    const t = await sandbox({ seed: 11, metricDelayMinutes: 1 });
    await shop(t);
    t.advance(MINUTE);
    await shiftTo(t, { '2': 0.2 });
    t.advance(12 * MINUTE + 1000);
    const start = T0 + 2 * MINUTE;
    const end = T0 + 12 * MINUTE;
    const data = await metricData(t, start, end, [
      q('n1', 'Invocations', 'Sum', v('1'), 600),
      q('n2', 'Invocations', 'Sum', v('2'), 600),
      q('e1', 'Errors', 'Average', v('1'), 600),
      q('e2', 'Errors', 'Average', v('2'), 600),
      q('p50a', 'Duration', 'p50', v('1'), 600),
      q('p99a', 'Duration', 'p99', v('1'), 600),
      q('p50b', 'Duration', 'p50', v('2'), 600),
      q('all', 'Invocations', 'Sum', { FunctionName: 'shop' }, 60),
      q('alias', 'Invocations', 'Sum', { FunctionName: 'shop', Resource: 'shop:live' }, 600),
    ]);
    const [n1] = data.n1!.values;
    const [n2] = data.n2!.values;
    expect(n1! + n2!).toBe(data.alias!.values[0]);
    expect(n2! / (n1! + n2!)).toBeGreaterThan(0.17);
    expect(n2! / (n1! + n2!)).toBeLessThan(0.23);
    expect(data.e1!.values[0]).toBeLessThan(0.02);
    expect(data.e2!.values[0]).toBeGreaterThan(0.16);
    expect(data.e2!.values[0]).toBeLessThan(0.24);
    expect(data.p50a!.values[0]).toBeGreaterThan(36);
    expect(data.p50a!.values[0]).toBeLessThan(44);
    expect(data.p99a!.values[0]).toBeGreaterThan(100);
    expect(data.p99a!.values[0]).toBeLessThan(145);
    expect(data.p50b!.values[0]).toBeGreaterThan(90);
    expect(data.all!.values).toHaveLength(10);
    for (const perMinute of data.all!.values) {
      expect(perMinute).toBeGreaterThan(880);
      expect(perMinute).toBeLessThan(1120);
    }
  });

  it('gives the same traffic for the same seed and calls, and different traffic for another seed', async () => {
    const run = async (seed: number) => {
      const t = await sandbox({ seed });
      await shop(t);
      await shiftTo(t, { '2': 0.5 });
      t.advance(6 * MINUTE);
      await t.lambda.send(
        new TagResourceCommand({
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:shop',
          Tags: { 'lshift-sandbox:rpm': '50' },
        }),
      );
      t.advance(6 * MINUTE);
      const data = await metricData(t, T0, T0 + 12 * MINUTE, [
        q('n', 'Invocations', 'Sum', v('2')),
        q('d', 'Duration', 'p90', v('2')),
      ]);
      return [data.n!.values, data.d!.values];
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(await run(6)).not.toEqual(first);
    const [counts] = first;
    expect(counts!.slice(0, 5).every((n) => n > 350)).toBe(true); // 500 rpm to v2 …
    expect(counts!.slice(-3).every((n) => n < 60)).toBe(true); // … then 25 rpm after the tag change
  });

  it('records throttles and applies a scenario fault on a version from its time on', async () => {
    const t = await sandbox({
      seed: 2,
      scenario: {
        faults: [
          { type: 'version', function: 'shop', version: '1', at: '3m', errorRate: 0.5, throttleRate: 0.1 },
        ],
      },
    });
    await shop(t);
    t.advance(7 * MINUTE);
    const data = await metricData(t, T0, T0 + 6 * MINUTE, [
      q('e', 'Errors', 'Average', v('1')),
      q('th', 'Throttles', 'Sum', { FunctionName: 'shop' }),
    ]);
    const errorRates = data.e!.values;
    expect(errorRates.slice(0, 3).every((r) => r < 0.03)).toBe(true);
    expect(errorRates.slice(3).every((r) => r > 0.4 && r < 0.6)).toBe(true);
    expect(data.th!.values.slice(3).every((n) => n > 60)).toBe(true);
  });
});

describe('late metrics', () => {
  it('shows a minute only after it ends plus a fixed metric delay, complete at once', async () => {
    const t = await sandbox({ seed: 1, metricDelayMinutes: 1 });
    await shop(t);
    const read = async () =>
      (await metricData(t, T0, T0 + 60 * MINUTE, [q('n', 'Invocations', 'Sum', { FunctionName: 'shop' })])).n!
        .ts;
    t.advance(MINUTE + 59_000); // 10:01:59 — minute 10:00 ended, not yet delivered
    expect(await read()).toEqual([]);
    t.advance(1000); // 10:02:00
    expect(await read()).toEqual([T0]);
    const stats = await t.cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [{ Name: 'FunctionName', Value: 'shop' }],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 10 * MINUTE),
        Period: 60,
        Statistics: ['SampleCount', 'Maximum'],
        ExtendedStatistics: ['p50'],
      }),
    );
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints?.[0]).toMatchObject({ Timestamp: new Date(T0), Unit: 'Milliseconds' });
    expect(stats.Datapoints?.[0]?.SampleCount).toBeGreaterThan(900);
    expect(stats.Datapoints?.[0]?.ExtendedStatistics?.p50).toBeGreaterThan(35);
  });

  it('honours metricDelayMinutes and a metric-delay fault', async () => {
    const t = await sandbox({
      seed: 1,
      metricDelayMinutes: 0,
      scenario: { faults: [{ type: 'metric-delay', minutes: 3, at: '2m' }] },
    });
    await shop(t);
    t.advance(4 * MINUTE);
    const data = await metricData(t, T0, T0 + 60 * MINUTE, [
      q('n', 'Invocations', 'Sum', { FunctionName: 'shop' }),
    ]);
    // 10:00 and 10:01 arrive on time; 10:02 and later are 3 minutes late.
    expect(data.n!.ts).toEqual([T0, T0 + MINUTE]);
    t.advance(2 * MINUTE);
    const later = await metricData(t, T0, T0 + 60 * MINUTE, [
      q('n', 'Invocations', 'Sum', { FunctionName: 'shop' }),
    ]);
    expect(later.n!.ts).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
  });

  it("by default draws each minute's delay from 1–3 minutes and shows it partial first, then growing", async () => {
    const t = await sandbox({ seed: 1 });
    await shop(t);
    const counts: (number | undefined)[][] = [];
    // Watch minute 10:00 every 10 s from 10:01:00 to 10:06:00.
    t.advance(MINUTE);
    for (let i = 0; i <= 30; i++) {
      const data = await metricData(t, T0, T0 + MINUTE, [
        q('n', 'Invocations', 'Sum', { FunctionName: 'shop' }),
      ]);
      counts.push(data.n!.values);
      t.advance(10_000);
    }
    const seen = counts.map((v) => v[0]);
    const first = seen.findIndex((v) => v !== undefined);
    // not before 10:02:00 (one minute after the minute ended), by 10:04:00 at the latest
    expect(first).toBeGreaterThanOrEqual(6);
    expect(first).toBeLessThanOrEqual(18);
    const shown = seen.slice(first) as number[];
    // first partial (40–90% of the minute's ~1000 calls), never shrinking, complete a minute later
    expect(shown[0]).toBeLessThan(shown.at(-1)!);
    expect(shown[0]).toBeGreaterThan(0.3 * shown.at(-1)!);
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThanOrEqual(shown[i - 1]!);
    expect(shown[6]).toBe(shown.at(-1));
  });

  it('delays differ between minutes and are the same for the same seed', async () => {
    const firstSeen = async (seed: number) => {
      const t = await sandbox({ seed });
      await shop(t);
      const at: number[] = [];
      t.advance(MINUTE);
      for (let i = 0; i < 60; i++) {
        const data = await metricData(t, T0, T0 + 5 * MINUTE, [
          q('n', 'Invocations', 'Sum', { FunctionName: 'shop' }),
        ]);
        for (const ts of data.n!.ts) if (!at.includes(ts)) at.push(ts);
        t.advance(10_000);
      }
      return at;
    };
    const a = await firstSeen(3);
    // arrival order can differ from minute order when delays differ
    expect(a).toHaveLength(5);
    expect(await firstSeen(3)).toEqual(a);
  });
});
