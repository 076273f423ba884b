import {
  ApplicationDoesNotExistException,
  CreateDeploymentGroupCommand,
  DeleteApplicationCommand,
  DeleteDeploymentGroupCommand,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import {
  alias,
  deploy,
  deploymentInfo,
  MINUTE,
  SERVICE_ROLE,
  setUpLambdaDeployment,
  useCodeDeploySandboxes,
} from './codedeploy-helpers.js';
import { errorOf } from './helpers.js';

/**
 * Deleting a CodeDeploy application or deployment group removes its deployments' details too
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html): GetDeployment
 * then answers DeploymentDoesNotExistException, and a deployment that was running moves its alias
 * no further (lshift check must judge such a record from the alias alone).
 */
const sandbox = useCodeDeploySandboxes();

const LINEAR = 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute';

describe('CodeDeploy DeleteDeploymentGroup and DeleteApplication on the sandbox', () => {
  it('DeleteDeploymentGroup forgets the group and its deployments; a running one leaves the alias where it was', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const id = await deploy(t, LINEAR);
    t.advance(2 * MINUTE + 1000);
    const out = await t.codeDeploy.send(
      new DeleteDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
    );
    expect(out.hooksNotCleanedUp).toEqual([]);
    expect(await errorOf(() => deploymentInfo(t, id))).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(
      await errorOf(() =>
        t.codeDeploy.send(
          new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
        ),
      ),
    ).toBeInstanceOf(DeploymentGroupDoesNotExistException);
    // Nobody drives it any more: the alias stays split at 30% however long one waits.
    t.advance(30 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.3 } });
    // The application stays.
    const app = await t.codeDeploy.send(new GetApplicationCommand({ applicationName: 'app' }));
    expect(app.application?.applicationName).toBe('app');
  });

  it('DeleteApplication forgets the application, its groups and their deployments', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    await t.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'other',
        serviceRoleArn: SERVICE_ROLE,
      }),
    );
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce');
    t.advance(MINUTE);
    expect((await deploymentInfo(t, id)).status).toBe('Succeeded');
    await t.codeDeploy.send(new DeleteApplicationCommand({ applicationName: 'app' }));
    expect(await errorOf(() => deploymentInfo(t, id))).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(
      await errorOf(() => t.codeDeploy.send(new GetApplicationCommand({ applicationName: 'app' }))),
    ).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
  });

  it('deleting what does not exist succeeds and changes nothing (neither API lists a not-found error)', async () => {
    const t = await sandbox();
    await t.codeDeploy.send(new DeleteApplicationCommand({ applicationName: 'nope' }));
    const out = await t.codeDeploy.send(
      new DeleteDeploymentGroupCommand({ applicationName: 'nope', deploymentGroupName: 'nope' }),
    );
    expect(out.hooksNotCleanedUp).toEqual([]);
  });
});
