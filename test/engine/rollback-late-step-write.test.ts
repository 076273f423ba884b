/**
 * `lshift rollback` of a live deployment whose step write was in flight (held) when the rollback
 * claimed it: that write lands first, and the rollback's RevisionId-guarded write gets a 412. The
 * rollback took it for someone else's move, put the record back and exited 5; the deploy had seen
 * the claim and stopped (exit 5): the alias split 25/75 with nobody driving it (found by a hostile
 * pass). The alias between the deployment's own two versions is that deployment's doing: the
 * rollback re-reads and finishes.
 */
import { describe, expect, it } from 'vitest';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

function rollbackWithLateWrite(routing: Record<string, number>, primary = '1') {
  const w = createWorld();
  // Recorded at its 2nd step (20% of linear:10%:1m), the alias there too.
  leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start }));
  let landed = false;
  // The deployment's held write lands just before the rollback's own write.
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || landed) return;
    landed = true;
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: primary, additionalWeights: routing });
  };
  const run = rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'op2' },
  );
  return { w, run };
}

describe('lshift rollback meeting its deployment’s own late step write', () => {
  it('the alias moved to the deployment’s next step (30%): re-read and rolled back (not a conflict)', async () => {
    const { w, run } = rollbackWithLateWrite({ '2': 0.3 });
    await expect(run).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect((await w.store.read(FN, ALIAS))?.phase).toBe('rolled-back');
  });

  it('moved to a version the deployment does not know: someone else’s, left alone (a split left: unsafe, exit 4)', async () => {
    const { w, run } = rollbackWithLateWrite({ '3': 0.5 });
    w.lambda.addVersion(FN);
    await expect(run).resolves.toMatchObject({ status: 'unsafe' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.5 },
    });
  });
});
