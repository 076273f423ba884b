import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import {
  checkPollInterval,
  checkStaleAfter,
  DEFAULT_STALE_AFTER_SECONDS,
  describeSparsePolls,
  HEARTBEAT_SPACING_SECONDS,
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

describe('checkStaleAfter: lshift check never takes a live deployment for dead', () => {
  it('the longest interval leaves a live heartbeat at least 30 s younger than the stale limit', () => {
    const oldestLive = HEARTBEAT_SPACING_SECONDS + MAX_POLL_INTERVAL_SECONDS;
    expect(DEFAULT_STALE_AFTER_SECONDS - oldestLive).toBeGreaterThanOrEqual(30);
  });

  it.each([120, 300, 3600])('takes %i s', (seconds) => {
    expect(() => checkStaleAfter(seconds, `${seconds}s`)).not.toThrow();
  });

  it.each([
    [90, '90s'],
    [60, '1m'],
    [1, '1s'],
  ])(
    'refuses %i s as STALE_AFTER_INVALID (exit 2), naming it and the longest --interval',
    (seconds, given) => {
      expect(() => checkStaleAfter(seconds, given)).toThrow(
        expect.objectContaining({
          code: 'STALE_AFTER_INVALID',
          exitCode: 2,
          message: expect.stringMatching(
            new RegExp(
              `^--stale-after \`${given}\` is shorter than 2m, .*\\(--interval, up to 1m\\).*may be 1m 30s old`,
            ),
          ),
        }),
      );
    },
  );
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
