/**
 * `lshift wait` beside a live deploy run that is stopping CodeDeploy WITHOUT its rollback to keep a
 * person's move (its record marked, its stop in flight: held by AWS), when CodeDeploy ends the
 * deployment Succeeded first. Found by a hostile pass (session 66, F6): the wait said that run "did
 * not see that stop end" (it still could) and had no "Record: … left open: the run following it
 * counts as live" line. It says that run is stopping it and says how it ends, and leaves the record.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('lshift wait beside a live run whose stop for a kept move is in flight', () => {
  it('CodeDeploy Succeeded first: not "did not see that stop end"; the record left to that run', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    // The deploy's run lives, stopping CodeDeploy for a move by hand: marked, its heartbeat fresh.
    const record = deadRecord(w, {
      phase: 'shifting',
      engine: 'codedeploy',
      codeDeployId: id,
      percent: 10,
      endReason: KEEP_MOVE_UNCONFIRMED_REASON,
    });
    w.store.seed(FN, ALIAS, { ...record, heartbeatAt: w.clock.now() });
    w.clock.every(20_000, () => w.store.seed(FN, ALIAS, { ...record, heartbeatAt: w.clock.now() }));
    w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    const deps = followDepsOf(w, codedeploy);
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });

    expect(result).toMatchObject({ status: 'Succeeded', outcome: 'unsafe' });
    expect(result.liveFollower?.recordId).toBe(record.id);
    const text = describeFollow(result);
    expect(text).not.toContain('did not see that stop end');
    expect(text).toContain('whose run still lives, is stopping it without its rollback');
    expect(text).toContain(
      `Record: lshift deployment ${record.id} is left open: the run following it counts as live`,
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });
});
