/**
 * `lshift alias fn live 2` over a `failed` record (its rollback failed, its runner gone: nobody
 * runs it) that someone already put whole on 2 left the record open and said nothing changed,
 * while the same move over a `paused` or stale record closes it (found by h4's list, session 68):
 * `failed` has ended its runner at once, so its heartbeat is fresh for 90 s and read as alive.
 */
import { describe, expect, it } from 'vitest';
import { moveAlias } from '../../src/engine/move-alias.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

function move(w: World, version: string) {
  return moveAlias(
    { lambda: w.lambda, store: w.store, clock: w.clock },
    { functionName: FN, alias: ALIAS, version },
  );
}

describe('lshift alias over a failed record already where it is asked', () => {
  it('closes it as moved by hand, its heartbeat fresh (its runner just exited)', async () => {
    const w = createWorld();
    const now = w.clock.now();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'failed', heartbeatAt: now - 5_000, endedAt: now - 5_000 }),
      30,
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const moved = await move(w, '2');

    expect(moved.changed).toBe(false);
    expect(moved.endedDeployment).toMatchObject({
      id: 'd-dead01',
      phase: 'promoted',
      endReason: 'moved by hand',
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
  });

  it('a rolling-back record with a fresh heartbeat (its runner at work) is still left alone', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', heartbeatAt: w.clock.now() - 5_000 }), 30);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const moved = await move(w, '1');
    expect(moved.endedDeployment).toBeUndefined();
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back' });
  });
});
