/**
 * A settle wait ends as soon as the analysis has the minutes it waits for (`doneWhen`) — but not
 * while the alarm gate still has state histories to read (over 10 alarms changed state: they are
 * read at the next poll, alarm-flap-check.ts). Otherwise the last weight below 100% could end
 * with an alarm's ALARM-and-back not judged, and 100% be written on it. The end of the hold still
 * bounds the wait: its last poll reads every waiting history.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmGate } from '../../src/engine/alarm-gate.js';
import { HealthMonitor } from '../../src/engine/health-monitor.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

/** An alarm gate whose first `waitingPolls` polls leave histories for the next. */
function alarmGateWaiting(waitingPolls: number, clock: FakeClock) {
  const polls: { at: number; endOfStep: boolean }[] = [];
  const start = clock.now();
  const gate: AlarmGate = {
    name: 'alarms',
    lastAlarms: [],
    judgedUntil: undefined,
    get readsWaiting() {
      return polls.length <= waitingPolls && !polls.at(-1)?.endOfStep;
    },
    async evaluate(window) {
      polls.push({ at: (window.now - start) / 1000, endOfStep: window.endOfStep });
      const waiting = gate.readsWaiting;
      return [{ outcome: waiting ? 'inconclusive' : 'pass', gate: 'alarms', summary: 'x', at: window.now }];
    },
  };
  return { gate, polls };
}

function monitorOf(clock: FakeClock, gate: AlarmGate) {
  return new HealthMonitor({ clock, events: new RecordingSink() }, gate, [], {
    pollIntervalSeconds: 10,
    healthErrorLimit: 3,
    ignoreHealthErrors: false,
    onInconclusive: 'continue',
  });
}

const window = { stepIndex: 8, percent: 90, stepStartedAt: 0, phase: 'shift' } as never;

describe('health monitor: a settle wait and alarm histories still to read', () => {
  it('does not end early while histories wait; ends at the first poll with none', async () => {
    const clock = new FakeClock();
    const { gate, polls } = alarmGateWaiting(2, clock);
    const done = () => true;
    expect(await monitorOf(clock, gate).watch(window, 300, done)).toEqual({ kind: 'healthy' });
    expect(polls.map((p) => p.at)).toEqual([10, 20, 30]);
  });

  it('histories waiting at every poll: the wait lasts its whole hold, whose last poll reads them all', async () => {
    const clock = new FakeClock();
    const { gate, polls } = alarmGateWaiting(Number.POSITIVE_INFINITY, clock);
    expect(await monitorOf(clock, gate).watch(window, 60, () => true)).toEqual({ kind: 'healthy' });
    expect(polls.map((p) => p.at)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(polls.at(-1)?.endOfStep).toBe(true);
  });
});
