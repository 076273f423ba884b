import {
  CreateDeploymentConfigCommand,
  DeleteDeploymentConfigCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentConfigInUseException,
  GetDeploymentConfigCommand,
  InvalidOperationException,
  StopDeploymentCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { deploy, setUpLambdaDeployment, useCodeDeploySandboxes } from './codedeploy-helpers.js';
import { errorOf } from './helpers.js';

/**
 * DeleteDeploymentConfig (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeleteDeploymentConfig.html):
 * CODEDEPLOY_CONFIG_MISMATCH's fix (`aws deploy delete-deployment-config`) could not be tried
 * against the sandbox, which answered "does not implement the CodeDeploy operation". AWS refuses a
 * predefined config (InvalidOperationException) and one in use (DeploymentConfigInUseException).
 */
const sandbox = useCodeDeploySandboxes();

const MADE_BY_HAND = {
  deploymentConfigName: 'lshift.Canary10Percent5Minutes',
  computePlatform: 'Lambda' as const,
  trafficRoutingConfig: {
    type: 'TimeBasedCanary' as const,
    timeBasedCanary: { canaryPercentage: 50, canaryInterval: 5 },
  },
};

describe('CodeDeploy DeleteDeploymentConfig on the sandbox', () => {
  it('deletes a custom config: GetDeploymentConfig then answers it does not exist, and it can be made again', async () => {
    const t = await sandbox();
    await t.codeDeploy.send(new CreateDeploymentConfigCommand(MADE_BY_HAND));
    const name = { deploymentConfigName: MADE_BY_HAND.deploymentConfigName };
    await t.codeDeploy.send(new DeleteDeploymentConfigCommand(name));
    expect(await errorOf(() => t.codeDeploy.send(new GetDeploymentConfigCommand(name)))).toBeInstanceOf(
      DeploymentConfigDoesNotExistException,
    );
    await t.codeDeploy.send(new CreateDeploymentConfigCommand(MADE_BY_HAND));
    // Deleting one that is not there changes nothing (the API lists no error for it).
    await t.codeDeploy.send(new DeleteDeploymentConfigCommand({ deploymentConfigName: 'never-made' }));
  });

  it('refuses a predefined config', async () => {
    const t = await sandbox();
    const error = await errorOf(() =>
      t.codeDeploy.send(
        new DeleteDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidOperationException);
    expect((error as Error).message).toContain('predefined configs cannot be deleted');
  });

  it('refuses one a running deployment uses, and one a group names its default; deletes it once neither does', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    await t.codeDeploy.send(new CreateDeploymentConfigCommand(MADE_BY_HAND));
    const name = { deploymentConfigName: MADE_BY_HAND.deploymentConfigName };
    const id = await deploy(t, MADE_BY_HAND.deploymentConfigName);
    const running = await errorOf(() => t.codeDeploy.send(new DeleteDeploymentConfigCommand(name)));
    expect(running).toBeInstanceOf(DeploymentConfigInUseException);
    expect((running as Error).message).toContain(`deployment ${id} is`);
    await t.codeDeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));

    await t.codeDeploy.send(
      new UpdateDeploymentGroupCommand({
        applicationName: 'app',
        currentDeploymentGroupName: 'group',
        deploymentConfigName: MADE_BY_HAND.deploymentConfigName,
      }),
    );
    const groupDefault = await errorOf(() => t.codeDeploy.send(new DeleteDeploymentConfigCommand(name)));
    expect(groupDefault).toBeInstanceOf(DeploymentConfigInUseException);
    expect((groupDefault as Error).message).toContain('deployment group group of application app');

    await t.codeDeploy.send(
      new UpdateDeploymentGroupCommand({
        applicationName: 'app',
        currentDeploymentGroupName: 'group',
        deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      }),
    );
    await t.codeDeploy.send(new DeleteDeploymentConfigCommand(name));
  });
});
