/**
 * `lshift wait` stops AWS CodeDeploy WITHOUT its rollback to keep a person's move, and does not
 * see that stop end (it timed out: UNSAFE, exit 4); the stop lands later. The wait wrote nothing on
 * the record before its stop, so a later `lshift wait` said "stopped from outside this run (a
 * StopDeployment request: the console, …)" of lshift's own stop, and status "STALLED: … stopped by
 * the user" (session 67's note). Now the wait marks the record before its stop, as a deploy's run
 * does (`r=@km`), and both say it was lshift's stop.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

/** `failAtMs`: CodeDeploy fails the deployment on its own then (its hook, say). */
async function detachedCanary(failAtMs?: number) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  if (failAtMs !== undefined) codedeploy.failAfter(failAtMs, 'AfterAllowTraffic hook failed');
  const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaCanary10Percent15Minutes');
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
  );
  w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  const deps = followDepsOf(w, codedeploy);
  const wait = () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  return { w, codedeploy, id, wait };
}

describe('lshift wait: its own stop for a move by hand, not seen to end, is said as lshift’s', () => {
  it('the stop times out (UNSAFE), lands later: the next wait and status say lshift stopped it, not "from outside"', async () => {
    const { w, codedeploy, id, wait } = await detachedCanary();
    const real = codedeploy.stopDeployment.bind(codedeploy);
    codedeploy.stopDeployment = async () => {
      throw new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});
    };
    const first = await wait();
    expect(first.outcome).toBe('unsafe');
    // Before: "✖ UNSAFE: CodeDeploy deployment d-… ended InProgress and …" of one still running.
    expect(describeFollow(first)).toContain(
      `✖ UNSAFE: CodeDeploy deployment ${id} is still InProgress (not seen to end) and demo:live is`,
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    // The held request is carried out late: CodeDeploy Stopped, no rollback, the person's split kept.
    await real(id, false);
    codedeploy.stopDeployment = real;

    const status = renderStatus(
      await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }),
    );
    expect(status).not.toContain('STALLED');
    expect(status).toContain(
      `KEPT BY HAND: someone moved alias live by hand and lshift stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move`,
    );
    const again = describeFollow(await wait());
    // Before: "stopped from outside this run (a StopDeployment request: the console, …)".
    expect(again).not.toContain('from outside');
    expect(again).toContain('had stopped it without its rollback to keep a move by hand of alias live');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });

  it('CodeDeploy had ended on its own when the wait came to stop it: the mark is taken off again', async () => {
    const { w, codedeploy, id, wait } = await detachedCanary(65_000);
    const stop = codedeploy.stopDeployment.bind(codedeploy);
    codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
      await w.clock.advance(10_000);
      return stop(at, rollback);
    };
    const ended = await wait();
    expect(codedeploy.callsOf('stopDeployment').length).toBe(1);
    expect((await codedeploy.getDeployment(id)).status).toBe('Failed');
    expect(ended.status).toBe('Failed');
    expect(w.store.peek(FN, ALIAS)?.endReason).not.toBe(KEEP_MOVE_UNCONFIRMED_REASON);
  });
});
