/**
 * Two `deploy` of one function started together: the loser's first weight write meets a 412, the
 * winner's deployment on the alias. The loser said "rolled back and replaced by deployment d-…"
 * (exit 3, a rejected version to a pipeline) though nothing of it had ever moved or been rolled
 * back (found by a hostile pass). It lost the race: another deployment holds the alias (exit 5).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, canary, createWorld, deadRecord, FN, request } from './world.js';

describe('a deploy that loses the race to the alias before its first weight write landed', () => {
  it('ends conflict (exit 5), not rolled back and replaced (exit 3)', async () => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    w.lambda.addVersion(FN);
    let raced = false;
    w.lambda.onCall = (call) => {
      if (call.op !== 'updateAlias' || raced) return;
      raced = true;
      // The winner (version 3, started a moment later) stores its record and moves the alias first.
      const winner = deadRecord(w, {
        id: 'd-winner',
        targetVersion: '3',
        startedAt: w.clock.now() + 1,
        heartbeatAt: w.clock.now() + 1,
        percent: 25,
        owner: 'other@ci:9',
      });
      w.store.seed(FN, ALIAS, winner);
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.25 } });
    };
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));
    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.trafficMoved).toBe(false);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.25 },
    });
  });

  // Found by a hostile pass: two deploys of one version, the second's claim went over the first's
  // `shifting` record, and losing the alias it wrote "paused (weights changed by hand)" there.
  it('a deployment that started while this one ran its preflight refuses it before any write (exit 5)', async () => {
    const w = createWorld();
    const read = w.store.read.bind(w.store);
    let reads = 0;
    w.store.read = async (fn, alias) => {
      const found = await read(fn, alias);
      // Preflight read no record; the other deploy claims the alias right after.
      if (++reads === 1)
        w.store.seed(
          FN,
          ALIAS,
          deadRecord(w, {
            id: 'd-winner',
            phase: 'shifting',
            heartbeatAt: w.clock.now(),
            owner: 'other@ci:9',
          }),
        );
      return found;
    };
    const run = runDeploy(w.deps, request({ ...canary(10, 300) }));

    await expect(run).rejects.toMatchObject({
      code: 'DEPLOYMENT_IN_PROGRESS',
      exitCode: 5,
      message: expect.stringContaining(
        'Deployment d-winner by other@ci:9 started on demo alias live while this deployment ran its preflight',
      ),
    });
    expect(w.store.writes).toEqual([]);
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-winner' });
  });
});
