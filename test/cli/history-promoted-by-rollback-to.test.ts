/**
 * `lshift history` of a record closed by a person's `lshift rollback --to <its own new version>`
 * (`promoted (moved by hand)` under the rollback's owner, `rt=2`): its when-line said "started …,
 * ended …, took 4m 18s, by rollback:ops@desk:3", as if that person had deployed it and it had run
 * its course — the record keeps the rollback's owner and end, not who deployed it. It says it was
 * promoted by that rollback; a deploy's own promotion reads as before.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { ALIAS, createWorld, deadRecord, FN } from '../engine/world.js';
import { expectValidResultOf } from '../helpers/contract.js';

const OPERATOR = 'rollback:ops@desk:3';

function historyOf(closed: { rollbackTo?: string; owner: string; endReason?: string }) {
  const w = createWorld();
  const record = deadRecord(w, {});
  const { endReason, ...rest } = closed;
  const end = {
    ...record,
    ...rest,
    phase: 'promoted' as const,
    percent: 100,
    endedAt: record.startedAt + 258_000,
    ...(endReason === undefined ? {} : { endReason }),
  };
  const h = buildHistory(
    FN,
    ALIAS,
    { functionVersion: '2', additionalWeights: {} },
    end,
    end.endedAt + 60_000,
  );
  expectValidResultOf('history', { schemaVersion: 4, ...h });
  return { h, end };
}

describe('lshift history of a deployment promoted by `lshift rollback --to`', () => {
  it('says it was promoted by that rollback, not "took …, by" its owner as if deployed by them', () => {
    const { h, end } = historyOf({ rollbackTo: '2', owner: OPERATOR, endReason: 'moved by hand' });
    const text = renderHistory(h);
    expect(text).not.toContain(`by ${OPERATOR}\n`);
    expect(text).not.toContain('took 4m 18s');
    expect(text).toContain(
      `started ${new Date(end.startedAt).toISOString()}, promoted ${new Date(end.endedAt).toISOString()} (4m 18s after it started) by \`lshift rollback --to 2\` of ${OPERATOR}, not by its own run (the record does not keep who deployed it)`,
    );
    expect(h.latest?.promotedByRollbackTo).toEqual({ owner: OPERATOR, to: '2' });
  });

  it('a deploy that promoted itself: the when-line as before', () => {
    const { h } = historyOf({ owner: 'ci@runner:7' });
    expect(renderHistory(h)).toContain(', took 4m 18s, by ci@runner:7');
    expect(h.latest?.promotedByRollbackTo).toBeUndefined();
  });
});
