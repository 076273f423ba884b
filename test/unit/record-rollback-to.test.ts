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

  /**
   * A full tag (any long-lived function's: some 25 stable versions fill what the head and owner
   * leave). `rt=` stays ahead of the oldest history entry, on a claim too, on purpose (session 71,
   * h2): given way there, it would be missing from nearly every claim in production, and with it
   * "following it until alias live is all on version 7", status's and the check's "not on version
   * 7" and the runner's end naming the version it followed. What it costs is the oldest entry (or
   * the few its five to eight characters need), which the next deployments' records push out
   * anyway: an entry as long as the mark, and the next deployment's history is the same as without
   * it; older, shorter entries (the mark `rt=100` over entries `75`), up to two more fewer for as
   * many deployments, until the list is full again.
   */
  describe('on a tag the history fills', () => {
    const fullHistory = (record: DeploymentRecord): DeploymentRecord => {
      const { rollbackTo: _rt, ...bare } = record;
      let grown: DeploymentRecord = bare;
      for (let n = 2; decodeRecord(encodeRecord(grown)).history.length === grown.history.length; n++)
        grown = { ...bare, history: Array.from({ length: n }, (_, i) => String(1000 + i)) };
      // One entry fewer than overflows: every entry fits without the mark.
      return { ...grown, history: grown.history.slice(0, -1) };
    };
    const { endedAt: _e, endReason: _r, ...open } = { ...closed, phase: 'rolling-back' as const };

    it("a claim's `rt=` is written, its oldest history entry giving way", () => {
      const full = fullHistory(open as DeploymentRecord);
      const back = decodeRecord(encodeRecord({ ...full, rollbackTo: '7' }));
      expect(back.rollbackTo).toBe('7');
      expect(back.owner).toBe('rollback:ops@desk:3');
      expect(back.history).toEqual(full.history.slice(0, -1));
    });

    it('the next deployment’s record holds the same history as if the claim had carried no mark', () => {
      const full = fullHistory(open as DeploymentRecord);
      // The claim, then its close (rolled back; every closer but `--to`'s drops the mark), then the next deploy.
      const nextHistory = (claim: DeploymentRecord) => {
        const claimed = decodeRecord(encodeRecord(claim));
        const { rollbackTo: _rt, ...rest } = claimed;
        const ended = decodeRecord(encodeRecord({ ...rest, phase: 'rolled-back', endedAt: 3_000 }));
        const { endedAt: _end, ...base } = ended;
        const next: DeploymentRecord = {
          ...base,
          id: 'd-next01',
          targetVersion: '9',
          phase: 'shifting',
          percent: 0,
          owner: 'ci@runner:7',
          history: [ended.stableVersion, ...ended.history],
        };
        return decodeRecord(encodeRecord(next)).history;
      };
      expect(nextHistory({ ...full, rollbackTo: '7' })).toEqual(nextHistory(full));
    });

    it("a close's `rt=` stays too, ahead of the oldest history entry", () => {
      const full = fullHistory(closed);
      const back = decodeRecord(encodeRecord({ ...full, rollbackTo: '7' }));
      expect(back.rollbackTo).toBe('7');
      expect(back.history).toEqual(full.history.slice(0, -1));
    });
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
