/**
 * A deploy's run (`--engine codedeploy`) finds a person's move (37% by hand under a linear 10%
 * config) and its stop without rollback cannot be sent (StopDeployment held until the SDK gave up)
 * while CodeDeploy's own next step writes over the move. It offered only `aws deploy
 * stop-deployment --no-auto-rollback-enabled`, which would freeze CodeDeploy's split, nobody's
 * choice: `lshift wait`'s F7 of h4's pass (session 67), in the deploy's run (found by h3, s68).
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

async function failedStop(holdStopMs: number) {
  const w = codeDeployWorld('Linear10PercentEvery1Minute');
  w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.37 },
  });
  w.codedeploy.stopDeployment = async (at: string) => {
    if (holdStopMs > 0) {
      await w.clock.advance(holdStopMs);
      await w.codedeploy.getDeployment(at);
    }
    throw new OperationError('NETWORK_ERROR', 'no answer to codedeploy:StopDeployment', {});
  };
  const result = await runDeploy(w.deps, request(canary(10, 60)));
  return { w, result };
}

describe('deploy --engine codedeploy: a stop without rollback not sent while CodeDeploy’s later step wrote over the move', () => {
  it('says the move is gone and offers lshift rollback (its stop with rollback without lshift), exit 4', async () => {
    const { w, result } = await failedStop(60_000);
    const onTwo = w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2'];
    expect(onTwo === 0.2 || onTwo === 0.3).toBe(true);
    expect(result.status).toBe('unsafe');
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.fixCommand).toBe(
      'aws deploy stop-deployment --deployment-id d-FAKE1 --auto-rollback-enabled',
    );
    const text = renderDeployResult(withReason(result));
    expect(text).toMatch(
      /a read after it found CodeDeploy's own later step had already given version 2 (20|30)% over the move: the move is gone/,
    );
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    expect(text).not.toContain('--no-auto-rollback-enabled');
  });

  it('the alias still the person’s: the stop without rollback is still the fix (it keeps the move)', async () => {
    const { result } = await failedStop(0);
    expect(result.status).toBe('unsafe');
    expect(result.fixCommand).toBe(
      'aws deploy stop-deployment --deployment-id d-FAKE1 --no-auto-rollback-enabled',
    );
    expect(result.rollbackCommand).toBeUndefined();
  });
});
