/**
 * `lshift alias` over a CLOSED `--engine codedeploy` record whose deployment ended Stopped while
 * CodeDeploy's own rollback of it runs (a stop with auto-rollback: someone's, while lshift's stop
 * without rollback, to keep a person's move, lost its answer and closed the record "moved by
 * hand"). Closed records were never asked: the move went ahead, "moved", and CodeDeploy's rollback
 * put the alias back on version 1 within its run (h3, session 70, item 3). It is refused now
 * while that rollback runs; once it has ended, or with none, the move goes ahead as before.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

/** A CodeDeploy deployment 1 → 2, its record closed "moved by hand" with the alias on 3 (the person's). */
async function closedWorld() {
  const w = createWorld();
  w.lambda.addVersion(FN);
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda).slowRollbacks(60_000);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  await w.clock.advance(60_000);
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
  const closed: DeploymentRecord = {
    ...deadRecord(w, { engine: 'codedeploy', codeDeployId: id }),
    phase: 'rolled-back',
    endReason: 'moved by hand to version 3',
    endedAt: w.clock.now(),
  };
  w.store.seed(FN, ALIAS, closed);
  const moveTo = (version: string) =>
    moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy },
      { functionName: FN, alias: ALIAS, version },
    );
  return { w, codedeploy, id, moveTo };
}

describe('lshift alias over a closed CodeDeploy record whose deployment CodeDeploy rolls back', () => {
  it('refuses while that rollback runs: nothing written, the rollback named', async () => {
    const { w, codedeploy, id, moveTo } = await closedWorld();
    await codedeploy.stopDeployment(id, true);
    const writes = w.lambda.aliasWrites().length;

    await expect(moveTo('2')).rejects.toMatchObject({
      code: 'CODEDEPLOY_DEPLOYMENT_RUNNING',
      message: expect.stringContaining(
        `ran on AWS CodeDeploy (${id}), which says it ended Stopped, but AWS CodeDeploy's rollback deployment ${id}-rb of it is InProgress: it puts the alias back on its own and would undo a move by hand; nothing was written.`,
      ),
    });
    expect(w.lambda.aliasWrites()).toHaveLength(writes);
  });

  it('moves once that rollback has ended', async () => {
    const { w, codedeploy, id, moveTo } = await closedWorld();
    await codedeploy.stopDeployment(id, true);
    await w.clock.advance(61_000);
    expect((await codedeploy.getDeployment(`${id}-rb`)).status).toBe('Succeeded');

    await expect(moveTo('2')).resolves.toMatchObject({ changed: true });
    await w.clock.advance(120_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('moves at once after a stop without rollback (no window for a closed record, as before)', async () => {
    const { w, codedeploy, id, moveTo } = await closedWorld();
    await codedeploy.stopDeployment(id, false);

    await expect(moveTo('2')).resolves.toMatchObject({ changed: true });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });
});
