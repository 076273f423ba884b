/**
 * `lshift wait <id>` (followCodeDeploy) and the signal that interrupts it. The runtime's AWS
 * calls share the signal, so a Ctrl-C that lands while a poll's read is in flight abandons that
 * read (INTERRUPTED): it must still stop the deployment, not end the wait with the read's error.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN } from './world.js';

async function runningWorld() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    description: 'lshift deploy of demo:live',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink };
  return { w, codedeploy, id, deps };
}

/** The second GetDeployment is in flight when the signal comes: the SDK abandons it. */
function interruptDuringSecondRead(codedeploy: FakeCodeDeploy, controller: AbortController) {
  const read = codedeploy.getDeployment.bind(codedeploy);
  let reads = 0;
  codedeploy.getDeployment = async (id: string) => {
    if (++reads === 2) {
      controller.abort(new Error('SIGINT'));
      throw new OperationError(
        'INTERRUPTED',
        `codedeploy:GetDeployment on deployment ${id} was abandoned`,
        {},
      );
    }
    return read(id);
  };
}

// Seen in a hostile pass: `lshift wait` on a deployment someone stopped (`aws deploy
// stop-deployment`) gave CodeDeploy's words alone; a deploy's follower says it was stopped from outside.
describe('lshift wait on a deployment stopped from outside', () => {
  it('says it was stopped from outside this run; its own Ctrl-C stop does not', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    await codedeploy.stopDeployment(id, true);
    const outside = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(outside).toMatchObject({ status: 'Stopped', outcome: 'rolled_back' });
    expect(outside.stoppedByInterrupt).toBeUndefined();
    expect(outside.detail).toMatch(/^stopped from outside this run \(a StopDeployment request/);

    const own = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(own.codedeploy, controller);
    const mine = await followCodeDeploy(own.deps, {
      deploymentId: own.id,
      pollSeconds: 10,
      signal: controller.signal,
      onInterrupt: 'rollback',
    });
    expect(mine.stoppedByInterrupt).toBe(true);
    expect(mine.detail).not.toContain('from outside');
  });
});

describe('lshift wait interrupted while a poll’s read is in flight', () => {
  it('rollback (the default): the deployment is still stopped with auto-rollback and followed to its end', async () => {
    const { w, codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);

    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      signal: controller.signal,
      onInterrupt: 'rollback',
    });

    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(result).toMatchObject({ outcome: 'rolled_back', status: 'Stopped', stoppedByInterrupt: true });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('leave: nothing is stopped, the wait says it left the deployment running', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    const controller = new AbortController();
    interruptDuringSecondRead(codedeploy, controller);

    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      signal: controller.signal,
      onInterrupt: 'leave',
    });

    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'left', deploymentId: id });
  });

  it('a read that fails on its own (no signal) still ends the wait with its error', async () => {
    const { codedeploy, id, deps } = await runningWorld();
    codedeploy.getDeployment = async () => {
      throw new OperationError('ACCESS_DENIED', 'not allowed', {});
    };

    await expect(
      followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
  });
});
