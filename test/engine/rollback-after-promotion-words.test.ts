/**
 * A promoted deployment rolled back to its own stable version by `lshift rollback` (h3's notes,
 * session 62): its record was closed with no end reason, under the person's owner and with the
 * rollback's time as its end. `status` said "stopped at step 2", as if the shift had been stopped,
 * and `history` "started …, took 5m 19s, by rollback:…", as if the person had deployed it and the
 * deploy had lasted until the rollback. Now the record says it was promoted first (as `--to` a
 * third version does: rollback-to-third.test.ts), and history says when it was rolled back
 * instead of how long it "took", naming who in its `why` line.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeRollback } from '../../src/cli/describe-rollback.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';
const STORED = 'rolled back to version 1: after it was promoted';

/** Promoted 1 → 2 by a canary of two steps, all traffic on 2, five minutes ago. */
function promoted(strategy = 'canary:10%:5m'): World {
  const w = createWorld();
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'promoted',
      percent: 100,
      stepIndex: 1,
      strategy,
      owner: 'ci@runner:42',
      endedAt: w.start - 300_000,
      history: ['1'],
    }),
  );
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
  return w;
}

async function words(w: World): Promise<{ status: string; history: string }> {
  const record = await w.store.read(FN, ALIAS);
  const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
  const alias = w.lambda.peekAlias(FN, ALIAS)!;
  return { status, history: renderHistory(buildHistory(FN, ALIAS, alias, record, w.clock.now())) };
}

describe('lshift rollback of a promoted deployment to its own stable version', () => {
  it('promoted by a move before its last step: says where, not that all its steps ran (h4, session 69)', async () => {
    const w = promoted('linear:10%:10m');
    const seeded = (await w.store.read(FN, ALIAS))!;
    w.store.seed(FN, ALIAS, { ...seeded, stepIndex: 1 });
    await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    const { status } = await words(w);
    expect(status).toContain(
      "version 1 → 2, promoted at step 2 of 10 or before it, not by lshift's steps (linear:10%:10m)",
    );
    expect(status).not.toContain('all its steps run before it');
  });
  it('records that it was promoted first: status and history say so, not a stopped shift', async () => {
    const w = promoted();
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      owner: PERSON,
      endReason: STORED,
    });
    const { status, history } = await words(w);
    expect(status).toContain(
      `deployment d-dead01: rolled-back (${STORED}, by ${PERSON}), version 1 → 2, all its steps run before it`,
    );
    expect(status).not.toContain('stopped at step');
    expect(history).toContain('promoted, then rolled back');
    expect(history).toContain('(the record keeps neither when it was promoted nor who deployed it)');
    expect(history).not.toContain('took ');
    expect(history.split('\n').find((l) => l.includes('started '))).not.toContain(PERSON);
    expect(history).toContain(`why: ${STORED}, by ${PERSON}`);
    // A second rollback finds it done: nothing to roll back, nothing written.
    const writes = w.lambda.callsOf('updateAlias').length;
    await expect(
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: PERSON },
        { functionName: FN, alias: ALIAS, reason: 'again' },
      ),
    ).resolves.toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
  });

  it('an unfinished deployment rolled back to its stable version keeps no end reason, as before', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'shifting', percent: 10, stepIndex: 0 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    const record = await w.store.read(FN, ALIAS);
    expect(record).toMatchObject({ phase: 'rolled-back' });
    expect(record?.endReason).toBeUndefined();
    expect((await words(w)).status).toContain('stopped at step 1');
  });
});

describe('status and history name the same earlier stable versions', () => {
  it("both leave out the deployment's own stable version (status listed it as a previous one)", async () => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start, history: ['1', '9'] }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const { status, history } = await words(w);
    expect(status).toContain('    earlier stable versions, most recent first: 9');
    expect(history).toContain('  earlier stable versions, most recent first: 9');
    expect(status).not.toContain('previous stable versions');
  });
});

/**
 * Promoted, then the alias put back on version 1 by hand (`aws lambda update-alias`), then
 * `lshift rollback` (h3's pass, session 64): it said "Nothing to roll back … now recorded as rolled
 * back", and status/history "ROLLED BACK … by rollback:ann@…" though lshift moved nothing.
 */
describe('lshift rollback of a promoted deployment whose alias was already moved back by hand', () => {
  it('records it moved by hand under its own owner, and says so', async () => {
    const w = promoted();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result).toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    expect(result.cause).toMatchObject({ code: 'NOTHING_TO_DO', data: { movedByHand: true } });
    expect(describeRollback(withReason(result))).toContain(
      'was promoted and its alias moved back by hand since: it is now recorded as moved by hand (this rollback moved no traffic)',
    );
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      owner: 'ci@runner:42',
      endReason: 'moved by hand',
      endedAt: w.start - 300_000,
    });
    const { status, history } = await words(w);
    expect(status).not.toContain(PERSON);
    expect(status).toContain('moved by hand');
    expect(history).toContain('MOVED BY HAND');
    expect(history).not.toContain(PERSON);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
