/**
 * `lshift rollback fa` over an unfinished CodeDeploy deployment whose alias routes a version of
 * neither of its own: refused RECORD_INVALID (exit 2) — after its claim had been written, which
 * stops a live runner ('taken over'), and then put back under a runner that had let go (h3,
 * session 69 round 4). It is refused before any claim now: the record is not touched.
 */
import { describe, expect, it } from 'vitest';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('lshift rollback over a CodeDeploy deployment whose alias routes a foreign version', () => {
  it('is refused (RECORD_INVALID) with no claim written', async () => {
    const w = createWorld();
    const record = deadRecord(w, { stepIndex: 1, percent: 20, engine: 'codedeploy', codeDeployId: 'd-ABC' });
    w.store.seed(FN, ALIAS, record);
    w.lambda.addVersion(FN);
    w.lambda.addVersion(FN);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.2 } });
    const before = w.store.writes.length;
    await expect(
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      ),
    ).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    expect(w.store.writes.length).toBe(before);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });
});
