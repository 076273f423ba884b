/**
 * The recent request rate the plan check compares with its minimum sample: the latest minutes
 * CloudWatch still fills (partial for up to ~3 minutes) are left out while older ones exist, so a
 * short history does not look quieter than it is.
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
    ['only minutes still filling: the best there is', [300, 600], 450],
  ])('%s → %d', (_, values, expected) => {
    expect(meanOfSettledMinutes(series(values), END)).toBe(expected);
  });

  it('no minute reported: unknown', () => {
    expect(meanOfSettledMinutes(series([]), END)).toBeUndefined();
  });
});
