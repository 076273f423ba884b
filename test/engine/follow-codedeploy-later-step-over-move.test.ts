/**
 * `lshift wait` stops AWS CodeDeploy WITHOUT its rollback to keep a person's move (37% by hand
 * under a linear 10% config), and the stop lands only after CodeDeploy's own next step wrote 20%
 * over that move. The deploy's run had this race (session 66, F4b: codedeploy-hand-move.ts
 * stepOverMove, `r=@ko`, exit 4); the wait said the move was kept, closed the record moved by
 * hand and exited 5, the alias at CodeDeploy's weight, not the person's (session 67's note).
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_STEP_OVER_REASON } from '../../src/engine/record-view.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function detachedLinear(holdStopMs: number) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
  );
  w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.37 },
  });
  const stop = codedeploy.stopDeployment.bind(codedeploy);
  // The stop held until CodeDeploy's next step has been written (or not, holdStopMs 0).
  codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
    if (holdStopMs > 0) {
      await w.clock.advance(holdStopMs);
      await codedeploy.getDeployment(at);
    }
    return stop(at, rollback);
  };
  const deps = followDepsOf(w, codedeploy);
  const result = await followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  return { w, codedeploy, id, result };
}

describe('lshift wait: a stop for a move by hand that lands after CodeDeploy’s own later step', () => {
  it('not "kept": unsafe (exit 4), the record kept open with r=@ko, the rollback offered', async () => {
    const { w, codedeploy, id, result } = await detachedLinear(60_000);

    expect((await codedeploy.getDeployment(id)).status).toBe('Stopped');
    const onTwo = w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2'];
    expect(onTwo === 0.2 || onTwo === 0.3).toBe(true);
    // Before: moved_by_hand (exit 5), "leaving the alias where it was put", the record closed.
    expect(result.outcome).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', endReason: KEEP_MOVE_STEP_OVER_REASON });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
    const text = describeFollow(result);
    expect(text).toContain(
      '✖ UNSAFE: CodeDeploy deployment d-FAKE1 ended Stopped and demo:live is version 1',
    );
    expect(text).not.toContain('leaving the alias where it was put');
    expect(text).toMatch(
      /CodeDeploy's own later step had given version 2 (20|30)% over the move before the stop landed: the move was not kept/,
    );
    expect(text).toContain('lshift rollback demo --alias live');
    expect(text).not.toContain('stop-deployment');
  });

  it('the stop lands before CodeDeploy’s next step: the move kept, exit 5, the record closed by hand (as before)', async () => {
    const { w, result } = await detachedLinear(0);
    expect(result.outcome).toBe('moved_by_hand');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeDefined();
  });
});
