/**
 * The bounded alarm-history reads through the REAL CloudWatch client against nock-served AWS
 * (test/helpers/nock-lambda-world.ts): 12 watched alarms change state at once, one of them went
 * to ALARM and back. The requests on the wire are what AWS would count against the account's
 * DescribeAlarmHistory quota: 10 at the first poll, the other 2 at the next, which finds the flap.
 */
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/engine/alarm-gate.js';
import type { HealthWindow } from '../../src/engine/health-gate.js';
import { batchMetricReads } from '../../src/engine/metric-batch.js';
import { createTestCloudWatchAdapter, useNock } from '../helpers/aws-nock.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { NockLambdaWorld } from '../helpers/nock-lambda-world.js';

describe('alarm history reads over the real CloudWatch client', () => {
  useNock();

  it('asks at most 10 alarms a poll on the wire, the rest at the next poll with their whole range', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const world = new NockLambdaWorld(clock);
    const names = Array.from({ length: 12 }, (_, i) => `fn-${String(i).padStart(2, '0')}-errors`);
    for (const name of names) {
      world.addAlarm(name, 'INSUFFICIENT_DATA');
      if (name === 'fn-11-errors') world.flipAlarm(name, start + 4_000, 'ALARM', 'Threshold Crossed: spike');
      world.flipAlarm(name, start + 8_000, 'OK', 'Threshold Crossed: no datapoints > 1.0');
    }
    world.install();
    const gate = createAlarmGate(batchMetricReads(await createTestCloudWatchAdapter()), names);
    const window: HealthWindow = {
      functionName: 'fn',
      alias: 'live',
      stableVersion: '1',
      targetVersion: '2',
      phase: 'shift',
      stepIndex: 0,
      percent: 10,
      stepStartedAt: start,
      deploymentStartedAt: start,
      bakes: false,
      now: start,
      endOfStep: false,
    };
    const asked = () =>
      world.requests('DescribeAlarmHistory').map((r) => (r.body as { AlarmName: string }).AlarmName);

    await clock.sleep(10_000);
    const [first] = await gate.evaluate({ ...window, now: clock.now() });
    expect(first?.outcome).toBe('inconclusive');
    expect(asked()).toEqual(names.slice(0, 10));

    await clock.sleep(10_000);
    const [second] = await gate.evaluate({ ...window, now: clock.now() });
    expect(asked()).toEqual(names);
    expect(second).toMatchObject({ outcome: 'fail' });
    expect(second?.summary).toContain('alarm fn-11-errors went to ALARM at');
    // The deferred alarm is asked from the deployment's start, not from the poll that deferred it.
    const last = world.requests('DescribeAlarmHistory').at(-1)!.body as {
      StartDate: number;
      EndDate: number;
    };
    expect(last.StartDate).toBe(start / 1000);
    expect(last.EndDate).toBe((start + 8_000 + 1_000) / 1000);
  });
});
