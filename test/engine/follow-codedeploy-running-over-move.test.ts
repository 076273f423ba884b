/**
 * `lshift wait` finds a person's move (37% by hand under a linear 10% config) and its stop without
 * rollback cannot be sent (StopDeployment held until the SDK gave up) while CodeDeploy's own next
 * step writes over the move. The wait offered only `aws deploy stop-deployment
 * --no-auto-rollback-enabled`, which would freeze CodeDeploy's split, nobody's choice (h4's pass,
 * session 67, F7). It says the move is gone and offers `lshift rollback`.
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

async function failedStop(holdStopMs: number) {
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
  // The stop held (CodeDeploy's next step written meanwhile, or not) and then given up.
  codedeploy.stopDeployment = async (at: string) => {
    if (holdStopMs > 0) {
      await w.clock.advance(holdStopMs);
      await codedeploy.getDeployment(at);
    }
    throw new OperationError('NETWORK_ERROR', 'no answer to codedeploy:StopDeployment', {});
  };
  const deps = followDepsOf(w, codedeploy);
  const result = await followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  const status = async () =>
    renderStatus(await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }));
  return { w, id, result, status };
}

describe('lshift wait: a stop without rollback not sent while CodeDeploy’s later step wrote over the move', () => {
  it('says the move is gone and offers lshift rollback, not the stop that freezes CodeDeploy’s split', async () => {
    const { w, result, status } = await failedStop(60_000);

    const onTwo = w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2'];
    expect(onTwo === 0.2 || onTwo === 0.3).toBe(true);
    expect(result.outcome).toBe('unsafe');
    expect(result.fixCommand).toBeUndefined();
    const text = describeFollow(result);
    expect(text).toMatch(
      /CodeDeploy's own later step had already given version 2 (20|30)% over the move: the move is gone/,
    );
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    expect(text).not.toContain('--no-auto-rollback-enabled');
    expect(text).not.toContain('leaving the alias where it was put');
    // The mark stays: the stop may still land, and status says lshift sent it.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    // status: it said "`aws deploy stop-deployment … --no-auto-rollback-enabled` (keeps the alias as
    // it is)" first, of CodeDeploy's split over the person's move (seen on the sandbox, session 68).
    const said = await status();
    expect(said).toMatch(
      /now, one of its own later steps: it may already have moved the alias over that move/,
    );
    expect(said).toContain(
      'Fix: `lshift rollback demo --alias live` (stops it with its rollback: all traffic back on version 1), or `aws deploy stop-deployment',
    );
  });

  it('the alias still the person’s: the stop without rollback is still the fix (it keeps the move)', async () => {
    const { id, result, status } = await failedStop(0);
    expect(result.outcome).toBe('unsafe');
    expect(await status()).toContain(
      `Fix: \`aws deploy stop-deployment --deployment-id ${id} --no-auto-rollback-enabled\` (keeps the alias as it is)`,
    );
    expect(describeFollow(result)).toContain(
      `Fix: aws deploy stop-deployment --deployment-id ${id} --no-auto-rollback-enabled`,
    );
  });
});
