/**
 * The health monitor polls on a grid from the start of the hold: a slow poll or heartbeat (a
 * release's record writes queue at Lambda's request rate) does not shift the later polls, so the
 * functions of a release keep polling together and their reads are batched.
 */
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/engine/alarm-gate.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { HealthMonitor } from '../../src/engine/health-monitor.js';
import type { MetricsPort } from '../../src/ports/metrics.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const noMetrics: MetricsPort = {
  describeAlarms: async () => [],
  describeAlarmHistory: async () => ({ transitions: [], complete: true }),
  getMetricData: async () => [],
};

function monitorWith(clock: FakeClock, heartbeatMs: number) {
  const polledAt: number[] = [];
  const gate: HealthGate = {
    name: 'probe',
    async evaluate(window) {
      polledAt.push((window.now - start) / 1000);
      return [{ outcome: 'pass', gate: 'probe', summary: 'ok', at: window.now }];
    },
  };
  const start = clock.now();
  const monitor = new HealthMonitor(
    { clock, events: new RecordingSink() },
    createAlarmGate(noMetrics, []),
    [gate],
    {
      pollIntervalSeconds: 10,
      healthErrorLimit: 3,
      ignoreHealthErrors: false,
      onInconclusive: 'continue',
      onPoll: () => clock.sleep(heartbeatMs),
    },
  );
  return { monitor, polledAt };
}

describe('health monitor poll grid', () => {
  it('a 7 s heartbeat after each poll does not push the next polls back', async () => {
    const clock = new FakeClock();
    const { monitor, polledAt } = monitorWith(clock, 7_000);
    const window = { stepIndex: 0, percent: 10, stepStartedAt: clock.now(), phase: 'shift' } as never;
    expect(await monitor.watch(window, 60)).toEqual({ kind: 'healthy' });
    expect(polledAt).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('a heartbeat longer than the interval skips to the next grid point', async () => {
    const clock = new FakeClock();
    const { monitor, polledAt } = monitorWith(clock, 12_000);
    const window = { stepIndex: 0, percent: 10, stepStartedAt: clock.now(), phase: 'shift' } as never;
    await monitor.watch(window, 60);
    // The heartbeat after the poll at 50 s ends at 62 s, past the hold: the end-of-step poll is then.
    expect(polledAt).toEqual([10, 30, 50, 62]);
  });
});

describe('health monitor: the last grid poll of a hold that ends off the grid', () => {
  it('a hold of 60.4 s polls at 10…50 s and at its end, not at 60 s and again at 60.4 s', async () => {
    const clock = new FakeClock();
    const { monitor, polledAt } = monitorWith(clock, 0);
    const window = { stepIndex: 0, percent: 10, stepStartedAt: clock.now(), phase: 'shift' } as never;
    expect(await monitor.watch(window, 60.4)).toEqual({ kind: 'healthy' });
    expect(polledAt).toEqual([10, 20, 30, 40, 50, 60.4]);
  });

  it('a hold of 63 s keeps its grid poll at 60 s (more than a quarter interval before the end)', async () => {
    const clock = new FakeClock();
    const { monitor, polledAt } = monitorWith(clock, 0);
    const window = { stepIndex: 0, percent: 10, stepStartedAt: clock.now(), phase: 'shift' } as never;
    await monitor.watch(window, 63);
    expect(polledAt).toEqual([10, 20, 30, 40, 50, 60, 63]);
  });
});
