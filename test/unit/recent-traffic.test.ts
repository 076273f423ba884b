/**
 * The recent request rate the plan check compares with its minimum sample: the latest minutes
 * CloudWatch still fills (partial for up to ~3 minutes) are left out (none else: unknown), so a
 * short history does not look quieter than it is; so is the first minute of traffic that began
 * inside the window (mid-minute: a function or a sandbox world a few minutes old).
 */
import { describe, expect, it } from 'vitest';
import { meanOfSettledMinutes } from '../../src/engine/recent-traffic.js';

const END = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

/** Per-minute Invocations, oldest first, the last one the minute that ended at END. */
function series(values: number[]) {
  const timestamps = values.map((_, i) => END - (values.length - i) * 60_000);
  return { id: 'rpm', timestamps, values, status: 'Complete' };
}

describe('meanOfSettledMinutes', () => {
  it.each([
    ['15 whole minutes', Array(15).fill(1000), 1000],
    // Before: (12 × 1000 + 1500) / 15 = 900.
    ['12 whole minutes and the 3 latest still filling', [...Array(12).fill(1000), 200, 500, 800], 1000],
    // Before: (2000 + 1500) / 5 = 700, a short history that looked 30% quieter.
    ['a short history: 2 settled minutes, 3 filling', [1000, 1000, 200, 500, 800], 1000],
    // Before: (200 + 600 + 600) / 3 ≈ 467: the partial first minute had settled.
    [
      'traffic that began 6 minutes ago: its partial first minute left out',
      [200, 600, 600, 600, 300, 100],
      600,
    ],
    // A history as long as the window: its first minute began before it and is whole.
    [
      'a whole window: every settled minute counts',
      [800, ...Array(11).fill(1000), 200, 500, 800],
      1000 - 200 / 12,
    ],
  ])('%s → %d', (_, values, expected) => {
    expect(meanOfSettledMinutes(series(values), END)).toBe(expected);
  });

  it('the minutes in any order (CloudWatch returns the newest first)', () => {
    const s = series([200, 600, 600, 600, 300, 100]);
    expect(
      meanOfSettledMinutes(
        { ...s, timestamps: [...s.timestamps].reverse(), values: [...s.values].reverse() },
        END,
      ),
    ).toBe(600);
  });

  it.each([
    ['no minute reported', []],
    // Before: 450, the mean of two undercounts.
    ['only minutes still filling', [300, 600]],
    // A sandbox world started 40 s into a minute, 2–3 minutes before the deploy: its first minute
    // has 20 s of traffic, the next still filling. Before: 117 at 600 rpm, a false warning.
    ['traffic that began 3 minutes ago: the first minute partial, the others filling', [100, 435, 150]],
  ])('%s: unknown (no warning rather than a false one)', (_, values) => {
    expect(meanOfSettledMinutes(series(values), END)).toBeUndefined();
  });

  // Lambda publishes no Invocations datapoint for a minute with no calls. Before, the mean was
  // over the minutes that reported: 10 every other minute read as 10 a minute, and a plan whose
  // sample needs more than 5 a minute was not warned about (found by a hostile pass).
  it.each([
    ['10 calls every other minute over the whole window', 2, 10, 5],
    ['1 call every third minute over the whole window', 3, 1, 1 / 3],
  ])('%s: the silent minutes count as 0', (_, every, calls, expected) => {
    const timestamps: number[] = [];
    for (let ago = 15; ago >= 1; ago -= 1) if ((15 - ago) % every === 0) timestamps.push(END - ago * 60_000);
    const s = { id: 'rpm', timestamps, values: timestamps.map(() => calls), status: 'Complete' };
    expect(meanOfSettledMinutes(s, END)).toBeCloseTo(expected, 1);
  });

  it('traffic that began inside the window, then every other minute: counted from the minute after its first', () => {
    // Minutes 10, 8, 6, 4 and 2 ago reported 10 calls each; the settled ones after the first
    // (9 … 4 minutes ago, 6 minutes) hold 8, 6, 4 ago: 30 calls, 5 a minute.
    const timestamps = [10, 8, 6, 4, 2].map((ago) => END - ago * 60_000);
    const s = { id: 'rpm', timestamps, values: [10, 10, 10, 10, 10], status: 'Complete' };
    expect(meanOfSettledMinutes(s, END)).toBe(5);
  });
});
