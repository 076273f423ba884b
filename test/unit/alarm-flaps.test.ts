import { describe, expect, it } from 'vitest';
import { describeFlap, flapQuestions, judgeFlap } from '../../src/domain/alarm-flaps.js';
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
  const question = { name: 'a', afterMs: 100, untilMs: 200 };
  it.each([
    {
      name: 'ALARM then OK in range',
      transitions: [
        { at: 150, to: 'ALARM' },
        { at: 190, to: 'OK' },
      ],
      complete: true,
      kind: 'flapped',
    },
    {
      name: 'ALARM in range, history incomplete',
      transitions: [{ at: 150, to: 'ALARM' }],
      complete: false,
      kind: 'flapped',
    },
    {
      name: 'INSUFFICIENT_DATA to OK only',
      transitions: [{ at: 190, from: 'INSUFFICIENT_DATA', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'ALARM before the range',
      transitions: [
        { at: 100, to: 'ALARM' },
        { at: 190, to: 'OK' },
      ],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'ALARM after the range (the next poll sees it)',
      transitions: [
        { at: 190, to: 'OK' },
        { at: 201, to: 'ALARM' },
      ],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'back from an initial ALARM',
      transitions: [{ at: 150, from: 'ALARM', to: 'OK' }],
      complete: true,
      kind: 'quiet',
    },
    {
      name: 'incomplete, no ALARM read',
      transitions: [{ at: 190, to: 'OK' }],
      complete: false,
      kind: 'unknown',
    },
    { name: 'no change in the history yet', transitions: [], complete: true, kind: 'unknown' },
  ] as const)('$name → $kind', ({ transitions, complete, kind }) => {
    expect(judgeFlap(question, { transitions: [...transitions], complete }).kind).toBe(kind);
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
