/**
 * After a deploy that never moved traffic (its pre-traffic hook failed: record 2 → 3 rolled back
 * before any weight), `lshift rollback` rightly moves nothing — never further back than the latest
 * record — but said only "already rolled back", so an operator who meant to undo the live version
 * 2 was not told how (h4's hostile pass, session 69, F4). It now names `--to` and, when the record
 * keeps it, the version stable before (its history). `--to` then goes there, once.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

function rollback(w: World, to?: string) {
  return rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback', ...(to === undefined ? {} : { to }) },
  );
}

function rolledBackBeforeTraffic(w: World, history: string[]): void {
  w.lambda.addVersion(FN);
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      stableVersion: '2',
      targetVersion: '3',
      stepIndex: 0,
      percent: 0,
      phase: 'rolled-back',
      endedAt: w.start - 60_000,
      history,
    }),
  );
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
}

describe('lshift rollback after a deploy that moved no traffic', () => {
  it('nothing moved, and it names `--to 1`, the version stable before; `--to 1` then goes there', async () => {
    const w = createWorld();
    rolledBackBeforeTraffic(w, ['2', '1']);
    const result = await rollback(w);
    expect(result.status).toBe('nothing_to_deploy');
    const text = describeClaimedRollback(withReason(result));
    expect(text).toContain('was already rolled back');
    expect(text).toContain(`to undo version 2 too, \`lshift rollback ${FN} --alias ${ALIAS} --to 1\``);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });

    await expect(rollback(w, '1')).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('the version stable before is its own new version (3 → 2 after 2 → 3): not offered, the one before it is (`--to 1`)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        stableVersion: '3',
        targetVersion: '2',
        phase: 'rolled-back',
        percent: 0,
        endedAt: w.start - 60_000,
        history: ['3', '2', '1'],
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const text = describeClaimedRollback(withReason(await rollback(w)));
    expect(text).toContain(`to undo version 3 too, \`lshift rollback ${FN} --alias ${ALIAS} --to 1\``);
  });

  it('no earlier version kept: said plainly, then `--to <version>`', async () => {
    const w = createWorld();
    rolledBackBeforeTraffic(w, ['2']);
    const text = describeClaimedRollback(withReason(await rollback(w)));
    expect(text).toContain(
      'the deployment record keeps no version that was stable before version 2: to undo version 2 too, choose one of its published versions and run',
    );
    expect(text).toContain(`--alias ${ALIAS} --to <version>\``);
    expect(text).not.toContain('the version stable before it');
  });
});
