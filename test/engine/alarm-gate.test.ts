import { describe, expect, it } from 'vitest';
import { createAlarmGate } from '../../src/engine/alarm-gate.js';
import type { HealthWindow } from '../../src/engine/health-gate.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeMetrics } from '../helpers/fake-metrics.js';

function setup() {
  const clock = new FakeClock();
  const metrics = new FakeMetrics(clock);
  const window: HealthWindow = {
    functionName: 'demo',
    alias: 'live',
    stableVersion: '1',
    targetVersion: '2',
    phase: 'shift',
    stepIndex: 0,
    percent: 10,
    stepStartedAt: clock.now(),
    deploymentStartedAt: clock.now(),
    bakes: false,
    now: clock.now(),
    endOfStep: false,
  };
  return { clock, metrics, window };
}

describe('createAlarmGate', () => {
  it('returns no verdicts and reads nothing without alarms', async () => {
    const { metrics, window } = setup();
    expect(await createAlarmGate(metrics, []).evaluate(window)).toEqual([]);
    expect(metrics.calls).toHaveLength(0);
  });

  it('passes when every alarm is OK, with one DescribeAlarms per poll for the deduplicated names', async () => {
    const { metrics, window } = setup();
    metrics.setAlarm('a', 'OK').setAlarm('b', 'OK');
    const gate = createAlarmGate(metrics, ['a', 'b', 'a']);
    const verdicts = await gate.evaluate(window);
    expect(verdicts).toEqual([
      expect.objectContaining({ outcome: 'pass', gate: 'alarms', summary: '2 alarms OK', at: window.now }),
    ]);
    expect(metrics.callsOf('describeAlarms').map((c) => c.args[0])).toEqual([['a', 'b']]);
    expect(gate.lastAlarms.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it.each([
    {
      name: 'one alarm firing',
      states: { a: 'ALARM', b: 'OK' },
      outcome: 'fail',
      summary: 'alarm a is ALARM: reason a',
    },
    {
      name: 'two alarms firing',
      states: { a: 'ALARM', b: 'ALARM' },
      outcome: 'fail',
      summary: 'alarms a, b are ALARM: a: reason a; b: reason b',
    },
    {
      name: 'insufficient data',
      states: { a: 'INSUFFICIENT_DATA', b: 'OK' },
      outcome: 'pass',
      summary: '1 alarm OK, a INSUFFICIENT_DATA (counted as not alarming)',
    },
    {
      name: 'an alarm vanished',
      states: { a: 'OK' },
      outcome: 'error',
      summary: 'alarm b does not exist; health cannot be read',
    },
    {
      name: 'firing beats vanished',
      states: { a: 'ALARM' },
      outcome: 'fail',
      summary: 'alarm a is ALARM: reason a',
    },
  ] as const)('$name → $outcome', async ({ states, outcome, summary }) => {
    const { metrics, window } = setup();
    for (const [name, state] of Object.entries(states))
      metrics.setAlarm(name, state, { reason: `reason ${name}` });
    const [verdict] = await createAlarmGate(metrics, ['a', 'b']).evaluate(window);
    expect(verdict).toMatchObject({ outcome, summary });
  });

  // 500 alarms named in full made a poll's line tens of kilobytes, printed at every poll.
  it('names ten alarms at most, then how many more, when many fire or are missing', async () => {
    const { metrics, window } = setup();
    const names = Array.from({ length: 25 }, (_, i) => `a${i}`);
    for (const name of names.slice(0, 12)) metrics.setAlarm(name, 'ALARM', { reason: `r${name}` });
    const [firing] = await createAlarmGate(metrics, names).evaluate(window);
    expect(firing?.summary).toBe(
      'alarms a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 and 2 more are ALARM: ' +
        'a0: ra0; a1: ra1; a2: ra2; a3: ra3; a4: ra4; a5: ra5; a6: ra6; a7: ra7; a8: ra8; a9: ra9; and 2 more',
    );
    const [missing] = await createAlarmGate(setup().metrics, names).evaluate(window);
    expect(missing?.summary).toBe(
      'alarms a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 and 15 more do not exist; health cannot be read',
    );
  });

  it('explains INSUFFICIENT_DATA in the details', async () => {
    const { metrics, window } = setup();
    metrics.setAlarm('a', 'INSUFFICIENT_DATA');
    const [verdict] = await createAlarmGate(metrics, ['a']).evaluate(window);
    expect(verdict?.details).toMatchObject({
      insufficientData: ['a'],
      note: 'INSUFFICIENT_DATA counts as not alarming',
    });
  });

  it('returns an error verdict (never a pass) when the alarms cannot be read', async () => {
    const { metrics, window } = setup();
    metrics.setAlarm('a', 'OK').fail({ op: 'describeAlarms' });
    const gate = createAlarmGate(metrics, ['a']);
    const [verdict] = await gate.evaluate(window);
    expect(verdict).toMatchObject({ outcome: 'error', gate: 'alarms' });
    expect(verdict?.summary).toMatch(/^could not read alarm a: THROTTLED/);
    expect(gate.lastAlarms).toEqual([]);
    expect((await gate.evaluate(window))[0]?.outcome).toBe('pass');
  });

  it('follows scripted alarm states over clock time', async () => {
    const { clock, metrics, window } = setup();
    metrics.setAlarm('a', 'OK').setAlarm('a', 'ALARM', { at: clock.now() + 60_000 });
    const gate = createAlarmGate(metrics, ['a']);
    expect((await gate.evaluate(window))[0]?.outcome).toBe('pass');
    await clock.sleep(60_000);
    expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('fail');
  });
});
