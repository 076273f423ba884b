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

/** An alarm scripted OK at the start, then ALARM and OK again inside one 60 s poll interval. */
function flapping() {
  const s = setup();
  const start = s.clock.now();
  s.metrics
    .setAlarm('a', 'OK', { at: start - 3_600_000 })
    .setAlarm('a', 'ALARM', { at: start + 20_000, reason: 'Threshold Crossed: 1 datapoint [9.0] > 1.0' })
    .setAlarm('a', 'OK', { at: start + 30_000 });
  return s;
}

describe('createAlarmGate: an alarm that went to ALARM and back between two polls', () => {
  it('fails the poll after the flap, saying when it alarmed and that it cleared', async () => {
    const { clock, metrics, window } = flapping();
    const gate = createAlarmGate(metrics, ['a']);
    expect((await gate.evaluate(window))[0]?.outcome).toBe('pass');
    await clock.sleep(60_000);
    const [verdict] = await gate.evaluate({ ...window, now: clock.now() });
    const alarmedAt = new Date(window.deploymentStartedAt + 20_000).toISOString();
    expect(verdict).toMatchObject({
      outcome: 'fail',
      gate: 'alarms',
      summary: `alarm a went to ALARM at ${alarmedAt} (Threshold Crossed: 1 datapoint [9.0] > 1.0) and cleared before the next poll (OK now)`,
    });
    // The history read covers the deployment's window up to the change DescribeAlarms reported
    // (and a second past it: the history item's timestamp may differ by milliseconds).
    expect(metrics.callsOf('describeAlarmHistory').map((c) => c.args)).toEqual([
      ['a', window.deploymentStartedAt, window.deploymentStartedAt + 31_000],
    ]);
  });

  it('reads no history while no alarm changed state: one DescribeAlarms per poll', async () => {
    const { clock, metrics, window } = setup();
    metrics.setAlarm('a', 'OK', { at: clock.now() - 60_000 }).setAlarm('b', 'INSUFFICIENT_DATA');
    const gate = createAlarmGate(metrics, ['a', 'b']);
    for (let i = 0; i < 5; i++) {
      expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('pass');
      await clock.sleep(60_000);
    }
    expect(metrics.callsOf('describeAlarms')).toHaveLength(5);
    expect(metrics.callsOf('describeAlarmHistory')).toEqual([]);
  });

  it('passes a change that never went to ALARM, and asks about it only once', async () => {
    const { clock, metrics, window } = setup();
    metrics.setAlarm('a', 'INSUFFICIENT_DATA', { at: clock.now() - 60_000 });
    metrics.setAlarm('a', 'OK', { at: clock.now() + 10_000 });
    const gate = createAlarmGate(metrics, ['a']);
    for (let i = 0; i < 3; i++) {
      await clock.sleep(60_000);
      expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('pass');
    }
    expect(metrics.callsOf('describeAlarmHistory')).toHaveLength(1);
  });

  it('does not count a change from before the deployment, nor one back from an ignored initial ALARM', async () => {
    const { clock, metrics, window } = setup();
    metrics
      .setAlarm('old', 'ALARM', { at: clock.now() - 120_000 })
      .setAlarm('old', 'OK', { at: clock.now() - 60_000 });
    metrics
      .setAlarm('initial', 'ALARM', { at: clock.now() - 60_000 })
      .setAlarm('initial', 'OK', { at: clock.now() + 5_000 });
    const gate = createAlarmGate(metrics, ['old', 'initial']);
    await clock.sleep(60_000);
    expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('pass');
    expect(metrics.callsOf('describeAlarmHistory').map((c) => c.args[0])).toEqual(['initial']);
  });

  it('catches a flap during the first poll interval of the deployment', async () => {
    const { clock, metrics, window } = flapping();
    const gate = createAlarmGate(metrics, ['a']);
    await clock.sleep(60_000);
    expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('fail');
  });

  it('is an error (never a pass) when the history cannot be read, and asks the same range again', async () => {
    const { clock, metrics, window } = flapping();
    metrics.fail({ op: 'describeAlarmHistory' });
    const gate = createAlarmGate(metrics, ['a']);
    await clock.sleep(60_000);
    const [verdict] = await gate.evaluate({ ...window, now: clock.now() });
    expect(verdict).toMatchObject({ outcome: 'error', gate: 'alarms' });
    expect(verdict?.summary).toMatch(
      /^could not tell whether alarm a went to ALARM since the last poll \(a: its state history could not be read: THROTTLED/,
    );
    await clock.sleep(60_000);
    expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('fail');
  });

  it('is an error when the history is incomplete and shows no ALARM', async () => {
    const { clock, metrics, window } = setup();
    metrics
      .setAlarm('a', 'INSUFFICIENT_DATA', { at: clock.now() - 60_000 })
      .setAlarm('a', 'OK', { at: clock.now() + 1 });
    metrics.describeAlarmHistory = async () => ({ transitions: [], complete: false });
    await clock.sleep(60_000);
    const [verdict] = await createAlarmGate(metrics, ['a']).evaluate({ ...window, now: clock.now() });
    expect(verdict).toMatchObject({ outcome: 'error' });
    expect(verdict?.summary).toContain('its state history was too long or unreadable to tell');
  });
});

describe('createAlarmGate: up to when its polls judged every alarm (judgedUntil)', () => {
  it('is the start of the latest poll that judged every alarm; unset before one', async () => {
    const { clock, metrics, window } = setup();
    metrics.setAlarm('a', 'OK');
    const gate = createAlarmGate(metrics, ['a']);
    expect(gate.judgedUntil).toBeUndefined();
    await clock.sleep(10_000);
    await gate.evaluate({ ...window, now: clock.now() });
    expect(gate.judgedUntil).toBe(clock.now());
  });

  it.each([
    ['a history that cannot be read (error)', (m: FakeMetrics) => m.fail({ op: 'describeAlarmHistory' })],
    ['DescribeAlarms failing (error)', (m: FakeMetrics) => m.fail({ op: 'describeAlarms' })],
  ])('does not move on a poll that did not judge them all: %s', async (_what, breakIt) => {
    const { clock, metrics, window } = setup();
    metrics.setAlarm('a', 'OK', { at: clock.now() - 60_000 });
    const gate = createAlarmGate(metrics, ['a']);
    await clock.sleep(10_000);
    await gate.evaluate({ ...window, now: clock.now() });
    const judged = clock.now();
    metrics.setAlarm('a', 'INSUFFICIENT_DATA', { at: clock.now() + 1_000 });
    metrics.setAlarm('a', 'OK', { at: clock.now() + 2_000 });
    breakIt(metrics);
    await clock.sleep(10_000);
    const [verdict] = await gate.evaluate({ ...window, now: clock.now() });
    expect(verdict?.outcome).toBe('error');
    expect(gate.judgedUntil).toBe(judged);
  });

  it('does not move on a poll that left histories for the next (inconclusive), nor on a failure', async () => {
    const { clock, metrics, window } = setup();
    const names = Array.from({ length: 11 }, (_, i) => `n-${String(i).padStart(2, '0')}`);
    for (const name of names) metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: clock.now() - 60_000 });
    for (const name of names) metrics.setAlarm(name, 'OK', { at: clock.now() + 1_000 });
    const gate = createAlarmGate(metrics, names);
    await clock.sleep(10_000);
    const [waiting] = await gate.evaluate({ ...window, now: clock.now() });
    expect(waiting?.outcome).toBe('inconclusive');
    expect(gate.judgedUntil).toBeUndefined();
    metrics.setAlarm('n-00', 'ALARM');
    await clock.sleep(10_000);
    expect((await gate.evaluate({ ...window, now: clock.now() }))[0]?.outcome).toBe('fail');
    expect(gate.judgedUntil).toBeUndefined();
  });
});

/** Counts DescribeAlarmHistory reads in flight: each read yields once, so overlapping ones show. */
function trackInFlight(metrics: FakeMetrics) {
  const read = metrics.describeAlarmHistory.bind(metrics);
  const seen = { inFlight: 0, most: 0 };
  metrics.describeAlarmHistory = async (name, startMs, endMs) => {
    seen.inFlight++;
    seen.most = Math.max(seen.most, seen.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return await read(name, startMs, endMs);
    } finally {
      seen.inFlight--;
    }
  };
  return seen;
}

describe('createAlarmGate: many alarms changed state at once (bounded history reads)', () => {
  /** 25 alarms go from INSUFFICIENT_DATA to OK in the first minute; `z-24` was ALARM in between. */
  function manyChanged() {
    const s = setup();
    const start = s.clock.now();
    const names = Array.from({ length: 25 }, (_, i) => `z-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      s.metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: start - 60_000 });
      if (name === 'z-24') s.metrics.setAlarm(name, 'ALARM', { at: start + 10_000, reason: 'spike' });
      s.metrics.setAlarm(name, 'OK', { at: start + 20_000 });
    }
    return { ...s, names };
  }

  it('reads at most 10 histories a poll, 2 at a time, and the rest at the next polls, ranges kept', async () => {
    const { clock, metrics, window, names } = manyChanged();
    const flight = trackInFlight(metrics);
    const gate = createAlarmGate(metrics, names);
    const outcomes: string[] = [];
    const readsPerPoll: number[] = [];
    for (let poll = 0; poll < 3; poll++) {
      await clock.sleep(60_000);
      const before = metrics.callsOf('describeAlarmHistory').length;
      const [verdict] = await gate.evaluate({ ...window, now: clock.now() });
      outcomes.push(verdict!.outcome);
      readsPerPoll.push(metrics.callsOf('describeAlarmHistory').length - before);
      if (poll === 0) {
        expect(verdict!.summary).toBe(
          '25 alarms OK; not judged yet: alarms z-10, z-11, z-12, z-13, z-14, z-15, z-16, z-17, z-18, z-19 and 5 more changed state since the last poll and their history is read at the next poll (at most 10 a poll)',
        );
      }
    }
    // Not read yet is inconclusive (no error counted, never a pass); the flap is found at poll 3.
    expect(outcomes).toEqual(['inconclusive', 'inconclusive', 'fail']);
    expect(readsPerPoll).toEqual([10, 10, 5]);
    expect(flight.most).toBe(2);
    // Every alarm asked once, each from the deployment's start: a deferred range is not cut short.
    const calls = metrics.callsOf('describeAlarmHistory');
    expect(new Set(calls.map((c) => c.args[0]))).toEqual(new Set(names));
    expect(calls.every((c) => c.args[1] === window.deploymentStartedAt)).toBe(true);
  });

  it('the last poll of a step reads every waiting history (still 2 at a time): a step never ends with a change not judged', async () => {
    const { clock, metrics, window, names } = manyChanged();
    const flight = trackInFlight(metrics);
    const gate = createAlarmGate(metrics, names);
    await clock.sleep(60_000);
    const [first] = await gate.evaluate({ ...window, now: clock.now() });
    expect(first!.outcome).toBe('inconclusive');
    expect(gate.readsWaiting).toBe(true);
    await clock.sleep(10_000);
    const [last] = await gate.evaluate({ ...window, now: clock.now(), endOfStep: true });
    // The other 15 in one poll, so the flap of z-24 is found before the step ends.
    expect(metrics.callsOf('describeAlarmHistory')).toHaveLength(25);
    expect(last).toMatchObject({ outcome: 'fail', gate: 'alarms' });
    expect(last!.summary).toContain('alarm z-24 went to ALARM');
    expect(flight.most).toBe(2);
    expect(gate.readsWaiting).toBe(false);
  });

  it('says both what could not be read and what waits, as an error (never a pass)', async () => {
    const { clock, metrics, window, names } = manyChanged();
    metrics.fail({ op: 'describeAlarmHistory', nth: 3 });
    const gate = createAlarmGate(metrics, names);
    await clock.sleep(60_000);
    const [verdict] = await gate.evaluate({ ...window, now: clock.now() });
    expect(verdict).toMatchObject({ outcome: 'error', gate: 'alarms' });
    expect(verdict!.summary).toMatch(
      /^could not tell whether alarm z-02 went to ALARM since the last poll \(z-02: its state history could not be read: THROTTLED.*\); alarms z-10, .* and 5 more changed state since the last poll/,
    );
    // The unread one is asked again first (its range is the oldest with the deferred ones).
    await clock.sleep(60_000);
    await gate.evaluate({ ...window, now: clock.now() });
    expect(
      metrics
        .callsOf('describeAlarmHistory')
        .slice(10)
        .map((c) => c.args[0]),
    ).toContain('z-02');
  });
});
