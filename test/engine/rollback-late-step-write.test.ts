/**
 * `lshift rollback` of a live deployment whose step write was in flight (held) when the rollback
 * claimed it: that write lands first, and the rollback's RevisionId-guarded write gets a 412. The
 * rollback took it for someone else's move, put the record back and exited 5; the deploy had seen
 * the claim and stopped (exit 5): the alias split 25/75 with nobody driving it (found by a hostile
 * pass). The alias between the deployment's own two versions is that deployment's doing: the
 * rollback re-reads and finishes.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeRollback } from '../../src/cli/describe-rollback.js';
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

  // Its ✔ line named the 20% it read, not the 30% it undid (h4's list, session 68).
  it('its ✔ line names the weight it undid (30%), and the one it had read (20%)', async () => {
    const { run } = rollbackWithLateWrite({ '2': 0.3 });
    const result = await run;
    expect(result).toMatchObject({
      previousState: { functionVersion: '1', additionalWeights: { '2': 0.2 } },
      undoneState: { functionVersion: '1', additionalWeights: { '2': 0.3 } },
    });
    expect(describeRollback(withReason(result)).split('\n')).toEqual([
      '✔ Rolled back demo:live from version 1 (70%) + version 2 (30%) to version 1 (op2): all traffic is on version 1.',
      "  It had read version 1 (80%) + version 2 (20%): its deployment's own step write, in flight as the rollback began, landed first, and the rollback undid that too.",
    ]);
  });

  it('no late write: no undoneState, the line as before', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start }));
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'op2' },
    );
    expect(result).not.toHaveProperty('undoneState');
    expect(describeRollback(withReason(result))).toContain(
      'from version 1 (80%) + version 2 (20%) to version 1',
    );
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
