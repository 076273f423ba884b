import { describe, expect, it } from 'vitest';
import { type CredentialLifetime, judgeCredentialLifetime } from '../../src/domain/credential-lifetime.js';

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
