import { describe, expect, it } from 'vitest';
import { MISSING_SERIES } from '../../src/domain/health-readings.js';
import type { MetricQuery } from '../../src/ports/metrics.js';
import {
  type CapturedRequest,
  capture,
  cloudWatchCall,
  cloudWatchError,
  cloudWatchJson,
  createTestCloudWatchAdapter,
  useNock,
} from '../helpers/aws-nock.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `alarm-${i + 1}`);

describe('CloudWatchAdapter (nock against the real SDK client)', () => {
  useNock();

  describe('describeAlarms', () => {
    it('asks for 150 names in exactly 2 calls of 100 + 50, metric and composite alarms', async () => {
      const log: CapturedRequest[] = [];
      cloudWatchCall('DescribeAlarms', 2).reply(
        capture(log, (req) => {
          const asked = (req.body as { AlarmNames: string[] }).AlarmNames;
          return cloudWatchJson({
            MetricAlarms: asked.slice(0, 1).map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
          });
        }),
      );
      const cw = await createTestCloudWatchAdapter();
      const states = await cw.describeAlarms(names(150));
      expect(log).toHaveLength(2);
      const bodies = log.map(
        (r) => r.body as { AlarmNames: string[]; AlarmTypes: string[]; MaxRecords: number },
      );
      expect(bodies[0]!.AlarmNames).toEqual(names(100));
      expect(bodies[1]!.AlarmNames).toEqual(names(150).slice(100));
      for (const b of bodies) {
        expect(b.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm']);
        expect(b.MaxRecords).toBe(100);
      }
      expect(log[0]!.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(states.map((s) => s.name)).toEqual(['alarm-1', 'alarm-101']);
    });

    it('maps metric and composite alarms, state, reason and epoch-ms update time', async () => {
      cloudWatchCall('DescribeAlarms').reply(
        ...cloudWatchJson({
          MetricAlarms: [
            {
              AlarmName: 'errors',
              StateValue: 'ALARM',
              StateReason: 'Threshold Crossed: 1 datapoint [5.0] was greater than 1.0',
              StateUpdatedTimestamp: 1_700_000_000.5,
            },
          ],
          CompositeAlarms: [{ AlarmName: 'composite', StateValue: 'INSUFFICIENT_DATA' }],
        }),
      );
      const cw = await createTestCloudWatchAdapter();
      await expect(cw.describeAlarms(['errors', 'composite', 'missing'])).resolves.toEqual([
        {
          name: 'errors',
          state: 'ALARM',
          reason: 'Threshold Crossed: 1 datapoint [5.0] was greater than 1.0',
          updatedAt: 1_700_000_000_500,
        },
        { name: 'composite', state: 'INSUFFICIENT_DATA' },
      ]);
    });

    it('never passes on control characters of a state reason (anyone with SetAlarmState writes it)', async () => {
      cloudWatchCall('DescribeAlarms').reply(
        ...cloudWatchJson({
          MetricAlarms: [
            { AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'set by hand\n::error::\u001b[2J' },
          ],
        }),
      );
      const cw = await createTestCloudWatchAdapter();
      const [state] = await cw.describeAlarms(['errors']);
      expect(state?.reason).toBe('set by hand\uFFFD::error::\uFFFD[2J');
    });

    it('follows NextToken within a batch', async () => {
      const log: CapturedRequest[] = [];
      cloudWatchCall('DescribeAlarms', 2).reply(
        capture(log, (req) =>
          (req.body as { NextToken?: string }).NextToken === 't2'
            ? cloudWatchJson({ MetricAlarms: [{ AlarmName: 'b', StateValue: 'OK' }] })
            : cloudWatchJson({ MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK' }], NextToken: 't2' }),
        ),
      );
      const cw = await createTestCloudWatchAdapter();
      const states = await cw.describeAlarms(['a', 'b']);
      expect(states.map((s) => s.name)).toEqual(['a', 'b']);
      expect(log.map((r) => (r.body as { NextToken?: string }).NextToken)).toEqual([undefined, 't2']);
    });

    it('makes no call for no names', async () => {
      const cw = await createTestCloudWatchAdapter();
      await expect(cw.describeAlarms([])).resolves.toEqual([]);
    });
  });

  describe('getMetricData', () => {
    const queries: MetricQuery[] = [
      {
        id: 'errors_new',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: 'my-fn', Resource: 'my-fn:live', ExecutedVersion: '2' },
        stat: 'Sum',
        periodSeconds: 60,
        returnData: false,
      },
      {
        id: 'p99_new',
        namespace: 'AWS/Lambda',
        metricName: 'Duration',
        dimensions: { FunctionName: 'my-fn', Resource: 'my-fn:live', ExecutedVersion: '2' },
        stat: 'p99',
        periodSeconds: 60,
      },
      { id: 'rate_new', expression: 'errors_new / 10', periodSeconds: 60 },
    ];

    it('sends one request with all queries, epoch-second times, ScanBy ascending; merges pages', async () => {
      const log: CapturedRequest[] = [];
      const t0 = 1_700_000_040; // epoch seconds on the wire
      cloudWatchCall('GetMetricData', 2).reply(
        capture(log, (req) =>
          (req.body as { NextToken?: string }).NextToken === 'page2'
            ? cloudWatchJson({
                MetricDataResults: [
                  { Id: 'p99_new', Timestamps: [t0 + 120], Values: [180], StatusCode: 'Complete' },
                  { Id: 'rate_new', Timestamps: [t0 + 120], Values: [0.2], StatusCode: 'Complete' },
                ],
              })
            : cloudWatchJson({
                MetricDataResults: [
                  { Id: 'p99_new', Timestamps: [t0, t0 + 60], Values: [120, 150], StatusCode: 'PartialData' },
                  { Id: 'rate_new', Timestamps: [t0, t0 + 60], Values: [0, 0.1], StatusCode: 'PartialData' },
                ],
                NextToken: 'page2',
              }),
        ),
      );
      const cw = await createTestCloudWatchAdapter();
      const series = await cw.getMetricData(queries, 1_700_000_000_000, 1_700_000_300_000);

      expect(log).toHaveLength(2);
      const body = log[0]!.body as Record<string, unknown>;
      expect(body).toEqual({
        StartTime: 1_700_000_000,
        EndTime: 1_700_000_300,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          {
            Id: 'errors_new',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Errors',
                Dimensions: [
                  { Name: 'FunctionName', Value: 'my-fn' },
                  { Name: 'Resource', Value: 'my-fn:live' },
                  { Name: 'ExecutedVersion', Value: '2' },
                ],
              },
              Period: 60,
              Stat: 'Sum',
            },
            ReturnData: false,
          },
          {
            Id: 'p99_new',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Duration',
                Dimensions: [
                  { Name: 'FunctionName', Value: 'my-fn' },
                  { Name: 'Resource', Value: 'my-fn:live' },
                  { Name: 'ExecutedVersion', Value: '2' },
                ],
              },
              Period: 60,
              Stat: 'p99',
            },
            ReturnData: true,
          },
          { Id: 'rate_new', Expression: 'errors_new / 10', Period: 60, ReturnData: true },
        ],
      });
      expect((log[1]!.body as { NextToken: string }).NextToken).toBe('page2');
      expect(series).toEqual([
        {
          id: 'p99_new',
          timestamps: [t0 * 1000, (t0 + 60) * 1000, (t0 + 120) * 1000],
          values: [120, 150, 180],
          status: 'Complete',
        },
        {
          id: 'rate_new',
          timestamps: [t0 * 1000, (t0 + 60) * 1000, (t0 + 120) * 1000],
          values: [0, 0.1, 0.2],
          status: 'Complete',
        },
      ]);
    });

    // GetMetricData answers every query that returns data; an answer that leaves one out (a proxy,
    // an emulator) must not read as a minute with no calls yet.
    it('marks a query its answer left out as missing, not as a complete series without data', async () => {
      cloudWatchCall('GetMetricData').reply(
        ...cloudWatchJson({
          MetricDataResults: [{ Id: 'p99_new', Timestamps: [], Values: [], StatusCode: 'Complete' }],
        }),
      );
      const cw = await createTestCloudWatchAdapter();
      const series = await cw.getMetricData(queries, 1_700_000_000_000, 1_700_000_300_000);
      expect(series.map((s) => [s.id, s.status])).toEqual([
        ['p99_new', 'Complete'],
        ['rate_new', MISSING_SERIES],
      ]);
    });

    it('names a few of many queries when the call fails, not all of them', async () => {
      cloudWatchCall('GetMetricData').reply(
        ...cloudWatchError(403, 'ExpiredToken', 'The security token included in the request is expired'),
      );
      const queries: MetricQuery[] = Array.from({ length: 25 }, (_, i) => ({ id: `q${i}`, expression: '1' }));
      const cw = await createTestCloudWatchAdapter();
      const error = (await cw.getMetricData(queries, 0, 60_000).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ code: 'CREDENTIALS_INVALID' });
      expect(error.message).toContain('on metrics q0, q1, q2 and 22 more (ExpiredToken)');
    });

    it('rejects more than 500 queries before calling AWS', async () => {
      const many: MetricQuery[] = Array.from({ length: 501 }, (_, i) => ({ id: `e${i}`, expression: '1' }));
      const cw = await createTestCloudWatchAdapter();
      await expect(cw.getMetricData(many, 0, 60_000)).rejects.toMatchObject({
        code: 'TOO_MANY_METRIC_QUERIES',
      });
    });
  });
  describe('describeAlarmHistory', () => {
    const stateUpdate = (at: number, from: string, to: string, reason = `to ${to}`) => ({
      AlarmName: 'errors',
      AlarmType: 'MetricAlarm',
      Timestamp: at,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${from} to ${to}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: from, stateReason: `was ${from}` },
        newState: { stateValue: to, stateReason: reason },
      }),
    });

    it("asks for one alarm's StateUpdate items in the range, both alarm types, oldest first", async () => {
      const log: CapturedRequest[] = [];
      cloudWatchCall('DescribeAlarmHistory').reply(
        capture(log, () =>
          cloudWatchJson({
            AlarmHistoryItems: [
              stateUpdate(1_700_000_020.25, 'ALARM', 'OK'),
              stateUpdate(1_700_000_010.5, 'OK', 'ALARM', 'Threshold Crossed\n::error::'),
            ],
          }),
        ),
      );
      const cw = await createTestCloudWatchAdapter();
      const history = await cw.describeAlarmHistory('errors', 1_700_000_000_000, 1_700_000_030_000);
      expect(log[0]!.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.DescribeAlarmHistory');
      expect(log[0]!.body).toEqual({
        AlarmName: 'errors',
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        HistoryItemType: 'StateUpdate',
        StartDate: 1_700_000_000,
        EndDate: 1_700_000_030,
        ScanBy: 'TimestampAscending',
        MaxRecords: 100,
      });
      expect(history).toEqual({
        complete: true,
        transitions: [
          { at: 1_700_000_010_500, from: 'OK', to: 'ALARM', reason: 'Threshold Crossed\uFFFD::error::' },
          { at: 1_700_000_020_250, from: 'ALARM', to: 'OK', reason: 'to OK' },
        ],
      });
    });

    it('reads the new state from the summary when HistoryData is not JSON; an unreadable item makes it incomplete', async () => {
      cloudWatchCall('DescribeAlarmHistory').reply(
        ...cloudWatchJson({
          AlarmHistoryItems: [
            { ...stateUpdate(1_700_000_010, 'OK', 'ALARM'), HistoryData: 'not json' },
            {
              ...stateUpdate(1_700_000_020, 'ALARM', 'OK'),
              HistoryData: '{}',
              HistorySummary: 'something else',
            },
          ],
        }),
      );
      const cw = await createTestCloudWatchAdapter();
      await expect(cw.describeAlarmHistory('errors', 0, 2_000_000_000_000)).resolves.toEqual({
        complete: false,
        transitions: [{ at: 1_700_000_010_000, to: 'ALARM' }],
      });
    });

    it('stops after 5 pages and says the history is incomplete', async () => {
      const log: CapturedRequest[] = [];
      cloudWatchCall('DescribeAlarmHistory', 5).reply(
        capture(log, () =>
          cloudWatchJson({
            AlarmHistoryItems: [stateUpdate(1_700_000_000 + log.length, 'INSUFFICIENT_DATA', 'OK')],
            NextToken: `page-${log.length}`,
          }),
        ),
      );
      const cw = await createTestCloudWatchAdapter();
      const history = await cw.describeAlarmHistory('errors', 0, 2_000_000_000_000);
      expect(log).toHaveLength(5);
      expect((log[4]!.body as { NextToken?: string }).NextToken).toBe('page-4');
      expect(history.complete).toBe(false);
      expect(history.transitions).toHaveLength(5);
    });

    it('maps access denied to an error (the gate makes it an error verdict, never a pass)', async () => {
      cloudWatchCall('DescribeAlarmHistory').reply(
        ...cloudWatchError(403, 'AccessDenied', 'not authorized to perform: cloudwatch:DescribeAlarmHistory'),
      );
      const cw = await createTestCloudWatchAdapter();
      await expect(cw.describeAlarmHistory('errors', 0, 1)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    });
  });
});
