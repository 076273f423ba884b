import { describe, expect, it } from 'vitest';
import {
  addWithdrawn,
  dropWithdrawn,
  encodeWithdrawn,
  MAX_WITHDRAWN_ENTRIES,
  parseWithdrawn,
  withdrawalEntry,
  withdrawnTagKey,
} from '../../src/domain/command-withdrawal.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { MAX_TAG_VALUE_LENGTH } from '../../src/domain/deployment-record.js';
import { fnv1a64 } from '../../src/domain/fnv1a.js';

const record: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '1',
  targetVersion: '2',
  strategy: 'linear:10%:1m',
  stepIndex: 2,
  percent: 30,
  phase: 'shifting',
  startedAt: 0,
  owner: 'ci@runner:7',
  heartbeatAt: 1000,
  history: [],
};
const sent = { verb: 'promote-full', nonce: 'p1x2', state: 'sent', by: 'ann@laptop:9' } as const;

describe('the list of withdrawn commands', () => {
  it('names a key of at most 128 characters, or none', () => {
    expect(withdrawnTagKey('live')).toBe('lshift-withdrawn:live');
    expect(withdrawnTagKey('a'.repeat(111))).toBe(`lshift-withdrawn:${'a'.repeat(111)}`);
  });

  /**
   * An alias of 112–121 characters names a record tag (`lshift:` + 121 = 128) but had no list
   * (`lshift-withdrawn:` + 112 = 129): a late write of its withdrawn command was obeyed. Its key
   * is hashed, a pure function of the alias, so the verbs and every reader find the same one.
   */
  it.each([112, 115, 121, 128])(
    'an alias of %i characters: its 94 first, `.`, its 64-bit FNV-1a; 128 in all',
    (n) => {
      const alias = `${'b'.repeat(n - 4)}-x_${n % 10}`;
      const key = withdrawnTagKey(alias);
      expect(key).toHaveLength(128);
      expect(key).toMatch(/^lshift-withdrawn:[A-Za-z0-9_-]{94}\.[0-9a-f]{16}$/);
      expect(key.slice(17, 111)).toBe(alias.slice(0, 94));
      expect(key.slice(112)).toBe(fnv1a64(alias).toString(16).padStart(16, '0'));
      expect(withdrawnTagKey(alias)).toBe(key);
      // Lambda's tag key characters (the sandbox refuses others the same way).
      expect(key).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    },
  );

  it('two long aliases alike in their first 94 characters name two keys; no long key is a short one', () => {
    const head = 'c'.repeat(100);
    const keys = ['-a', '-b', '-aa', '_a'].map((tail) => withdrawnTagKey(`${head}${'d'.repeat(12)}${tail}`));
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key.slice(0, 111)).toBe(`lshift-withdrawn:${'c'.repeat(94)}`);
    // A short alias never holds `.`: its key is never a long alias's.
    expect(withdrawnTagKey('a'.repeat(111))).not.toContain('.');
  });

  // Pinned: a reader of another lshift version must find the key this one wrote.
  it('the hashed key is pinned', () => {
    expect(withdrawnTagKey('a'.repeat(112))).toBe(`lshift-withdrawn:${'a'.repeat(94)}.a8db13ccc8b3f395`);
  });

  it('an entry is the deployment id (its dots escaped) and the nonce', () => {
    expect(withdrawalEntry('d-abc123', 'p1x2')).toBe('d-abc123.p1x2');
    expect(withdrawalEntry('odd.id 1', 'p1x2')).toBe('odd+2Eid+201.p1x2');
    expect(parseWithdrawn(encodeWithdrawn(['odd+2Eid+201.p1x2', 'd-abc123.p1x2']))).toEqual([
      'odd+2Eid+201.p1x2',
      'd-abc123.p1x2',
    ]);
  });

  it('reads what is no entry as nothing', () => {
    expect(parseWithdrawn(undefined)).toEqual([]);
    expect(parseWithdrawn('')).toEqual([]);
    expect(parseWithdrawn('d-abc123 x.TOOLONGNONCE d-abc123.p1x2  junk')).toEqual(['d-abc123.p1x2']);
  });

  it('adds the newest first, once, and keeps as many as fit in 16 entries and one tag value', () => {
    expect(addWithdrawn(['d-abc123.aaaa', 'd-abc123.p1x2'], 'd-abc123.p1x2')).toEqual([
      'd-abc123.p1x2',
      'd-abc123.aaaa',
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `d-abc123.${i.toString(36).padStart(4, '0')}`);
    const kept = addWithdrawn(many, 'd-new001.zzzz');
    expect(kept).toHaveLength(MAX_WITHDRAWN_ENTRIES);
    expect(kept.slice(0, 2)).toEqual(['d-new001.zzzz', many[0]]);
    const long = Array.from({ length: 10 }, (_, i) => `${'x'.repeat(40)}.${i}`);
    const fits = addWithdrawn(long, 'd-new001.zzzz');
    expect(encodeWithdrawn(fits).length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    expect(fits).toHaveLength(6);
  });

  it('drops a sent command it lists; an answered one, another nonce or deployment stay', () => {
    const listed = ['d-abc123.p1x2'];
    expect(dropWithdrawn({ ...record, command: sent }, listed)).toEqual(record);
    for (const kept of [
      { ...record, command: { ...sent, state: 'done' as const } },
      { ...record, command: { ...sent, state: 'refused' as const } },
      { ...record, command: { ...sent, nonce: 'zzzz' } },
      { ...record, id: 'd-next01', command: sent },
    ]) {
      expect(dropWithdrawn(kept, listed)).toEqual(kept);
    }
    expect(dropWithdrawn(undefined, listed)).toBeUndefined();
    expect(dropWithdrawn({ ...record, command: sent }, [])).toEqual({ ...record, command: sent });
  });
});
