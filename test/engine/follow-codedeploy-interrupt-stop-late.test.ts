/**
 * `lshift wait`'s Ctrl-C stops the deployment WITH its rollback. When that StopDeployment fails (no
 * answer) and CodeDeploy takes it later, the record said nothing of lshift's decision: a later wait
 * said "stopped from outside this run (… or another operator)" of lshift's own stop (h4's pass,
 * session 67). The wait now marks the record `rolling-back` (cause INTERRUPTED) before its stop, as
 * a deploy's run does before its rollback (follow-rollback-mark.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { OperationError } from '../../src/domain/errors.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { type FollowDeps, followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function detachedCanary() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaCanary10Percent15Minutes');
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
  );
  // As commands/wait.ts gives it: a decided rollback is finished as `lshift rollback` does it.
  const driver = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    { pollSeconds: 5 },
  );
  const deps: FollowDeps = {
    ...followDepsOf(w, codedeploy),
    rollback: { trafficFor: () => driver, owner: 'rollback:ops@desk:1' },
  };
  const real = codedeploy.stopDeployment.bind(codedeploy);
  return { w, codedeploy, id, deps, real };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { code: string },
  );

describe('lshift wait: its Ctrl-C stop with rollback that fails and lands later', () => {
  it('the record says lshift decided the rollback; a later wait says so, not "from outside"', async () => {
    const { w, codedeploy, id, deps, real } = await detachedCanary();
    codedeploy.stopDeployment = async () => {
      throw new OperationError('NETWORK_ERROR', 'AWS did not answer codedeploy:StopDeployment in time', {});
    };
    const interrupt = new AbortController();
    const first = followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      signal: interrupt.signal,
      onRead: () => interrupt.abort(),
    });
    expect(await failure(first)).toMatchObject({ code: 'CODEDEPLOY_WAIT_LOST' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', cause: { code: 'INTERRUPTED' } });
    // The request the SDK gave up on is carried out late: CodeDeploy stops it and rolls it back.
    await real(id, true);
    codedeploy.stopDeployment = real;
    await w.clock.advance(60_000);

    const again = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    const text = describeFollow(again);
    // Before: "✖ CodeDeploy deployment d-… Stopped: … stopped from outside this run (… or another operator)".
    expect(text).not.toContain('from outside');
    expect(text).toContain(
      `lshift had decided to roll back deployment d-dead01 (CodeDeploy deployment ${id}`,
    );
    expect(again.outcome).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('the stop taken at once: the wait settles it as its own stop (stopped by lshift), the record closed rolled back', async () => {
    const { w, id, deps } = await detachedCanary();
    const interrupt = new AbortController();
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      signal: interrupt.signal,
      onRead: () => interrupt.abort(),
    });
    expect(result).toMatchObject({ outcome: 'rolled_back', stoppedByInterrupt: true });
    expect(result.decidedRollback).toBeUndefined();
    expect(describeFollow(result)).toContain(`✖ CodeDeploy deployment ${id} Stopped (stopped by lshift)`);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('it had ended on its own when the stop came: the mark is taken off again', async () => {
    const { w, codedeploy, id, deps, real } = await detachedCanary();
    codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
      await w.clock.advance(20 * 60_000);
      await codedeploy.getDeployment(at);
      return real(at, rollback);
    };
    const interrupt = new AbortController();
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
      signal: interrupt.signal,
      onRead: () => interrupt.abort(),
    });
    expect(result.status).toBe('Succeeded');
    expect(result.decidedRollback).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)?.phase).not.toBe('rolling-back');
  });
});
