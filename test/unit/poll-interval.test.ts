import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import {
  checkPollInterval,
  describeSparsePolls,
  MAX_POLL_INTERVAL_SECONDS,
} from '../../src/domain/poll-interval.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const plan = (strategy: string) => planShift(parseStrategy(strategy));

describe('checkPollInterval: 1 s to 1 minute', () => {
  it.each([1, 10, MAX_POLL_INTERVAL_SECONDS])('takes %i s', (seconds) => {
    expect(() => checkPollInterval(seconds)).not.toThrow();
  });

  it.each([
    [61, '`61s`', /longer than 1m, the longest poll interval/],
    [3.6e23, '`99999999999999999999h`', /longer than 1m/],
    [0, '`0s`', /must be positive/],
  ])('refuses %d s as INTERVAL_INVALID (exit 2), echoing what was typed', (seconds, given, message) => {
    expect(() => checkPollInterval(seconds, {}, given.slice(1, -1))).toThrow(
      expect.objectContaining({
        code: 'INTERVAL_INVALID',
        exitCode: 2,
        message: expect.stringMatching(message),
      }),
    );
    expect(() => checkPollInterval(seconds, {}, given.slice(1, -1))).toThrow(given);
  });
});

describe('describeSparsePolls: holds no poll sees before their end', () => {
  it('warns when the interval is not shorter than the shortest hold, naming both', () => {
    expect(describeSparsePolls(plan('canary:10%:1m'), 0, 60)).toMatch(
      /^the poll interval \(--interval 1m\) is not shorter than the shortest hold \(1m\)/,
    );
    expect(describeSparsePolls(plan('steps:5%@30s,50%@5m,100%'), 0, 45)).toContain('shortest hold (30s)');
  });

  it('counts the bake as a hold', () => {
    expect(describeSparsePolls(plan('all-at-once'), 20, 30)).toContain('shortest hold (20s)');
  });

  it('is silent when every hold sees polls, or there is no hold at all', () => {
    expect(describeSparsePolls(plan('canary:10%:1m'), 0, 10)).toBeUndefined();
    expect(describeSparsePolls(plan('canary:10%:5m'), 600, 60)).toBeUndefined();
    expect(describeSparsePolls(plan('all-at-once'), 0, 60)).toBeUndefined();
  });
});
