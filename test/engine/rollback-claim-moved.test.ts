/**
 * A person's `lshift rollback` claims a deployment whose runner is live (the claim stops it: "taken
 * over by rollback:…"), then is refused because someone had moved the alias to a version the
 * deployment never wrote (NOTHING_TO_ROLL_BACK). It put its claim back: the record said `shifting`
 * under a runner that had exited, and status said STALLED (found by a hostile pass, session 62).
 * Now it closes the record as moved by hand, as the runner would have, and says so.
 */
import { describe, expect, it } from 'vitest';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

function claimedOverMove(to?: string) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  // A live runner's record: its heartbeat fresh, at 20%.
  leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 5_000 }));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
  const run = rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback by op', ...(to ? { to } : {}) },
  );
  return { w, run };
}

describe("a person's rollback refused over a move by hand after its claim", () => {
  it('closes the record as moved by hand (not put back shifting), keeps the move, and says so', async () => {
    const { w, run } = claimedOverMove();
    const error = (await run.catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(error.code).toBe('NOTHING_TO_ROLL_BACK');
    expect(error.message).toContain(
      'The move is kept: deployment d-dead01 is closed as rolled-back (moved by hand to version 3), as its runner would have closed it',
    );
    expect(error.hint).toBe(
      'To put all traffic on its stable version 1 instead: `lshift rollback demo --alias live --to 1`.',
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
    });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.stale).toBeFalsy();
  });

  it('with --to, the person chose: rolled back there as before', async () => {
    const { w, run } = claimedOverMove('1');
    await expect(run).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1' });
  });
});
