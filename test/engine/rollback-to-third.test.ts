/**
 * `lshift rollback --to <a third version>` of a promoted deployment (h2's finding, session 62):
 * it closed the record "rolled-back (rolled back to version 3) … stopped at step 1", `history`
 * "ROLLED BACK … why: rolled back to version 3", under the original deploy's owner — as if the
 * shift had been stopped at its first step, by its own runner. Now the record says it was
 * promoted first and who rolled it back, and stays readable for the next rollback.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { decodeRecord } from '../../src/domain/record-decode.js';
import { encodeRecord } from '../../src/domain/record-encode.js';
import { versionLeftOn } from '../../src/engine/record-view.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';
const STORED = 'rolled back to version 3: after it was promoted';
const REASON = `${STORED}, by ${PERSON}`;

/** Promoted 1 → 2 (all at once), then the alias routed as given; FN has versions 1 to 3. */
function promoted(routing: { functionVersion: string; additionalWeights: Record<string, number> }): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'promoted',
      percent: 100,
      stepIndex: 0,
      strategy: 'all-at-once',
      endedAt: w.start - 60_000,
    }),
  );
  w.lambda.moveAlias(FN, ALIAS, routing);
  return w;
}

const rollback = (w: World, to?: string) =>
  rollbackClaimed(
    { ...w.deps, store: w.store, owner: PERSON },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback', ...(to ? { to } : {}) },
  );

async function words(w: World): Promise<{ status: string; history: string }> {
  const record = await w.store.read(FN, ALIAS);
  const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
  const alias = w.lambda.peekAlias(FN, ALIAS)!;
  return { status, history: renderHistory(buildHistory(FN, ALIAS, alias, record, w.clock.now())) };
}

describe('lshift rollback --to a third version of a promoted deployment', () => {
  it.each([
    // Split over the third version since: the record no longer matches the alias, not claimed.
    ['split over version 3 (unclaimed)', { functionVersion: '3', additionalWeights: { '2': 0.5 } }],
    // All on its new version: claimed first, its claim the record the rollback reads.
    ['all on its new version (claimed)', { functionVersion: '2', additionalWeights: {} }],
  ])('%s: promoted first, rolled back to 3 by the person, not "stopped at step 1"', async (_n, routing) => {
    const w = promoted(routing);
    const result = await rollback(w, '3');
    expect(result).toMatchObject({ status: 'rolled_back', toVersion: '3' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      owner: PERSON,
      endReason: STORED,
    });
    const { status, history } = await words(w);
    expect(status).toContain(
      `deployment d-dead01: rolled-back (${REASON}), version 1 → 2, all its steps run before it (all-at-once)`,
    );
    expect(status).not.toContain('stopped at step');
    expect(history).toContain(`why: ${REASON}`);
  });

  it('run again: already rolled back there, nothing written (the end reason still names version 3)', async () => {
    const w = promoted({ functionVersion: '3', additionalWeights: { '2': 0.5 } });
    await rollback(w, '3');
    const writes = w.lambda.callsOf('updateAlias').length;
    expect(versionLeftOn((await w.store.read(FN, ALIAS))!)).toBe('3');
    const again = await rollback(w);
    expect(again).toMatchObject({ status: 'nothing_to_deploy', toVersion: '3' });
    // Not "where it was moved since": the end reason's detail hid the version it names.
    expect(describeReason(again)).toContain(
      `was already rolled back (${STORED}): all traffic of alias live is on version 3, where it was rolled back to`,
    );
    expect(describeReason(again)).not.toContain('moved since');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
  });

  // Found by trying it on the sandbox: with the owner in the end reason too, the codec cut the
  // owner itself to fit ("owner roll").
  it('the record tag: a 64-character owner is kept whole beside the end reason', () => {
    const w = createWorld();
    const owner = `rollback:${'a'.repeat(40)}@${'h'.repeat(10)}:123456`.slice(0, 64);
    const record = deadRecord(w, {
      phase: 'rolled-back',
      percent: 0,
      owner,
      endedAt: w.start,
      endReason: STORED,
      history: ['7', '6'],
    });
    const back = decodeRecord(encodeRecord(record));
    expect(versionLeftOn(back)).toBe('3');
    expect(back).toMatchObject({ owner, endReason: STORED });
  });
});
