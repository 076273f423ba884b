import { describe, expect, it } from 'vitest';
import { checkCodeDeployGroup } from '../../src/cli/codedeploy-engine.js';
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, FN, linear, request, writesOf } from './world.js';

const NAME = 'lshift.Linear20PercentEvery10Minutes';
// Made by hand under lshift's name: 20% every minute, not every 10 minutes (a hostile pass).
const BY_HAND = { type: 'TimeBasedLinear', percentage: 20, intervalMinutes: 1 } as const;

describe('a CodeDeploy config of lshift’s name that routes otherwise', () => {
  it('is refused before the deployment starts: no CreateDeployment, the alias untouched', async () => {
    const w = codeDeployWorld('linear:20%:10m');
    w.codedeploy.configs.set(NAME, BY_HAND);
    const result = await runDeploy(w.deps, request({ ...linear(20, 600) }));

    expect(result.status).not.toBe('promoted');
    expect(JSON.stringify(result)).toContain('CODEDEPLOY_CONFIG_MISMATCH');
    expect(w.codedeploy.callsOf('createDeployment')).toEqual([]);
    expect(w.codedeploy.callsOf('createDeploymentConfig')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
  });

  it('made between the read and the create (CreateDeploymentConfig: exists) is read again and refused', async () => {
    const w = codeDeployWorld('linear:20%:10m');
    const create = w.codedeploy.createDeploymentConfig.bind(w.codedeploy);
    w.codedeploy.createDeploymentConfig = async (name, routing) => {
      w.codedeploy.configs.set(name, BY_HAND);
      return create(name, routing);
    };
    const result = await runDeploy(w.deps, request({ ...linear(20, 600) }));

    expect(JSON.stringify(result)).toContain('CODEDEPLOY_CONFIG_MISMATCH');
    expect(w.codedeploy.callsOf('createDeployment')).toEqual([]);
  });

  it('one routing as its name says is reused as before', async () => {
    const w = codeDeployWorld('linear:20%:10m');
    w.codedeploy.configs.set(NAME, { type: 'TimeBasedLinear', percentage: 20, intervalMinutes: 10 });
    const result = await runDeploy(w.deps, request({ ...linear(20, 600) }));
    expect(result.status).toBe('promoted');
    expect(w.codedeploy.callsOf('createDeploymentConfig')).toEqual([]);
  });

  it('the deploy’s preflight (checkCodeDeployGroup, also --dry-run) refuses it with how to fix, exit 2', async () => {
    const w = codeDeployWorld('linear:20%:10m');
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    await codedeploy.createApplication('lshift-demo');
    await codedeploy.createDeploymentGroup({
      application: 'lshift-demo',
      group: 'demo-live',
      serviceRoleArn: 'arn:aws:iam::123456789012:role/cd',
      config: 'CodeDeployDefault.LambdaAllAtOnce',
      alarms: [],
    });
    codedeploy.configs.set(NAME, BY_HAND);
    const plan = {
      application: 'lshift-demo',
      group: 'demo-live',
      config: mapStrategyToCodeDeploy(parseStrategy('linear:20%:10m')),
      hooks: {},
    };
    const refused = await checkCodeDeployGroup({ codedeploy }, plan, FN).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CODEDEPLOY_CONFIG_MISMATCH',
      exitCode: 2,
      message: expect.stringContaining(
        'exists with another routing (linear: 20% more every 1 minute) than its name says and this strategy needs (linear: 20% more every 10 minutes)',
      ),
      hint: expect.stringContaining(`aws deploy delete-deployment-config --deployment-config-name ${NAME}`),
    });
  });
});
