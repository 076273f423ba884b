/**
 * `lshift rollback fa --to 3` (no version 3) beside a live runner at 20%: the claim was written
 * first and stopped the runner, then the rollback refused VERSION_NOT_FOUND (exit 2, "nothing
 * changed") and gave the record back to a runner that had already let go: the alias left split,
 * nobody driving it (h3's hostile pass, session 69, on the sandbox). `--to` is checked first now.
 */
import { describe, expect, it } from 'vitest';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('lshift rollback --to a version that does not exist', () => {
  it('is refused before its claim is written: the deployment record is not touched', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { stepIndex: 1, percent: 20 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const before = w.store.writes.length;
    await expect(
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback', to: '3' },
      ),
    ).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    expect(w.store.writes.length).toBe(before);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.2 },
    });
  });
});
