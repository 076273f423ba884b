/**
 * `lshift rollback` of a native record (or of an alias no record names) beside a deployment AWS
 * CodeDeploy runs on the function's group (codedeploy-beside.ts). Found by a hostile pass: the
 * rollback said "Rolled back … all traffic is on version 1", exit 0, and CodeDeploy split the alias
 * again at its next step.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeRollback } from '../../src/cli/describe-rollback.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { refusingBesideCodeDeploy } from '../../src/engine/codedeploy-beside.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

function rollBack(w: World, codedeploy: FakeCodeDeploy) {
  const traffic = refusingBesideCodeDeploy(createNativeTrafficDriver(w.lambda), codedeploy, GROUP);
  return rollbackDeployment(
    { ...w.deps, trafficFor: () => traffic },
    { functionName: FN, alias: ALIAS, reason: 'r' },
  );
}

describe('a native rollback beside a CodeDeploy deployment on the function’s group', () => {
  it('someone else’s deployment runs there: refused (CODEDEPLOY_GROUP_BUSY), the alias left as it is', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const hotfix = await codedeploy.createDeployment({
      ...GROUP,
      config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      description: 'hotfix',
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    const before = w.lambda.peekAlias(FN, ALIAS);
    const result = await rollBack(w, codedeploy);

    expect(result.status).toBe('conflict');
    // Not "changed underneath": the alias did not change; lshift refused to write beside it.
    expect(describeRollback(withReason(result))).toBe(
      `✖ Stopped: AWS CodeDeploy runs another deployment on demo:live's deployment group; lshift wrote nothing.\n  Reason: Another CodeDeploy deployment runs on deployment group demo-live of application lshift-demo: ${hotfix} (InProgress, "hotfix"); lshift did not write the alias beside it. Wait for it to end (\`aws deploy get-deployment --deployment-id ${hotfix}\`, or \`lshift wait ${hotfix}\`), then look at the alias and run lshift again.`,
    );
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(before);
  });

  // `lshift status` names only a deployment that moves the alias, and advised `lshift alias`
  // beside one moving another alias of the function, which this refused (found by a hostile pass).
  it('someone else’s deployment moves another alias of the function: the rollback goes ahead', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    w.lambda.addAlias(FN, 'beta', '1');
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    await codedeploy.createDeployment({
      ...GROUP,
      config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      description: 'beta hotfix',
      appSpec: buildAppSpec({ functionName: FN, alias: 'beta', currentVersion: '1', targetVersion: '2' }),
    });
    const result = await rollBack(w, codedeploy);

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('someone else’s deployment whose AppSpec cannot be read: refused, it may move this alias', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    codedeploy.startForeign({ ...GROUP, config: 'CodeDeployDefault.LambdaAllAtOnce', description: 'sam' });
    const result = await rollBack(w, codedeploy);

    expect(result.status).toBe('conflict');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it.each([
    ['no deployment runs there', undefined],
    [
      'the group cannot be read (no permission)',
      new OperationError('ACCESS_DENIED', 'no codedeploy:ListDeployments'),
    ],
  ])('%s: the rollback goes ahead', async (_name, listError) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 30);
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    if (listError) codedeploy.listError = listError;
    const result = await rollBack(w, codedeploy);

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
