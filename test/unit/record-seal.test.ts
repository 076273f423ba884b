import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { createRunnerToken, resolveSealed, sealTagKey } from '../../src/domain/record-seal.js';

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
    ['another run of the deployment', { ...base, runnerToken: 'other1' }, seal],
    ['a record without a token', { ...base, runnerToken: undefined }, seal],
    ['another deployment', { ...base, id: 'd-next01' }, seal],
    ['a seal without a token', base, { ...seal, runnerToken: undefined }],
  ])('keeps the record tag’s over %s', (_name, main, theSeal) => {
    expect(resolveSealed(main, theSeal)).toBe(main);
  });

  it('has nothing to read without a record tag', () => {
    expect(resolveSealed(undefined, seal)).toBeUndefined();
  });
});

describe('sealTagKey', () => {
  it('is lshift-end:<alias>, or none for an alias too long to name one', () => {
    expect(sealTagKey('live')).toBe('lshift-end:live');
    expect(sealTagKey('a'.repeat(117))).toHaveLength(128);
    expect(sealTagKey('a'.repeat(118))).toBeUndefined();
  });
});
