import { describe, expect, it } from 'vitest';
import {
  type CredentialLifetime,
  judgeCredentialLifetime,
  longestReleaseRun,
  longestRun,
} from '../../src/domain/credential-lifetime.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

const plan = (s: string, settleSeconds?: number) => planShift(parseStrategy(s), { settleSeconds });

describe('longestRun', () => {
  it.each([
    // strategy, settle, bake, hooks, hook timeout → seconds, parts
    [
      'Linear10PercentEvery10Minutes',
      undefined,
      0,
      0,
      300,
      5400 + 360 + 300,
      ['shift 1h 30m', 'settle up to 6m', 'a rollback 5m'],
    ],
    [
      'Canary10Percent5Minutes',
      0,
      600,
      2,
      120,
      300 + 600 + 240 + 300,
      ['shift 5m', 'bake 10m', '2 hooks up to 4m', 'a rollback 5m'],
    ],
    ['AllAtOnce', undefined, 0, 1, 60, 60 + 300, ['1 hook up to 1m', 'a rollback 5m']],
  ])(
    '%s (settle %s, bake %i s, %i hook(s) of %i s)',
    (strategy, settle, bake, hooks, timeout, seconds, parts) => {
      const run = longestRun({
        plan: plan(strategy, settle),
        bakeSeconds: bake,
        hookCount: hooks,
        hookSeconds: hooks * timeout,
      });
      expect(run).toEqual({ seconds, parts });
    },
  );

  it('adds staggered functions one after the other and takes the longest of a lockstep release', () => {
    const a = { seconds: 1000, parts: ['a'] };
    const b = { seconds: 2000, parts: ['b'] };
    expect(longestReleaseRun([a, b], false)).toBe(b);
    expect(longestReleaseRun([a, b], true)).toEqual({
      seconds: 1000 + 2000 - 300,
      parts: ['2 functions one after the other 40m', 'a rollback 5m'],
    });
    expect(longestReleaseRun([a], true)).toBe(a);
  });
});

describe('judgeCredentialLifetime', () => {
  const now = Date.UTC(2026, 10, 30, 12);
  const fixed = (o: Partial<CredentialLifetime>): CredentialLifetime => ({
    renews: false,
    temporary: true,
    source: 'access keys in environment variables',
    ...o,
  });
  it.each([
    [
      'renewing, expiring in a minute',
      { renews: true, expiresAtMs: now + 60_000 },
      6000,
      { kind: 'outlast' },
    ],
    [
      'fixed, 1 s short',
      fixed({ expiresAtMs: now + 5999_000 }),
      6000,
      { kind: 'expire-first', leftSeconds: 5999 },
    ],
    [
      'fixed, exactly enough',
      fixed({ expiresAtMs: now + 6000_000 }),
      6000,
      { kind: 'outlast', leftSeconds: 6000 },
    ],
    [
      'fixed, already expired',
      fixed({ expiresAtMs: now - 10_000 }),
      60,
      { kind: 'expire-first', leftSeconds: -10 },
    ],
    ['temporary, unknown expiry, over an hour', fixed({}), 3601, { kind: 'unknown-lifetime' }],
    ['temporary, unknown expiry, an hour', fixed({}), 3600, { kind: 'outlast' }],
    ['long-term keys, no expiry', fixed({ temporary: false }), 99_999, { kind: 'outlast' }],
  ])('%s', (_name, lifetime, needed, verdict) => {
    expect(judgeCredentialLifetime(fixed(lifetime), now, needed)).toEqual(verdict);
  });
});
