import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startTestSandbox, T0, type TestSandbox } from './helpers.js';

let t: TestSandbox;
const dims = [{ Name: 'Service', Value: 'api' }];
const at = (minute: number, second = 0) => new Date(T0 - 10 * 60_000 + minute * 60_000 + second * 1000);

beforeAll(async () => {
  t = await startTestSandbox();
  // Minute 0: values 1..100; minute 1: 10 samples of 5 (Values/Counts); minute 3: a statistic set.
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  await t.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'Test',
      MetricData: [
        { MetricName: 'Latency', Dimensions: dims, Timestamp: at(0, 10), Values: values.slice(0, 50) },
        { MetricName: 'Latency', Dimensions: dims, Timestamp: at(0, 40), Values: values.slice(50) },
        { MetricName: 'Latency', Dimensions: dims, Timestamp: at(1), Values: [5], Counts: [10] },
        {
          MetricName: 'Latency',
          Dimensions: dims,
          Timestamp: at(3),
          StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 9 },
        },
        { MetricName: 'Requests', Dimensions: dims, Timestamp: at(0), Value: 200 },
        { MetricName: 'Requests', Dimensions: dims, Timestamp: at(1), Value: 0 },
      ],
    }),
  );
});
afterAll(() => t.stop());

function stat(id: string, metric: string, s: string, period = 60) {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'Test', MetricName: metric, Dimensions: dims },
      Period: period,
      Stat: s,
    },
  };
}

describe('GetMetricData', () => {
  it('computes statistics and percentiles per period, newest first, only periods with data', async () => {
    const out = await t.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(10),
        MetricDataQueries: [
          stat('sum', 'Latency', 'Sum'),
          stat('p90', 'Latency', 'p90'),
          stat('n', 'Latency', 'SampleCount'),
          stat('avg', 'Latency', 'Average'),
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(byId.sum?.Timestamps).toEqual([at(3), at(1), at(0)]);
    expect(byId.sum?.Values).toEqual([20, 50, 5050]);
    expect(byId.p90?.Values).toEqual([5, 5, 90]);
    expect(byId.n?.Values).toEqual([4, 10, 100]);
    expect(byId.avg?.Values).toEqual([5, 5, 50.5]);
    expect(byId.sum?.StatusCode).toBe('Complete');
  });

  it('answers TC, PR and TM with absolute bounds, exclusive below and inclusive above, like CloudWatch', async () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
    const out = await t.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(2),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          stat('above', 'Latency', 'TC(90:)'),
          stat('upto', 'Latency', 'TC(:5)'),
          stat('band', 'Latency', 'TC(10:20)'),
          stat('rank', 'Latency', 'PR(:25)'),
          stat('mean', 'Latency', 'TM(10:20)'),
          stat('frac', 'Latency', 'TC(99.5:)'),
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r.Values]));
    // minute 0: 1..100; minute 1: ten samples of exactly 5
    expect(byId.above).toEqual([10, 0]); // 91..100 (90 itself excluded)
    expect(byId.upto).toEqual([5, 10]); // 1..5 (5 included)
    expect(byId.band).toEqual([10, 0]); // 11..20
    expect(byId.rank).toEqual([25, 100]);
    expect(byId.mean).toEqual([15.5]); // minute 1 has no value in (10, 20]: no datapoint
    expect(byId.frac).toEqual([1, 0]);
  });

  it('aggregates longer periods and scans ascending on request', async () => {
    const out = await t.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(10),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [stat('max', 'Latency', 'Maximum', 300), stat('p50', 'Latency', 'p50', 300)],
      }),
    );
    const [max, p50] = out.MetricDataResults!;
    expect(max?.Values).toEqual([100]);
    expect(p50?.Values).toEqual([43]);
    expect(max?.Timestamps).toEqual([at(0)]);
  });

  it('evaluates metric math over ids, skips hidden queries and drops division by zero', async () => {
    const out = await t.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(10),
        MetricDataQueries: [
          { ...stat('lat', 'Latency', 'Sum'), ReturnData: false },
          { ...stat('req', 'Requests', 'Sum'), ReturnData: false },
          { Id: 'ratio', Expression: '(lat - 50) / req * 100', Label: 'ratio' },
          { Id: 'filled', Expression: 'FILL(req, 0) + 1' },
        ],
      }),
    );
    expect(out.MetricDataResults?.map((r) => r.Id)).toEqual(['ratio', 'filled']);
    expect(out.MetricDataResults?.[0]?.Values).toEqual([2500]);
    expect(out.MetricDataResults?.[1]?.Values).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 201]);
  });

  it.each([
    ['a bad id', [{ ...stat('Bad', 'Latency', 'Sum') }], 'InvalidParameterValueException'],
    ['a bad expression', [{ Id: 'e', Expression: 'a +' }], 'InvalidParameterValueException'],
    [
      'an unknown id in an expression',
      [{ Id: 'e', Expression: 'ghost * 2' }],
      'InvalidParameterValueException',
    ],
    ['an unsupported statistic', [stat('x', 'Latency', 'tm99')], 'InvalidParameterValueException'],
    [
      'a period that is no multiple of 60',
      [stat('x', 'Latency', 'Sum', 90)],
      'InvalidParameterValueException',
    ],
  ])('rejects %s', async (_case, queries, name) => {
    const error = await errorOf(() =>
      t.cloudWatch.send(
        new GetMetricDataCommand({ StartTime: at(0), EndTime: at(10), MetricDataQueries: queries }),
      ),
    );
    expect(error.name).toBe(name);
  });
});

describe('GetMetricStatistics and PutMetricData', () => {
  it('returns the requested statistics and percentiles per datapoint', async () => {
    const out = await t.cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: at(0),
        EndTime: at(2),
        Period: 60,
        Statistics: ['Sum', 'SampleCount'],
        ExtendedStatistics: ['p99'],
      }),
    );
    const points = out.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(points.map((p) => [p.Sum, p.SampleCount, p.ExtendedStatistics?.p99])).toEqual([
      [5050, 100, 99],
      [50, 10, 5],
    ]);
    expect(out.Label).toBe('Latency');
  });

  it('refuses the AWS/ namespace and too many datapoints', async () => {
    const aws = await errorOf(() =>
      t.cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Lambda',
          MetricData: [{ MetricName: 'Errors', Value: 1 }],
        }),
      ),
    );
    expect(aws.name).toBe('InvalidParameterValueException');
    const tooMany = await errorOf(() =>
      t.cloudWatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Test',
          MetricName: 'Latency',
          StartTime: at(0),
          EndTime: new Date(at(0).getTime() + 2 * 86_400_000),
          Period: 60,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect(tooMany.name).toBe('InvalidParameterCombinationException');
  });
});

describe('alarms', () => {
  const alarm = (name: string) =>
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'Test',
      MetricName: 'Requests',
      Dimensions: dims,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
    });

  it('creates alarms in INSUFFICIENT_DATA, filters DescribeAlarms, and SetAlarmState overrides the state', async () => {
    await t.cloudWatch.send(alarm('a-one'));
    await t.cloudWatch.send(alarm('a-two'));
    const described = await t.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['a-one', 'missing'] }),
    );
    expect(described.MetricAlarms).toHaveLength(1);
    expect(described.MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'a-one',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a-one',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      DatapointsToAlarm: 1,
      TreatMissingData: 'missing',
    });
    expect(described.CompositeAlarms).toEqual([]);
    const prefixed = await t.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'a-' }));
    expect(prefixed.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-one', 'a-two']);
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'a-two', StateValue: 'ALARM', StateReason: 'testing' }),
    );
    const inAlarm = await t.cloudWatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
    expect(inAlarm.MetricAlarms?.map((a) => [a.AlarmName, a.StateReason])).toEqual([['a-two', 'testing']]);
    const paged = await t.cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    expect(paged.MetricAlarms).toHaveLength(1);
    const next = await t.cloudWatch.send(
      new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: paged.NextToken }),
    );
    expect(next.MetricAlarms?.[0]?.AlarmName).toBe('a-two');
  });

  it('lists composite alarms only when AlarmTypes asks for them', async () => {
    await t.cloudWatch.send(
      new PutCompositeAlarmCommand({ AlarmName: 'any', AlarmRule: 'ALARM("a-one") OR ALARM(a-two)' }),
    );
    const defaults = await t.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['any'] }));
    expect(defaults.MetricAlarms).toEqual([]);
    expect(defaults.CompositeAlarms).toEqual([]);
    const both = await t.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: ['any'], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }),
    );
    expect(both.CompositeAlarms?.[0]).toMatchObject({
      AlarmName: 'any',
      AlarmRule: 'ALARM("a-one") OR ALARM(a-two)',
    });
    const broken = await errorOf(() =>
      t.cloudWatch.send(new PutCompositeAlarmCommand({ AlarmName: 'x', AlarmRule: 'ALARM(ghost)' })),
    );
    expect(broken.name).toBe('InvalidParameterValueException');
  });

  it('validates PutMetricAlarm and reports missing alarms as ResourceNotFound', async () => {
    const both = await errorOf(() =>
      t.cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'x',
          Namespace: 'Test',
          MetricName: 'm',
          Statistic: 'Sum',
          ExtendedStatistic: 'p99',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    );
    expect(both.name).toBe('InvalidParameterCombinationException');
    const m = await errorOf(() =>
      t.cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'x',
          Namespace: 'Test',
          MetricName: 'm',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 2,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    );
    expect(m.name).toBe('InvalidParameterValueException');
    const set = await errorOf(() =>
      t.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' })),
    );
    expect(set.name).toBe('ResourceNotFound');
    const del = await errorOf(() => t.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: ['ghost'] })));
    expect(del.name).toBe('ResourceNotFound');
    await t.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: ['any', 'a-two'] }));
    const left = await t.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    expect(left.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-one']);
    expect(left.CompositeAlarms).toEqual([]);
  });
});
