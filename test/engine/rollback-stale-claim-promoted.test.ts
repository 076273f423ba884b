/**
 * A promoted deployment whose `lshift rollback` was killed after its alias write landed (h4's
 * hostile pass, session 69, F2): its claim (`rolling-back`, its heartbeat gone stale) was the
 * record the next run claimed over, and that claim no longer said the deployment had been
 * promoted. The next run closed it `rolled-back, version 2 → 1, stopped at step 1` — a shift
 * stopped at its first step — not `rolled back to version 1: after it was promoted`. Nor is it
 * "moved by hand (lshift ran no rollback)": lshift's own earlier run moved it. Depth unchanged.
 */
import { describe, expect, it } from 'vitest';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

function rollback(w: World) {
  return rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
}

describe('lshift rollback over a killed rollback’s stale claim of a promoted deployment', () => {
  it('closed rolled back after its promotion, not stopped at step 1, and never further back', async () => {
    const w = createWorld();
    const promoted = deadRecord(w, {
      stepIndex: 9,
      percent: 100,
      phase: 'promoted',
      endedAt: w.start - 400_000,
      heartbeatAt: w.start - 400_000,
    });
    // The killed run's claim over it, its alias write landed (all traffic back on 1).
    w.store.seed(FN, ALIAS, {
      ...promoted,
      phase: 'rolling-back',
      owner: 'rollback:op@laptop:1',
      heartbeatAt: w.start - 300_000,
    });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });

    await expect(rollback(w)).resolves.toMatchObject({ status: 'nothing_to_deploy', toVersion: '1' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'rolled back to version 1: after it was promoted',
    });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'nothing_to_deploy' });
    expect(w.lambda.callsOf('updateAlias').filter((c) => JSON.stringify(c).includes('"0"'))).toHaveLength(0);
  });
});
