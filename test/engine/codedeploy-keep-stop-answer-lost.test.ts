/**
 * lshift's stop WITHOUT rollback, for a person's move, whose answer was lost (a timeout after the
 * request went out), CodeDeploy then saying Stopped with no rollback named, and its own later step
 * over the move: the record got `r=@ko` ("lshift saw its stop end"), and `lshift alias` skipped its
 * rollback window at once. A lost answer does not say that this Stopped is lshift's stop as it was
 * sent: someone's stop WITH auto-rollback reads the same until CodeDeploy creates its rollback a
 * moment later, and would then undo the move (h3's s69 brief, item 3). The record keeps `r=@km`,
 * and the window holds, in `lshift wait`'s path and a deploy's run's.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, createWorld, deadRecord, FN, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

/** StopDeployment held a minute (CodeDeploy's next step lands over the move), taken, its answer lost. */
function loseStopAnswer(w: { clock: { advance(ms: number): Promise<void> } }, codedeploy: FakeCodeDeploy) {
  const real = codedeploy.stopDeployment.bind(codedeploy);
  codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
    await w.clock.advance(60_000);
    await codedeploy.getDeployment(at);
    await real(at, rollback);
    throw new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});
  };
}

async function moveTo1(w: ReturnType<typeof createWorld>, codedeploy: FakeCodeDeploy) {
  return moveAlias(
    { lambda: w.lambda, store: w.store, clock: w.clock, codedeploy },
    { functionName: FN, alias: ALIAS, version: '1' },
  ).catch((e: unknown) => e as { code: string; message: string });
}

describe('a stop without rollback whose answer was lost, CodeDeploy Stopped, its later step over the move', () => {
  it('lshift wait: the record keeps r=@km (not @ko), and lshift alias keeps its window', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
    );
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, SPLIT);
    loseStopAnswer(w, codedeploy);
    const result = await followCodeDeploy(followDepsOf(w, codedeploy), {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result.outcome).toBe('unsafe');
    expect((await codedeploy.getDeployment(id)).status).toBe('Stopped');
    // Before: KEEP_MOVE_STEP_OVER_REASON (r=@ko), and the move below went ahead at once.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    const moved = await moveTo1(w, codedeploy);
    expect(moved).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING' });
    expect((moved as { message: string }).message).toContain(
      "lshift's own stop of it, without its rollback, was not seen to end",
    );
    expect(w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2']).toBeGreaterThan(0);
  });

  it('a deploy’s run: the record keeps r=@km, and lshift alias keeps its window', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, SPLIT);
    loseStopAnswer(w, w.codedeploy);
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('unsafe');
    // It said "lshift stopped … without its rollback", as if the stop had been seen.
    expect(result.cause?.detail).toContain(
      "lshift's stop of AWS CodeDeploy deployment d-FAKE1 without its rollback got no answer, and CodeDeploy then said it Stopped (that stop, or someone else's: not known)",
    );
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    const moved = await moveTo1(w, w.codedeploy);
    expect(moved).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_RUNNING' });
  });
});
