/**
 * `rt=`: the version a person's `lshift rollback --to` sent all traffic to when it closed the
 * record promoted (engine/rollback-to-taker.ts). Optional: written when it fits, read when present,
 * absent in an older lshift's records; only that close is read as it (sentByRollbackTo).
 */
import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { sentByRollbackTo } from '../../src/engine/rollback-to-taker.js';

const closed: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 100,
  phase: 'promoted',
  startedAt: 1_000,
  owner: 'rollback:ops@desk:3',
  heartbeatAt: 2_000,
  endedAt: 2_000,
  endReason: 'moved by hand',
  history: ['6'],
  rollbackTo: '7',
};

describe('the `lshift rollback --to` mark in the record', () => {
  it('reads back as written; a record without it reads as before', () => {
    const tag = encodeRecord(closed);
    expect(tag).toContain(' rt=7');
    expect(decodeRecord(tag)).toEqual(closed);
    const { rollbackTo: _rt, ...older } = closed;
    expect(decodeRecord(encodeRecord(older))).toEqual(older);
  });

  it('gives way when the tag has no room: the close is still written, as a move by hand', () => {
    // The head grown (a long release id) until `rt=7` no longer fits beside it and one history entry.
    let record: DeploymentRecord = closed;
    for (let n = 1; encodeRecord({ ...record, rollbackTo: undefined }).length < 252; n++)
      record = { ...closed, owner: '', releaseId: `r-${'x'.repeat(n)}` };
    const tag = encodeRecord(record);
    expect(tag).not.toContain(' rt=');
    expect(decodeRecord(tag)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    expect(decodeRecord(tag).rollbackTo).toBeUndefined();
  });

  it("a rollback's claim carries where it sends the traffic, but never at the cost of its owner", () => {
    const claim: DeploymentRecord = {
      ...closed,
      phase: 'rolling-back',
      endedAt: undefined,
      endReason: undefined,
    };
    const { endedAt: _e, endReason: _r, ...open } = claim;
    expect(decodeRecord(encodeRecord(open))).toEqual(open);
    // Grown until the owner would lose characters to `rt=7`: the owner stays whole (its claimer
    // reads the claim back by it), the mark gives way.
    let record: DeploymentRecord = open;
    for (let n = 1; encodeRecord({ ...record, rollbackTo: undefined }).length < 253; n++)
      record = { ...open, releaseId: `r-${'x'.repeat(n)}` };
    const back = decodeRecord(encodeRecord(record));
    expect(back.owner).toBe('rollback:ops@desk:3');
    expect(back.rollbackTo).toBeUndefined();
  });

  it.each([
    ['the close of `--to` its new version', {}, { owner: 'rollback:ops@desk:3', to: '7' }],
    ['no mark (a claimer that met an outside move)', { rollbackTo: undefined }, undefined],
    ['a mark naming another version than its target', { rollbackTo: '6' }, undefined],
    ['rolled back since (a later rollback kept it by mistake)', { phase: 'rolled-back' as const }, undefined],
    ['another end reason', { endReason: 'moved by hand to version 9' }, undefined],
    ['not ended', { endedAt: undefined }, undefined],
  ])('%s', (_, change, expected) => {
    expect(sentByRollbackTo({ ...closed, ...change })).toEqual(expected);
  });
});
