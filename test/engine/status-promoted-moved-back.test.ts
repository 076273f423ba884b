/**
 * `lshift status` of a promoted deployment whose alias a person then moved back to its stable
 * version, closed as moved by hand (by `lshift rollback`, which moved nothing: rollback-record.ts
 * closedMovedByHand). It said "stopped at step 1" of an all-at-once deployment, "stopped at step 2"
 * of a two-step canary, as if the shift had been stopped there: it had run every step (h4's notes,
 * session 64). A shift moved by hand before its last step still says where it stopped.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const PERSON = 'rollback:ann@laptop:41';

async function statusAfterRollback(strategy: string, stepIndex: number): Promise<string> {
  const w = createWorld();
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'promoted',
      percent: 100,
      stepIndex,
      strategy,
      owner: 'ci@runner:42',
      endedAt: w.start - 300_000,
    }),
  );
  // The person's move back, after the promotion.
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
  await rollbackClaimed(
    { ...w.deps, store: w.store, owner: PERSON },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
  expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', endReason: 'moved by hand' });
  return renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
}

describe('status of a promoted deployment moved back by hand', () => {
  it.each([
    ['canary:10%:5m', 1],
    ['linear:50%:1m', 1],
  ])('%s: "after its last step", not "stopped at step N"', async (strategy, stepIndex) => {
    const status = await statusAfterRollback(strategy, stepIndex);
    expect(status).toContain('moved by hand (lshift ran no rollback), version 1 → 2, after its last step');
    expect(status).not.toContain('stopped at step');
  });

  // One step: its record is at step 1 whether its traffic moved or not (a move by hand before the
  // write landed closes it the same): neither "stopped at step 1" nor "after its last step" (h2's pass).
  it('all-at-once: no step said', async () => {
    const status = await statusAfterRollback('all-at-once', 0);
    expect(status).toContain('moved by hand (lshift ran no rollback), version 1 → 2 (all-at-once)');
    expect(status).not.toContain('stopped at step');
    expect(status).not.toContain('after its last step');
  });

  it('a shift rolled back before its last step still says where it stopped (a move by hand there: codedeploy-by-hand-words.test.ts)', async () => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'shifting', percent: 10, stepIndex: 0, strategy: 'canary:10%:5m' }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain('stopped at step 1');
    expect(status).not.toContain('after its last step');
  });
});
