/**
 * `deploy --engine codedeploy` whose deployment group is deleted while lshift holds a step
 * (DeleteDeploymentGroup forgets the group's deployments: GetDeployment answers
 * DeploymentDoesNotExistException). It read as "health could not be read (3/3)", a rollback for
 * unreadable health (found by a hostile pass over CodeDeploy). Nothing drives the alias any more:
 * said so at the first poll, and the alias written back by lshift itself.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

describe('the CodeDeploy group deleted while a step is held', () => {
  it('ends at the next poll saying CodeDeploy no longer knows the deployment, the alias back on version 1', async () => {
    const w = codeDeployWorld();
    w.clock.at(w.start + 150_000, () => w.codedeploy.deleteGroup('lshift-demo', 'demo-live'));
    const result = await runDeploy(w.deps, request(canary(10, 600)));

    expect(result.status).toBe('rolled_back');
    const reason = describeReason(result);
    expect(reason).toContain('AWS CodeDeploy no longer knows deployment d-FAKE1');
    expect(reason).not.toContain('could not be read');
    expect(w.clock.now() - w.start).toBeLessThan(150_000 + 120_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
