/**
 * batchMetricReads for a release: every function's alarm gate and metric reads of one poll go
 * out as ⌈alarms / 100⌉ + ⌈queries / 500⌉ calls (the DescribeAlarms chunking of 100 is the
 * adapter's, test/aws/cloudwatch-adapter.test.ts), and every function gets its own answers back.
 */
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/engine/alarm-gate.js';
import { createLimit } from '../../src/engine/bounded.js';
import { batchMetricReads } from '../../src/engine/metric-batch.js';
import type { AlarmState, MetricQuery, MetricSeries, MetricsPort } from '../../src/ports/metrics.js';
import { FakeClock } from '../helpers/fake-clock.js';

const ALARM_NAMES_PER_CALL = 100;

/** A CloudWatch stand-in: counts calls, answers each query with its function's number. */
function countingPort(opts: { failCall?: number } = {}) {
  const calls = { alarms: [] as string[][], metrics: [] as MetricQuery[][] };
  const port: MetricsPort = {
    async describeAlarms(names) {
      calls.alarms.push(names);
      return names.map((name): AlarmState => ({ name, state: name === 'fn-13-errors' ? 'ALARM' : 'OK' }));
    },
    describeAlarmHistory: async () => ({ transitions: [], complete: true }),
    async getMetricData(queries, startMs) {
      calls.metrics.push(queries);
      if (calls.metrics.length === opts.failCall) throw new Error('InternalServiceFault');
      const ids = queries.map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(queries.length).toBeLessThanOrEqual(500);
      return queries.map(
        (q): MetricSeries => ({
          id: q.id,
          status: 'Complete',
          timestamps: [startMs],
          values: ['dimensions' in q ? Number(q.dimensions['FunctionName']!.slice(3)) : -1],
        }),
      );
    },
  };
  /** Calls per poll as AWS counts them: DescribeAlarms takes 100 names a call. */
  const awsCalls = () =>
    calls.alarms.reduce((n, names) => n + Math.ceil(names.length / ALARM_NAMES_PER_CALL), 0) +
    calls.metrics.length;
  return { port, calls, awsCalls };
}

/** The same eight query ids for every function, as a release's gates ask them. */
function queriesOf(fn: string): MetricQuery[] {
  return ['inv', 'err', 'thr', 'p50', 'p90', 'p99', 'tc', 'cs'].map((id) => ({
    id,
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: fn },
    stat: 'Sum',
    periodSeconds: 60,
  }));
}

const fns = (n: number) => Array.from({ length: n }, (_, i) => `fn-${i}`);

describe('batchMetricReads across the functions of a release', () => {
  it('100 functions, one alarm and 8 queries each: one DescribeAlarms of 100 names and 2 GetMetricData calls a poll', async () => {
    const { port, calls, awsCalls } = countingPort();
    const metrics = batchMetricReads(port);
    const gates = fns(100).map((fn) => createAlarmGate(metrics, [`${fn}-errors`]));
    const window = { stepIndex: 0, percent: 10, now: 60_000, endOfStep: false } as never;
    const [verdicts, series] = await Promise.all([
      Promise.all(gates.map((g) => g.evaluate(window))),
      Promise.all(fns(100).map((fn) => metrics.getMetricData(queriesOf(fn), 0, 60_000))),
    ]);
    expect(calls.alarms).toEqual([fns(100).map((fn) => `${fn}-errors`)]);
    expect(calls.metrics.map((c) => c.length)).toEqual([500, 300]);
    expect(awsCalls()).toBe(Math.ceil(100 / 100) + Math.ceil(800 / 500));
    // Each function reads its own alarm and its own numbers, under its own ids.
    expect(verdicts.map((v) => v[0]!.outcome).filter((o) => o === 'fail')).toHaveLength(1);
    expect(verdicts[13]![0]!.outcome).toBe('fail');
    series.forEach((s, i) => {
      expect(s.map((x) => x.id)).toEqual(['inv', 'err', 'thr', 'p50', 'p90', 'p99', 'tc', 'cs']);
      expect(s.every((x) => x.values[0] === i)).toBe(true);
    });
  });

  it('250 functions with 2 alarms each: 5 DescribeAlarms calls (the adapter chunks 500 names) ', async () => {
    const { port, calls, awsCalls } = countingPort();
    const metrics = batchMetricReads(port);
    const gates = fns(250).map((fn) => createAlarmGate(metrics, [`${fn}-errors`, `${fn}-p99`]));
    await Promise.all(gates.map((g) => g.evaluate({ now: 0 } as never)));
    expect(calls.alarms).toHaveLength(1);
    expect(calls.alarms[0]).toHaveLength(500);
    expect(awsCalls()).toBe(5);
  });

  it('one function: its reads go out as they are, one GetMetricData call a poll', async () => {
    const { port, calls } = countingPort();
    const metrics = batchMetricReads(port);
    await Promise.all([
      metrics.getMetricData(queriesOf('fn-1').slice(0, 4), 0, 60_000),
      metrics.getMetricData(queriesOf('fn-1').slice(4), 0, 60_000),
    ]);
    expect(calls.metrics.map((c) => c.map((q) => q.id))).toEqual([
      ['inv', 'err', 'thr', 'p50', 'p90', 'p99', 'tc', 'cs'],
    ]);
  });

  it('a failed call fails only the functions it carried', async () => {
    const { port } = countingPort({ failCall: 2 });
    const metrics = batchMetricReads(port);
    const results = await Promise.allSettled(
      fns(100).map((fn) => metrics.getMetricData(queriesOf(fn), 0, 60_000)),
    );
    // The second call carried queries 500..799: functions 62 (its last four) to 99.
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual(Array.from({ length: 38 }, (_, i) => 62 + i));
  });

  it('with a gather window, reads that start apart on the clock still go out together', async () => {
    const clock = new FakeClock({ auto: false });
    const { port, calls } = countingPort();
    const metrics = batchMetricReads(port, { gather: { clock, ms: 1_000 } });
    const first = metrics.getMetricData(queriesOf('fn-1'), 0, 60_000);
    await clock.advance(400);
    const second = metrics.getMetricData(queriesOf('fn-2'), 0, 60_000);
    expect(calls.metrics).toHaveLength(0);
    await clock.advance(600);
    const [a, b] = await Promise.all([first, second]);
    expect(calls.metrics).toHaveLength(1);
    expect([a[0]!.values, b[0]!.values]).toEqual([[1], [2]]);
  });
});

describe('batchMetricReads: a release poll round', () => {
  it('goes as soon as as many reads came as in the last round; later ones go when the window closes', async () => {
    const clock = new FakeClock({ auto: false });
    const { port, calls } = countingPort();
    const metrics = batchMetricReads(port, { gather: { clock, ms: 2_000 } });
    const round = (fns: string[]) => fns.map((fn) => metrics.getMetricData(queriesOf(fn), 0, 60_000));
    // The first round has nothing to go by: it waits out the window.
    const first = round(['fn-1', 'fn-2', 'fn-3']);
    await clock.advance(1_999);
    expect(calls.metrics).toHaveLength(0);
    await clock.advance(1);
    await Promise.all(first);
    expect(calls.metrics).toHaveLength(1);
    // The next round of three goes without waiting on the clock.
    await clock.advance(8_000);
    const second = round(['fn-1', 'fn-2', 'fn-3']);
    await Promise.all(second);
    expect(calls.metrics).toHaveLength(2);
    // A round with a fourth reader: three go at once, the fourth when the window closes…
    await clock.advance(8_000);
    const third = round(['fn-1', 'fn-2', 'fn-3']);
    await Promise.all(third);
    const late = metrics.getMetricData(queriesOf('fn-4'), 0, 60_000);
    expect(calls.metrics).toHaveLength(3);
    await clock.advance(2_000);
    expect((await late)[0]!.values).toEqual([4]);
    expect(calls.metrics).toHaveLength(4);
    // …and the round after counts four.
    await clock.advance(8_000);
    await Promise.all(round(['fn-1', 'fn-2', 'fn-3', 'fn-4']));
    expect(calls.metrics).toHaveLength(5);
  });
});

describe('batchMetricReads: alarm history reads', () => {
  it('lets at most 2 DescribeAlarmHistory reads run at once across every gate reading through it', async () => {
    const flight = { now: 0, most: 0 };
    const port: MetricsPort = {
      describeAlarms: async () => [],
      async describeAlarmHistory() {
        flight.now++;
        flight.most = Math.max(flight.most, flight.now);
        await new Promise((resolve) => setImmediate(resolve));
        flight.now--;
        return { transitions: [], complete: true };
      },
      getMetricData: async () => [],
    };
    const batched = batchMetricReads(port);
    // Six functions' gates each ask about one alarm in the same poll.
    const reads = Array.from({ length: 6 }, (_, i) => batched.describeAlarmHistory(`fn-${i}-errors`, 0, 1));
    expect(await Promise.all(reads)).toHaveLength(6);
    expect(flight.most).toBe(2);
  });
});

describe('createLimit', () => {
  it('never runs more than its limit, with new runs arriving just as others end', async () => {
    const limit = createLimit(2);
    let inFlight = 0;
    let most = 0;
    const task = (ticks: number) => async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      inFlight--;
    };
    const all = Array.from({ length: 6 }, (_, i) => limit(task(i % 3)).then(() => limit(task(1))));
    await Promise.all(all);
    // Freeing the slot before waking the waiter let a newcomer in first: 3 at once.
    expect(most).toBe(2);
  });
});
