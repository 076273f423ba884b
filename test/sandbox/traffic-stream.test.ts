import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { streamMinute } from '../../src/sandbox/traffic.js';
import { createLiveFunction, shopVersionQuery, T0, useTestSandboxes } from './helpers.js';

/**
 * The traffic's random stream is keyed by the minute counted from the world's start, not by the
 * epoch minute. The simulated clock starts at the real time, so with epoch keys every e2e run of
 * seed 7 within the same half hour replayed the same requests: a stretch where version 2 of a
 * healthy demo drew 21 errors to version 1's 2 (a legitimate rare draw) failed every
 * `deploy --resume` run that crossed it, 1 in 4 for a while, then never.
 */
const MINUTE = 60_000;
const sandbox = useTestSandboxes();

const query = (id: string, metric: string, version: string) => shopVersionQuery(id, metric, 'Sum', version);

/** A world started at `startAt`: v1 and v2 equal (1% errors), 50/50 for 12 minutes; what it shows. */
async function world(startAt: number): Promise<number[][]> {
  const t = await sandbox({ seed: 7 }, startAt);
  const env = { LSHIFT_SANDBOX_ERROR_RATE: '0.01' };
  await createLiveFunction(t, 'shop', env, { 'lshift-sandbox:rpm': '600' });
  // Version 2: the same behaviour, another description (so there is something to publish).
  await t.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'shop',
      Description: 'v2',
      Environment: { Variables: env },
    }),
  );
  await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop' }));
  const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'shop' }));
  expect(published.Version).toBe('2');
  const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }));
  await t.lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'shop',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      RevisionId: alias.RevisionId,
    }),
  );
  const seen: number[][] = [];
  // Reads while minutes arrive late and partial (the metric-delay stream), then complete.
  for (const after of [4, 7, 10, 16]) {
    t.advance(startAt + after * MINUTE - t.now());
    const out = await t.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(startAt),
        EndTime: new Date(startAt + 12 * MINUTE),
        MetricDataQueries: [
          query('n1', 'Invocations', '1'),
          query('e1', 'Errors', '1'),
          query('n2', 'Invocations', '2'),
          query('e2', 'Errors', '2'),
        ],
        ScanBy: 'TimestampAscending',
      }),
    );
    for (const r of out.MetricDataResults!) {
      seen.push([...r.Timestamps!.map((d) => d.getTime() - startAt), ...r.Values!]);
    }
  }
  return seen;
}

describe('the traffic stream of a seed', () => {
  it('counts minutes from the world start: the same seed started at another time gives the same traffic', async () => {
    const first = await world(T0);
    // 37 minutes later, as the next e2e run of the same seed would start: with epoch-keyed
    // streams its minutes 0–11 were the first world's minutes 37–48 — and its first 12 minutes
    // the same requests as the first world's, had it started 37 minutes earlier.
    const later = await world(T0 + 37 * MINUTE);
    expect(later).toEqual(first);
    expect(first.at(-1)!.length).toBeGreaterThan(20); // the complete read holds 12 minutes
  });

  it('the minute index is whole minutes since the minute the world started in', () => {
    expect(streamMinute(T0 + 30_000, T0)).toBe(0);
    expect(streamMinute(T0 + 30_000, T0 + 5 * MINUTE)).toBe(5);
    expect(streamMinute(T0, T0 - MINUTE)).toBe(-1);
  });
});
