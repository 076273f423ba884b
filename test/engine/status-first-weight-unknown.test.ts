/**
 * The loser of a held-first-write race whose record reads failed keeps its own record as last
 * stored (shifting, 0%) over the winner's (race-held-first-writes.test.ts 'winner-first-then-
 * unreadable'); should the winner die before its next write, the alias is at the winner's first
 * weight under the loser's record. Status explained that split as the loser's own "one weight write
 * that came next: it landed and the record write after it did not" — a write it never made (h3's
 * s71 round 2). Nothing tells the two apart: the RevisionId (`ar=`) changed since the loser started
 * either way, and neither record keeps who wrote the alias. It now says both readings.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { aliasRevisionMark } from '../../src/domain/record-revision.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function statusAt(percent: number, stepIndex: number, weight: number) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  const found = (await w.lambda.getAlias(FN, ALIAS))!;
  const record = deadRecord(w, {
    id: 'd-loser',
    owner: 'ci@b:2',
    strategy: 'linear:25%:1m',
    stepIndex,
    percent,
    aliasRevision: aliasRevisionMark(found.revisionId!),
  });
  w.store.seed(FN, ALIAS, record);
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': weight } });
  return renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
}

describe('status of a record at 0% under its first step’s weight, its runner gone', () => {
  it('says it may be its own first write or a racing deployment’s, and that the alias cannot tell', async () => {
    const text = await statusAt(0, 0, 0.25);
    expect(text).not.toContain('by the one weight write that came next');
    expect(text).toContain(
      "the alias gives version 2 25%, ahead of this record's 0% by the weight its first step writes: its own first write, the record write after it not landed (the runner stopped between the two, or its record write failed) — or the first write of another deployment of the same versions that raced it for the alias, whose record this one's was stored over (that one then stopped before its next write, which would have put its own record back); the alias cannot tell them apart (it was written since this deployment started either way, and no record keeps by whom)",
    );
    // Either way the same versions at a step's weight: finishing or undoing it is the same.
    expect(text).toContain('`lshift deploy demo --alias live --resume`');
    expect(text).toContain('`lshift rollback demo --alias live`');
  });

  it('a later step (25% on to 50%) keeps its words: no racing first write reaches there', async () => {
    const text = await statusAt(25, 1, 0.5);
    expect(text).toContain(
      "the alias gives version 2 50%, ahead of this record's 25% by the one weight write that came next: it landed and the record write after it did not",
    );
  });
});
