/**
 * No hold ends on a poll that could not read health. Found by a hostile pass: CloudWatch answered
 * 500 from the settle wait on; the first unreadable poll (1 of the 3 the error limit allows) ended
 * the settle wait, 100% was written at once and the deployment promoted, exit 0 — the same at the
 * end of a bake. Now the hold goes on polling past its end until a poll reads health again, or
 * the error limit rolls back.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/domain/verdict.js';
import type { AlarmGate } from '../../src/engine/alarm-gate.js';
import { HealthMonitor } from '../../src/engine/health-monitor.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

/** An alarm gate whose polls answer `outcomes` in turn ('error': unreadable), then pass. */
function scriptedGate(outcomes: Verdict['outcome'][], clock: FakeClock) {
  const polls: number[] = [];
  const start = clock.now();
  const gate: AlarmGate = {
    name: 'alarms',
    lastAlarms: [],
    judgedUntil: undefined,
    readsWaiting: false,
    async evaluate(window) {
      polls.push((window.now - start) / 1000);
      const outcome = outcomes[polls.length - 1] ?? 'pass';
      return [
        { outcome, gate: 'alarms', summary: outcome === 'error' ? 'could not read' : 'ok', at: window.now },
      ];
    },
  };
  return { gate, polls };
}

function monitorOf(
  clock: FakeClock,
  gate: AlarmGate,
  ignoreHealthErrors = false,
  events = new RecordingSink(),
) {
  return new HealthMonitor({ clock, events }, gate, [], {
    pollIntervalSeconds: 10,
    healthErrorLimit: 3,
    ignoreHealthErrors,
    onInconclusive: 'continue',
  });
}

const window = { stepIndex: 3, percent: 75, stepStartedAt: 0, phase: 'shift' } as never;

describe('health monitor: a hold never ends on an unreadable poll', () => {
  it('a settle wait that is done by the data still polls past an unreadable poll, until one reads', async () => {
    const clock = new FakeClock();
    const { gate, polls } = scriptedGate(['error', 'pass'], clock);
    expect(await monitorOf(clock, gate).watch(window, 300, () => true)).toEqual({ kind: 'healthy' });
    expect(polls).toEqual([10, 20]);
  });

  it('the end of a step: its last poll unreadable, the hold goes on until a poll reads health, said once', async () => {
    const clock = new FakeClock();
    const { gate, polls } = scriptedGate(['pass', 'pass', 'error', 'error', 'pass'], clock);
    const sink = new RecordingSink();
    expect(await monitorOf(clock, gate, false, sink).watch(window, 30)).toEqual({ kind: 'healthy' });
    expect(polls).toEqual([10, 20, 30, 40, 50]);
    expect(sink.ofType('log').map((e) => e.message)).toEqual([
      'health could not be read as the hold at 75% was to end: holding it until a poll reads health (3 unreadable polls in a row roll back)',
    ]);
  });

  it('unreadable at the end and after it: the error limit rolls back (never healthy)', async () => {
    const clock = new FakeClock();
    const { gate, polls } = scriptedGate(['pass', 'pass', 'error', 'error', 'error'], clock);
    const outcome = await monitorOf(clock, gate).watch(window, 30);
    expect(outcome).toMatchObject({ kind: 'unhealthy', cause: { code: 'HEALTH_UNREADABLE' } });
    expect(polls).toEqual([10, 20, 30, 40, 50]);
  });

  it('ignoreHealthErrors: the hold ends at its end, as asked (never reported healthy by the gate)', async () => {
    const clock = new FakeClock();
    const { gate, polls } = scriptedGate(['pass', 'pass', 'error'], clock);
    expect(await monitorOf(clock, gate, true).watch(window, 30)).toEqual({ kind: 'healthy' });
    expect(polls).toEqual([10, 20, 30]);
  });
});
