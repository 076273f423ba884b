import { describe, expect, it } from 'vitest';
import { withdrawnTagKey } from '../../src/domain/command-withdrawal.js';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { fnv1a64 } from '../../src/domain/fnv1a.js';
import {
  createRunnerToken,
  resolveSealed,
  SEAL_TAG_PREFIX,
  sealTagKey,
} from '../../src/domain/record-seal.js';
import { aliasTagKey } from '../../src/domain/tag-key.js';

const base: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 10,
  phase: 'shifting',
  startedAt: 1_000,
  owner: 'ci@runner:42',
  heartbeatAt: 2_000,
  history: ['6'],
  runnerToken: 'k3j9x2',
};

describe('the runner token in the record (`rn=`)', () => {
  it('reads back as written; a record without it reads without it', () => {
    expect(encodeRecord(base)).toContain(' rn=k3j9x2 ');
    expect(decodeRecord(encodeRecord(base))).toEqual(base);
    const { runnerToken: _dropped, ...older } = base;
    expect(decodeRecord(encodeRecord(older))).toEqual(older);
  });

  it('is left out, not refused, when the head leaves no room for it', () => {
    // An end reason (part of the head) long enough that the head and one history entry fill the tag.
    const { runnerToken: _dropped, ...without } = { ...base, owner: '' };
    const room = 256 - encodeRecord(without).length;
    const full = { ...base, owner: '', endReason: 'x'.repeat(room - ' r='.length) };
    expect(encodeRecord({ ...full, runnerToken: undefined })).toHaveLength(256);
    expect(decodeRecord(encodeRecord(full))).toEqual({ ...full, runnerToken: undefined });
  });

  it('draws 6 base-36 characters', () => {
    expect(createRunnerToken(() => 0.5)).toBe('iiiiii');
  });
});

describe('resolveSealed', () => {
  const seal: DeploymentRecord = { ...base, phase: 'promoted', percent: 100, heartbeatAt: 9_000 };

  it('takes the seal over an older record of its run (a late write)', () => {
    expect(resolveSealed(base, seal)).toBe(seal);
    // A close stamped with the heartbeat of the claim it closes (closeAbandonedClaim).
    const claim = { ...base, phase: 'started' as const, heartbeatAt: 9_000 };
    expect(resolveSealed(claim, { ...seal, phase: 'rolled-back' })).toEqual({
      ...seal,
      phase: 'rolled-back',
    });
  });

  it.each([
    ['no seal', base, undefined],
    ['a newer record of the run', { ...base, phase: 'rolling-back' as const, heartbeatAt: 9_001 }, seal],
    ['the sealed write itself', seal, seal],
    [
      'another run of the deployment, in a phase of its end',
      { ...base, runnerToken: 'other1', phase: 'rolling-back' as const },
      seal,
    ],
    [
      'another run of the deployment, under a `paused` seal (a resume re-opens it)',
      { ...base, runnerToken: 'other1' },
      { ...seal, phase: 'paused' as const },
    ],
    [
      'another deployment of the same id (another start)',
      { ...base, runnerToken: 'other1', startedAt: 5_000 },
      seal,
    ],
    [
      'another deployment of the same id (another target)',
      { ...base, runnerToken: 'other1', targetVersion: '8' },
      seal,
    ],
    ['a record without a token', { ...base, runnerToken: undefined }, seal],
    ['another deployment', { ...base, id: 'd-next01' }, seal],
    ['a seal without a token', base, { ...seal, runnerToken: undefined }],
  ])('keeps the record tag’s over %s', (_name, main, theSeal) => {
    expect(resolveSealed(main, theSeal)).toBe(main);
  });

  /**
   * A late copy of runner A's record (a verb's copy, a blind heartbeat) landing after another run
   * B — a resume — ended the deployment: A's token is not B's, and their clocks are not one. No run
   * re-opens a deployment that is promoted, rolled back, failed or rolling back, so an open record
   * of it under such a seal was written before it.
   */
  it.each(['promoted', 'rolled-back', 'failed', 'rolling-back'] as const)(
    'takes a %s seal over an open record of another run of the deployment, whatever its clock',
    (phase) => {
      for (const open of ['started', 'pre-hook', 'shifting', 'baking', 'post-hook'] as const) {
        const late = { ...base, phase: open, runnerToken: 'runa01', heartbeatAt: 99_000 };
        const theSeal = { ...seal, phase, runnerToken: 'runb02' };
        expect(resolveSealed(late, theSeal)).toBe(theSeal);
        expect(resolveSealed({ ...late, heartbeatAt: 1 }, theSeal)).toBe(theSeal);
      }
    },
  );

  it('has nothing to read without a record tag', () => {
    expect(resolveSealed(undefined, seal)).toBeUndefined();
  });
});

describe('sealTagKey', () => {
  it('is lshift-end:<alias> up to 117 characters of alias', () => {
    expect(sealTagKey('live')).toBe('lshift-end:live');
    expect(sealTagKey('a'.repeat(117))).toBe(`lshift-end:${'a'.repeat(117)}`);
  });

  /**
   * An alias of 118–121 characters names a record tag (`lshift:` + 121 = 128) but had no seal
   * (`lshift-end:` + 118 = 129): a late write over its end was read as it landed. Its key is the
   * withdrawn list's rule (tag-key.ts): the alias's head, `.`, its 64-bit FNV-1a; 128 in all.
   */
  it.each([118, 119, 121, 128])('an alias of %i characters: its 100 first, `.`, its hash', (n) => {
    const alias = `${'b'.repeat(n - 4)}-x_${n % 10}`;
    const key = sealTagKey(alias);
    expect(key).toHaveLength(128);
    expect(key).toMatch(/^lshift-end:[A-Za-z0-9_-]{100}\.[0-9a-f]{16}$/);
    expect(key.slice(11, 111)).toBe(alias.slice(0, 100));
    expect(key.slice(112)).toBe(fnv1a64(alias).toString(16).padStart(16, '0'));
    expect(key).toBe(aliasTagKey(SEAL_TAG_PREFIX, alias));
  });

  it('is never a shorter alias’s key, nor the withdrawn list’s', () => {
    const head = 'c'.repeat(110);
    const keys = ['-a', '-b', '-aa', '_a'].map((tail) => sealTagKey(`${head}${'d'.repeat(6)}${tail}`));
    expect(new Set(keys).size).toBe(4);
    expect(sealTagKey('a'.repeat(117))).not.toContain('.');
    expect(sealTagKey('a'.repeat(118))).not.toBe(withdrawnTagKey('a'.repeat(118)));
  });

  // Pinned: a reader of another lshift version must find the key this one wrote.
  it('the hashed key is pinned', () => {
    expect(sealTagKey('a'.repeat(118))).toBe(`lshift-end:${'a'.repeat(100)}.b27d05aedf293e3b`);
  });
});
