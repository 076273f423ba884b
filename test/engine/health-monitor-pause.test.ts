/**
 * A pause obeyed at a poll whose record work overran the end of the hold (a slow answer write on a
 * loaded runner, or a release's other function obeying it while this one's hold was ending) must
 * still hold the weight until resume: "paused" is never a hold that ended on its own.
 */
import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/engine/alarm-gate.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { HealthMonitor } from '../../src/engine/health-monitor.js';
import type { HoldControl } from '../../src/engine/operator-control.js';
import type { MetricsPort } from '../../src/ports/metrics.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const noMetrics: MetricsPort = {
  describeAlarms: async () => [],
  describeAlarmHistory: async () => ({ transitions: [], complete: true }),
  getMetricData: async () => [],
};
const passing: HealthGate = {
  name: 'probe',
  evaluate: async (window) => [{ outcome: 'pass', gate: 'probe', summary: 'ok', at: window.now }],
};

function watchWithPause(pauseAtPollS: number, heartbeatMs: number, resumeAtS: number) {
  const clock = new FakeClock();
  const start = clock.now();
  let paused = false;
  const operator: HoldControl = { paused: () => paused, take: () => undefined };
  const monitor = new HealthMonitor(
    { clock, events: new RecordingSink() },
    createAlarmGate(noMetrics, []),
    [passing],
    {
      pollIntervalSeconds: 10,
      healthErrorLimit: 3,
      ignoreHealthErrors: false,
      onInconclusive: 'continue',
      operator,
      onPoll: async () => {
        const at = (clock.now() - start) / 1000;
        if (at === pauseAtPollS) paused = true;
        await clock.sleep(heartbeatMs);
        if ((clock.now() - start) / 1000 >= resumeAtS) paused = false;
      },
    },
  );
  const window = { stepIndex: 0, percent: 10, stepStartedAt: start, phase: 'shift' } as never;
  return { run: () => monitor.watch(window, 60), elapsed: () => (clock.now() - start) / 1000 };
}

describe('health monitor: a pause at the end of a hold', () => {
  it('a pause obeyed at the poll before the end, whose answer write ran past the end, holds until resume', async () => {
    // Paused at the 50 s poll; the answer write takes 15 s (to 65 s, past the 60 s end).
    const { run, elapsed } = watchWithPause(50, 15_000, 200);
    expect(await run()).toEqual({ kind: 'healthy', early: 'paused' });
    expect(elapsed()).toBeGreaterThanOrEqual(200);
  });

  it('without a pause the same slow poll ends the hold at its end', async () => {
    const { run, elapsed } = watchWithPause(-1, 15_000, 200);
    expect(await run()).toEqual({ kind: 'healthy' });
    expect(elapsed()).toBeLessThan(100);
  });
});

describe('health monitor: a release paused by another function', () => {
  it('a hold whose end-of-step poll finds the release paused (obeyed elsewhere) holds until resume', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    let paused = false;
    const operator: HoldControl = { paused: () => paused, take: () => undefined };
    // Another function obeys the pause at 55 s, after this hold's 50 s poll; resume at 300 s.
    clock.at(start + 55_000, () => {
      paused = true;
    });
    clock.at(start + 300_000, () => {
      paused = false;
    });
    const monitor = new HealthMonitor(
      { clock, events: new RecordingSink() },
      createAlarmGate(noMetrics, []),
      [passing],
      {
        pollIntervalSeconds: 10,
        healthErrorLimit: 3,
        ignoreHealthErrors: false,
        onInconclusive: 'continue',
        operator,
      },
    );
    const window = { stepIndex: 0, percent: 10, stepStartedAt: start, phase: 'shift' } as never;
    expect(await monitor.watch(window, 60)).toEqual({ kind: 'healthy', early: 'paused' });
    expect((clock.now() - start) / 1000).toBeGreaterThanOrEqual(300);
  });
});
