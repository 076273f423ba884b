/**
 * Which running CodeDeploy deployment drives a finished deployment's split alias: one whose
 * AppSpec moves that alias between the versions it is split over. Any deployment on the group
 * read as the driver of a split made by hand (another alias's deployment, one still in its
 * pre-traffic hook beside a hand-made split), and status and check said "left to it" of a split
 * no deployment would ever clear (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { findCodeDeployDriver } from '../../src/engine/codedeploy-split-driver.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

async function withDeployment(alias: string, current: string, target: string) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  if (alias !== ALIAS) w.lambda.addAlias(FN, alias, '2');
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    ...GROUP,
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    description: 'hotfix',
    appSpec: buildAppSpec({ functionName: FN, alias, currentVersion: current, targetVersion: target }),
  });
  return { codedeploy, id };
}

const split = (weights: Record<string, number>) => ({
  functionName: FN,
  alias: ALIAS,
  routing: { functionVersion: '2', additionalWeights: weights },
});

describe('findCodeDeployDriver', () => {
  it('a deployment moving this alias between the split’s versions drives it', async () => {
    const { codedeploy, id } = await withDeployment(ALIAS, '2', '3');
    await expect(findCodeDeployDriver(codedeploy, GROUP, split({ '3': 0.1 }))).resolves.toBe(
      `${id} (InProgress, "hotfix")`,
    );
  });

  it.each([
    ['another alias', 'other', '2', '3', { '3': 0.1 }],
    ['versions the split is not over (a split made by hand)', ALIAS, '2', '3', { '1': 0.3 }],
  ])('%s: not the driver', async (_name, alias, current, target, weights) => {
    const { codedeploy } = await withDeployment(alias, current, target);
    await expect(findCodeDeployDriver(codedeploy, GROUP, split(weights))).resolves.toBeUndefined();
  });
});
