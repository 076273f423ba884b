import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { aliasRevisionMark, aliasWrittenSinceStart } from '../../src/domain/record-revision.js';

const base: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 0,
  phase: 'started',
  startedAt: 1_000,
  owner: 'ci@runner:42',
  heartbeatAt: 2_000,
  history: ['6'],
  runnerToken: 'k3j9x2',
  aliasRevision: '8f14e45f',
};

describe("the alias's RevisionId at the start in the record (`ar=`)", () => {
  it('reads back as written, after the runner token; a record without it reads without it', () => {
    expect(encodeRecord(base)).toContain(' rn=k3j9x2 ar=8f14e45f ');
    expect(decodeRecord(encodeRecord(base))).toEqual(base);
    const { aliasRevision: _dropped, ...older } = base;
    expect(decodeRecord(encodeRecord(older))).toEqual(older);
  });

  it('is left out, not refused, when the head leaves no room for it (the runner token keeps its place)', () => {
    const { aliasRevision: _dropped, ...without } = { ...base, owner: '' };
    const room = 256 - encodeRecord(without).length;
    const full = { ...base, owner: '', endReason: 'x'.repeat(room - ' r='.length) };
    expect(encodeRecord({ ...full, aliasRevision: undefined })).toHaveLength(256);
    expect(decodeRecord(encodeRecord(full))).toEqual({ ...full, aliasRevision: undefined });
  });

  it('keeps the first 8 characters of a RevisionId', () => {
    expect(aliasRevisionMark('8f14e45f-ceea-467a-9575-e9d2d3e9f2c1')).toBe('8f14e45f');
    expect(aliasRevisionMark('rev-3')).toBe('rev-3');
  });
});

describe('aliasWrittenSinceStart', () => {
  const rows: [string, Partial<DeploymentRecord>, { revisionId?: string } | undefined, boolean][] = [
    ['the same RevisionId: nothing wrote the alias', {}, { revisionId: '8f14e45f-ceea-467a' }, false],
    ['another RevisionId: something wrote it', {}, { revisionId: '0cc175b9-c0f1-4b6a' }, true],
    ['a weight recorded: the record says traffic moved itself', { percent: 10 }, { revisionId: 'x' }, false],
    [
      'an older lshift’s record (no `ar=`): unknown, not moved',
      { aliasRevision: undefined },
      { revisionId: 'x' },
      false,
    ],
    ['the alias unread: unknown, not moved', {}, undefined, false],
    [
      'a CodeDeploy record: CodeDeploy writes the alias itself',
      { engine: 'codedeploy' },
      { revisionId: 'x' },
      false,
    ],
    ['a RevisionId missing from the answer: unknown', {}, {}, false],
  ];
  it.each(rows)('%s', (_name, overrides, alias, expected) => {
    expect(aliasWrittenSinceStart({ ...base, ...overrides }, alias)).toBe(expected);
  });
});
