import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { createLiveFunction, T0, type TestSandbox, useTestSandboxes } from './helpers.js';

const MINUTE = 60_000;
const start = useTestSandboxes();

async function sandbox(seed = 4): Promise<TestSandbox> {
  // A fixed 1-minute delay: these tests time alarms to the minute (the default is a 1–3 minute range).
  return start({ seed, metricDelayMinutes: 1 });
}

async function describeAlarm(t: TestSandbox, name: string) {
  const out = await t.cloudWatch.send(
    new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
  );
  return out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0];
}

async function shift(t: TestSandbox, fn: string, weights: Record<string, number>) {
  const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  await t.lambda.send(
    new UpdateAliasCommand({
      FunctionName: fn,
      Name: 'live',
      FunctionVersion: alias.FunctionVersion,
      RoutingConfig: { AdditionalVersionWeights: weights },
      RevisionId: alias.RevisionId,
    }),
  );
}

describe('alarms evaluated from the generated metrics', () => {
  it('stays OK for a healthy stable and fires within two minutes of a bad 10% canary being visible', async () => {
    const t = await sandbox();
    const demo = await seedDemo(t.handle, { ...DEMO_SCENARIOS.bad });
    expect(demo).toEqual({
      functionName: 'demo',
      alias: 'live',
      alarmName: 'demo-errors',
      stableVersion: '1',
    });
    t.advance(5 * MINUTE);
    const healthy = await describeAlarm(t, 'demo-errors');
    expect(healthy).toMatchObject({ StateValue: 'OK', Threshold: 14, Period: 60 });
    // Deploy the bad target as version 2 and send it 10%.
    const { PublishVersionCommand } = await import('@aws-sdk/client-lambda');
    expect((await t.lambda.send(new PublishVersionCommand({ FunctionName: 'demo' }))).Version).toBe('2');
    await shift(t, 'demo', { '2': 0.1 });
    const shiftedAt = T0 + 5 * MINUTE;
    let firedAt: Date | undefined;
    let reason = '';
    for (let minute = 1; minute <= 4 && !firedAt; minute++) {
      t.advance(MINUTE);
      const alarm = await describeAlarm(t, 'demo-errors');
      if (alarm?.StateValue === 'ALARM') {
        firedAt = alarm.StateUpdatedTimestamp;
        reason = alarm.StateReason ?? '';
      }
    }
    expect(firedAt).toBeDefined();
    expect(reason).toMatch(
      /^Threshold Crossed: 1 datapoint \[\d+\.0 \(01\/01\/30 10:05:00\)\] was greater than or equal to the threshold \(14\.0\)\.$/,
    );
    // The first full canary minute (10:05) is visible at 10:07: the alarm fires on that tick.
    expect(firedAt!.getTime()).toBe(shiftedAt + 2 * MINUTE);
  });

  it('keeps SetAlarmState until the next evaluation', async () => {
    const t = await sandbox();
    await seedDemo(t.handle, {});
    t.advance(3 * MINUTE + 10_000);
    expect((await describeAlarm(t, 'demo-errors'))?.StateValue).toBe('OK');
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'demo-errors', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    t.advance(40_000);
    expect(await describeAlarm(t, 'demo-errors')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'drill',
    });
    t.advance(20_000);
    expect((await describeAlarm(t, 'demo-errors'))?.StateValue).toBe('OK');
  });

  it.each([
    ['missing', 'OK', 'INSUFFICIENT_DATA', 'Insufficient Data: 2 datapoints were unknown.'],
    [
      'breaching',
      'OK',
      'ALARM',
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].',
    ],
    [
      'notBreaching',
      'ALARM',
      'OK',
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].',
    ],
    ['ignore', 'ALARM', 'ALARM', 'forced'],
  ])('treats missing data as %s (from %s)', async (treat, from, state, reason) => {
    const t = await sandbox();
    // A function without aliases gets no traffic, so its metrics are missing.
    await t.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'quiet',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'quiet-fn' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: treat,
      }),
    );
    const forced = from as 'OK' | 'ALARM';
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'quiet', StateValue: forced, StateReason: 'forced' }),
    );
    t.advance(2 * MINUTE);
    expect(await describeAlarm(t, 'quiet')).toMatchObject({ StateValue: state, StateReason: reason });
  });

  it('evaluates percentile and metric-math alarms, and composite alarms over them', async () => {
    const t = await sandbox();
    await createLiveFunction(t, 'api', {
      LSHIFT_SANDBOX_P50_MS: '50',
      LSHIFT_SANDBOX_P99_MS: '400',
      LSHIFT_SANDBOX_ERROR_RATE: '0.02',
    });
    const dims = [
      { Name: 'FunctionName', Value: 'api' },
      { Name: 'Resource', Value: 'api:live' },
    ];
    await t.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'p99',
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: dims,
        ExtendedStatistic: 'p99',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 300,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await t.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'error-rate',
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          {
            Id: 'e',
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dims },
              Period: 60,
              Stat: 'Sum',
            },
            ReturnData: false,
          },
          {
            Id: 'n',
            MetricStat: {
              Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dims },
              Period: 60,
              Stat: 'Sum',
            },
            ReturnData: false,
          },
          { Id: 'rate', Expression: '100 * e / n', ReturnData: true },
        ],
      }),
    );
    await t.cloudWatch.send(
      new PutCompositeAlarmCommand({ AlarmName: 'either', AlarmRule: 'ALARM("p99") OR ALARM("error-rate")' }),
    );
    t.advance(4 * MINUTE);
    expect((await describeAlarm(t, 'p99'))?.StateValue).toBe('ALARM');
    expect((await describeAlarm(t, 'error-rate'))?.StateValue).toBe('OK');
    expect(await describeAlarm(t, 'either')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'The alarm rule evaluated to TRUE: ALARM("p99") OR ALARM("error-rate")',
    });
  });
});

describe('DescribeAlarmHistory', () => {
  it('returns every state change the sandbox made, a flap between two reads included', async () => {
    const t = await sandbox();
    await seedDemo(t.handle, {});
    t.advance(3 * MINUTE + 10_000);
    const before = await describeAlarm(t, 'demo-errors');
    expect(before?.StateValue).toBe('OK');
    // ALARM and back before anyone reads the state again: DescribeAlarms shows OK only.
    for (const StateValue of ['ALARM', 'OK'] as const) {
      await t.cloudWatch.send(
        new SetAlarmStateCommand({
          AlarmName: 'demo-errors',
          StateValue,
          StateReason: `drill ${StateValue}`,
        }),
      );
      t.advance(1_000);
    }
    const after = await describeAlarm(t, 'demo-errors');
    expect(after?.StateValue).toBe('OK');
    expect(after?.StateTransitionedTimestamp?.getTime()).toBeGreaterThan(
      before!.StateTransitionedTimestamp!.getTime(),
    );

    const out = await t.cloudWatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'demo-errors',
        HistoryItemType: 'StateUpdate',
        StartDate: before!.StateTransitionedTimestamp,
        ScanBy: 'TimestampAscending',
      }),
    );
    const items = out.AlarmHistoryItems ?? [];
    expect(items.map((i) => i.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    expect(JSON.parse(items[1]!.HistoryData!)).toMatchObject({
      oldState: { stateValue: 'OK' },
      newState: { stateValue: 'ALARM', stateReason: 'drill ALARM' },
    });
    expect(items[2]!.Timestamp?.getTime()).toBe(after!.StateTransitionedTimestamp!.getTime());
    // Composite alarms only with AlarmTypes; other item types are not recorded.
    const composite = await t.cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'demo-errors', AlarmTypes: ['CompositeAlarm'] }),
    );
    expect(composite.AlarmHistoryItems).toEqual([]);
    const actions = await t.cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'demo-errors', HistoryItemType: 'Action' }),
    );
    expect(actions.AlarmHistoryItems).toEqual([]);
  });

  it("stamps a request's replayed evaluations and its own change at one instant: the history stays in order", async () => {
    // A real clock that moves 61 s at every read: any two reads within one request straddle a
    // minute boundary, as a pause of a few real ms does at --speed 600 (a flaky e2e of check).
    let real = T0;
    let step = 0;
    const t = await start({ seed: 4, metricDelayMinutes: 1, now: () => (real += step) });
    await seedDemo(t.handle, {});
    real += 3 * MINUTE + 10_000;
    expect((await describeAlarm(t, 'demo-errors'))?.StateValue).toBe('OK');
    step = 61_000;
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'demo-errors', StateValue: 'ALARM', StateReason: 'drill' }),
    );
    const now = await describeAlarm(t, 'demo-errors');
    const history = t.handle.state.data.alarms['demo-errors']!.stateHistory!;
    const stamps = history.map((h) => h.atMs);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // The newest change is the state DescribeAlarms shows, stamped as its StateTransitionedTimestamp.
    expect(history.at(-1)).toMatchObject({
      to: now?.StateValue,
      atMs: now?.StateTransitionedTimestamp?.getTime(),
    });
    expect(history.map((h) => h.to)).toContain('ALARM');
  });
});
