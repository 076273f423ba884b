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
    expect(withdrawnTagKey('a'.repeat(111))).toHaveLength(128);
    expect(withdrawnTagKey('a'.repeat(112))).toBeUndefined();
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
