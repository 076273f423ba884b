import { describe, expect, it } from 'vitest';
import {
  checkReadStart,
  describeFlap,
  flapQuestions,
  HISTORY_CLOCK_SLACK_MS,
  historyRangeOf,
  judgeFlap,
  pickFlapQuestions,
} from '../../src/domain/alarm-flaps.js';
import type { AlarmState } from '../../src/domain/health-readings.js';

const START = 1_000_000;

describe('flapQuestions', () => {
  it.each([
    {
      name: 'no change since the start',
      alarm: { state: 'OK', transitionedAt: START - 5 },
      seen: undefined,
      asks: undefined,
    },
    {
      name: 'a change at the start itself (no traffic yet)',
      alarm: { state: 'OK', transitionedAt: START },
      seen: undefined,
      asks: undefined,
    },
    {
      name: 'a change after the start',
      alarm: { state: 'OK', transitionedAt: START + 9 },
      seen: undefined,
      asks: [START, START + 9],
    },
    {
      name: 'INSUFFICIENT_DATA now, changed',
      alarm: { state: 'INSUFFICIENT_DATA', transitionedAt: START + 9 },
      seen: undefined,
      asks: [START, START + 9],
    },
    {
      name: 'ALARM now (fails anyway)',
      alarm: { state: 'ALARM', transitionedAt: START + 9 },
      seen: undefined,
      asks: undefined,
    },
    {
      name: 'the change already judged',
      alarm: { state: 'OK', transitionedAt: START + 9 },
      seen: START + 9,
      asks: undefined,
    },
    {
      name: 'a change after the one judged',
      alarm: { state: 'OK', transitionedAt: START + 20 },
      seen: START + 9,
      asks: [START + 9, START + 20],
    },
    {
      name: 'only StateUpdatedTimestamp known',
      alarm: { state: 'OK', updatedAt: START + 9 },
      seen: undefined,
      asks: [START, START + 9],
    },
    { name: 'no timestamp at all', alarm: { state: 'OK' }, seen: undefined, asks: undefined },
  ] as const)('$name', ({ alarm, seen, asks }) => {
    const state = { name: 'a', ...alarm } as AlarmState;
    const seenMap = new Map(seen === undefined ? [] : [['a', seen]]);
    const questions = flapQuestions([state], seenMap, START);
    expect(questions).toEqual(asks ? [{ name: 'a', afterMs: asks[0], untilMs: asks[1] }] : []);
  });
});

describe('judgeFlap', () => {
  // DescribeAlarms said the state value last changed at 200 s; the last poll judged up to 100 s.
  const question = { name: 'a', afterMs: 100_000, untilMs: 200_000 };
  it.each([
    {
      name: 'ALARM then OK in range',
      transitions: [
        { at: 150_000, to: 'ALARM' },
        { at: 200_000, to: 'OK' },
      ],
      complete: true,
      kind: 'flapped',
    },
    {
      name: 'ALARM in range, history incomplete',
      transitions: [{ at: 150_000, to: 'ALARM' }],
      complete: false,
      kind: 'flapped',
    },
    {
      name: 'ALARM in range, the last change not in the history yet',
      transitions: [{ at: 150_000, to: 'ALARM' }],
      complete: true,
      kind: 'flapped',
    },
    {
      name: 'INSUFFICIENT_DATA to OK only',
      transitions: [{ at: 200_000, from: 'INSUFFICIENT_DATA', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'the change a few ms after the timestamp DescribeAlarms gave',
      transitions: [{ at: 200_004, from: 'INSUFFICIENT_DATA', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'the change a few ms before the timestamp DescribeAlarms gave',
      transitions: [{ at: 199_996, from: 'INSUFFICIENT_DATA', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'an earlier change only: the one DescribeAlarms reported is not in the history yet',
      transitions: [{ at: 150_000, from: 'INSUFFICIENT_DATA', to: 'OK' }],
      complete: true,
      kind: 'unknown',
    },
    {
      name: 'ALARM before the range',
      transitions: [
        { at: 100_000, to: 'ALARM' },
        { at: 200_000, to: 'OK' },
      ],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'ALARM after the range and its slack (the next poll sees it)',
      transitions: [
        { at: 200_000, to: 'OK' },
        { at: 201_001, to: 'ALARM' },
      ],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'back from an initial ALARM',
      transitions: [{ at: 200_000, from: 'ALARM', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'incomplete, no ALARM read',
      transitions: [{ at: 200_000, to: 'OK' }],
      complete: false,
      kind: 'unknown',
    },
    { name: 'no change in the history yet', transitions: [], complete: true, kind: 'unknown' },
  ] as const)('$name → $kind', ({ transitions, complete, kind }) => {
    expect(judgeFlap(question, { transitions: [...transitions], complete }).kind).toBe(kind);
  });

  // An alarm created after the deployment (AlarmConfigurationUpdatedTimestamp = the change): its
  // history records a ConfigurationUpdate, never a StateUpdate, so "not in the history yet" made
  // every check of the window an error, for up to 14 days (found by a hostile pass).
  it.each([
    {
      name: 'created at the change, nothing in its history',
      config: 200_000,
      transitions: [],
      kind: 'quiet',
    },
    { name: 'created a few ms from the change', config: 199_700, transitions: [], kind: 'quiet' },
    {
      name: 'created at the change, but ALARM in range',
      config: 200_000,
      transitions: [{ at: 150_000, to: 'ALARM' }],
      kind: 'flapped',
    },
    {
      name: 'its definition changed long before the change',
      config: 120_000,
      transitions: [],
      kind: 'unknown',
    },
  ] as const)('$name → $kind', ({ config, transitions, kind }) => {
    const asked = { ...question, configUpdatedMs: config };
    expect(judgeFlap(asked, { transitions: [...transitions], complete: true }).kind).toBe(kind);
  });

  it('carries the configuration time into the question', () => {
    const alarm = {
      name: 'a',
      state: 'INSUFFICIENT_DATA',
      transitionedAt: START + 5,
      configUpdatedAt: START + 5,
    } as AlarmState;
    expect(flapQuestions([alarm], new Map(), START)).toEqual([
      { name: 'a', afterMs: START, untilMs: START + 5, configUpdatedMs: START + 5 },
    ]);
  });

  it('reads the history a little past the change, for a timestamp that differs by milliseconds', () => {
    expect(historyRangeOf(question)).toEqual({ startMs: 100_000, endMs: 200_000 + HISTORY_CLOCK_SLACK_MS });
  });
});

describe('pickFlapQuestions', () => {
  const q = (name: string, afterMs: number) => ({ name, afterMs, untilMs: afterMs + 50 });
  it.each([
    {
      name: 'fewer than the limit: all asked',
      questions: [q('a', 5), q('b', 1)],
      max: 3,
      ask: ['b', 'a'],
      later: [],
    },
    { name: 'exactly the limit', questions: [q('a', 5), q('b', 1)], max: 2, ask: ['b', 'a'], later: [] },
    {
      name: 'over the limit: the longest waiting first, the rest later',
      questions: [q('new', 9), q('left-over', 1), q('mid', 5)],
      max: 2,
      ask: ['left-over', 'mid'],
      later: ['new'],
    },
    {
      name: 'ties by name, so every poll picks the same',
      questions: [q('c', 1), q('a', 1), q('b', 1)],
      max: 2,
      ask: ['a', 'b'],
      later: ['c'],
    },
    { name: 'a limit of 0 asks nothing', questions: [q('a', 1)], max: 0, ask: [], later: ['a'] },
    { name: 'nothing to ask', questions: [], max: 10, ask: [], later: [] },
  ])('$name', ({ questions, max, ask, later }) => {
    const picked = pickFlapQuestions(questions, max);
    expect(picked.ask.map((x) => x.name)).toEqual(ask);
    expect(picked.later.map((x) => x.name)).toEqual(later);
  });
});

describe('describeFlap', () => {
  it('says when it alarmed, why, and that it cleared', () => {
    const text = describeFlap(
      'errs',
      { at: Date.UTC(2026, 0, 1, 0, 1, 2), to: 'ALARM', reason: 'too many' },
      {
        name: 'errs',
        state: 'INSUFFICIENT_DATA',
      },
    );
    expect(text).toBe(
      'alarm errs went to ALARM at 2026-01-01T00:01:02.000Z (too many) and cleared before the next poll (INSUFFICIENT_DATA now)',
    );
  });
});

describe('pickFlapQuestions from a start (lshift check)', () => {
  const q = (name: string) => ({ name, afterMs: 1, untilMs: 50 });
  const five = ['a', 'b', 'c', 'd', 'e'].map(q);
  it.each([
    { from: 0, ask: ['a', 'b'], later: ['c', 'd', 'e'] },
    { from: 0.6, ask: ['d', 'e'], later: ['a', 'b', 'c'] },
    { from: 0.8, ask: ['e', 'a'], later: ['b', 'c', 'd'] },
    { from: 0.99, ask: ['e', 'a'], later: ['b', 'c', 'd'] },
  ])('over the limit, from $from of the way: wraps around', ({ from, ask, later }) => {
    const picked = pickFlapQuestions(five, 2, from);
    expect(picked.ask.map((x) => x.name)).toEqual(ask);
    expect(picked.later.map((x) => x.name)).toEqual(later);
  });

  it('within the limit: all, in order, wherever it would start', () => {
    expect(pickFlapQuestions(five, 5, 0.6).ask.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('checkReadStart', () => {
  const minute = Date.UTC(2026, 11, 2, 6, 0);
  it('is the same within a minute, from 0 to below 1', () => {
    expect(checkReadStart(minute + 59_999)).toBe(checkReadStart(minute));
    expect(checkReadStart(minute)).toBeGreaterThanOrEqual(0);
    expect(checkReadStart(minute)).toBeLessThan(1);
  });

  it.each([
    [150, 5],
    [250, 5],
    [1000, 5],
    [1000, 60],
  ])('runs every few minutes read each of %i alarms within 3× the ideal runs (every %i min)', (n, every) => {
    const ideal = Math.ceil(n / 100);
    for (let rank = 0; rank < n; rank++) {
      let runs = 1;
      for (; runs <= 3 * ideal; runs++) {
        const start = Math.floor(checkReadStart(minute + (runs - 1) * every * 60_000) * n);
        if ((rank - start + n) % n < 100) break;
      }
      expect(runs, `alarm ${rank} of ${n}`).toBeLessThanOrEqual(3 * ideal);
    }
  });
});
