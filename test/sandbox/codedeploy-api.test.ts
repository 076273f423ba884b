import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlarmsLimitExceededException,
  ApplicationAlreadyExistsException,
  ApplicationDoesNotExistException,
  BatchGetDeploymentsCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentDoesNotExistException,
  DeploymentGroupAlreadyExistsException,
  DeploymentGroupDoesNotExistException,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  InvalidComputePlatformException,
  InvalidDeploymentIdException,
  InvalidDeploymentStyleException,
  InvalidRevisionException,
  InvalidRoleException,
  InvalidTrafficRoutingConfigurationException,
  RoleRequiredException,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import {
  alias,
  appSpec,
  deploy,
  deploymentInfo,
  MINUTE,
  SERVICE_ROLE,
  setUpLambdaDeployment,
  startCodeDeploySandbox,
  useCodeDeploySandboxes,
} from './codedeploy-helpers.js';
import { errorOf } from './helpers.js';

const sandbox = useCodeDeploySandboxes();

const group = (extra: Record<string, unknown> = {}) =>
  new CreateDeploymentGroupCommand({
    applicationName: 'app',
    deploymentGroupName: 'group',
    serviceRoleArn: SERVICE_ROLE,
    ...extra,
  });

describe('CodeDeploy applications, groups and configs on the sandbox', () => {
  it('creates and reads back an application and a group as the API reference shapes them', async () => {
    const t = await sandbox();
    const created = await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    const app = await t.codeDeploy.send(new GetApplicationCommand({ applicationName: 'app' }));
    expect(app.application).toMatchObject({
      applicationId: created.applicationId,
      applicationName: 'app',
      computePlatform: 'Lambda',
    });
    expect(app.application?.createTime).toBeInstanceOf(Date);
    await t.codeDeploy.send(
      group({
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }, { name: 'b' }] },
        autoRollbackConfiguration: {
          enabled: true,
          events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      }),
    );
    const info = await t.codeDeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
    );
    expect(info.deploymentGroupInfo).toMatchObject({
      applicationName: 'app',
      deploymentGroupName: 'group',
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      serviceRoleArn: SERVICE_ROLE,
      computePlatform: 'Lambda',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      alarmConfiguration: {
        enabled: true,
        ignorePollAlarmFailure: false,
        alarms: [{ name: 'a' }, { name: 'b' }],
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
  });

  it('updates a group in place and renames it, keeping what was left out', async () => {
    const t = await sandbox();
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    await t.codeDeploy.send(group({ alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }] } }));
    const out = await t.codeDeploy.send(
      new UpdateDeploymentGroupCommand({
        applicationName: 'app',
        currentDeploymentGroupName: 'group',
        newDeploymentGroupName: 'renamed',
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
      }),
    );
    expect(out.hooksNotCleanedUp).toEqual([]);
    const info = await t.codeDeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'renamed' }),
    );
    expect(info.deploymentGroupInfo).toMatchObject({
      alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
    });
    const old = await errorOf(() =>
      t.codeDeploy.send(
        new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
      ),
    );
    expect(old).toBeInstanceOf(DeploymentGroupDoesNotExistException);
  });

  it('serves the predefined Lambda configs and creates custom ones that deployments follow', async () => {
    const t = await sandbox();
    const predefined = await t.codeDeploy.send(
      new GetDeploymentConfigCommand({
        deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
      }),
    );
    expect(predefined.deploymentConfigInfo).toMatchObject({
      computePlatform: 'Lambda',
      trafficRoutingConfig: {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 3 },
      },
    });
    await t.codeDeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'canary-25-2',
        computePlatform: 'Lambda',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 },
        },
      }),
    );
    const custom = await t.codeDeploy.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'canary-25-2' }),
    );
    expect(custom.deploymentConfigInfo?.trafficRoutingConfig).toEqual({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 },
    });
    const bad = await errorOf(() =>
      t.codeDeploy.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: 'bad',
          computePlatform: 'Lambda',
          trafficRoutingConfig: {
            type: 'TimeBasedCanary',
            timeBasedCanary: { canaryPercentage: 0.5, canaryInterval: 2 },
          },
        }),
      ),
    );
    expect(bad).toBeInstanceOf(InvalidTrafficRoutingConfigurationException);
    expect(bad.message).toContain('canaryPercentage');
    await setUpLambdaDeployment(t);
    const id = await deploy(t, 'canary-25-2');
    t.advance(MINUTE);
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.25 } });
    t.advance(MINUTE);
    expect(await deploymentInfo(t, id)).toMatchObject({
      status: 'Succeeded',
      deploymentConfigName: 'canary-25-2',
    });
  });
});

describe('CodeDeploy errors the SDK maps to its typed exceptions', () => {
  it('names what is missing', async () => {
    const t = await sandbox();
    const noApp = await errorOf(() =>
      t.codeDeploy.send(new GetApplicationCommand({ applicationName: 'nope' })),
    );
    expect(noApp).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(noApp.message).toContain('nope');
    expect(noApp.$metadata?.httpStatusCode).toBe(400);
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    expect(
      await errorOf(() =>
        t.codeDeploy.send(
          new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'g' }),
        ),
      ),
    ).toBeInstanceOf(DeploymentGroupDoesNotExistException);
    expect(
      await errorOf(() =>
        t.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.Nope' })),
      ),
    ).toBeInstanceOf(DeploymentConfigDoesNotExistException);
    expect(await errorOf(() => t.codeDeploy.send(group({ deploymentConfigName: 'nope' })))).toBeInstanceOf(
      DeploymentConfigDoesNotExistException,
    );
    expect(
      await errorOf(() => t.codeDeploy.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' }))),
    ).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(
      await errorOf(() => t.codeDeploy.send(new GetDeploymentCommand({ deploymentId: 'nope' }))),
    ).toBeInstanceOf(InvalidDeploymentIdException);
  });

  it('refuses duplicates, more than 10 alarms, bad roles and styles, and non-Lambda platforms', async () => {
    const t = await sandbox();
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    expect(
      await errorOf(() =>
        t.codeDeploy.send(
          new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
        ),
      ),
    ).toBeInstanceOf(ApplicationAlreadyExistsException);
    expect(
      await errorOf(() =>
        t.codeDeploy.send(
          new CreateApplicationCommand({ applicationName: 'ec2', computePlatform: 'Server' }),
        ),
      ),
    ).toBeInstanceOf(InvalidComputePlatformException);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `alarm-${i}` }));
    const tooMany = await errorOf(() =>
      t.codeDeploy.send(group({ alarmConfiguration: { enabled: true, alarms: eleven } })),
    );
    expect(tooMany).toBeInstanceOf(AlarmsLimitExceededException);
    expect(tooMany.message).toContain('(10)');
    expect(await errorOf(() => t.codeDeploy.send(group({ serviceRoleArn: undefined })))).toBeInstanceOf(
      RoleRequiredException,
    );
    expect(
      await errorOf(() => t.codeDeploy.send(group({ serviceRoleArn: 'CodeDeployRole' }))),
    ).toBeInstanceOf(InvalidRoleException);
    expect(
      await errorOf(() =>
        t.codeDeploy.send(
          group({
            deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
          }),
        ),
      ),
    ).toBeInstanceOf(InvalidDeploymentStyleException);
    // Nothing half-made: the refused groups do not exist.
    await t.codeDeploy.send(group());
    expect(await errorOf(() => t.codeDeploy.send(group()))).toBeInstanceOf(
      DeploymentGroupAlreadyExistsException,
    );
  });

  it('refuses a revision that is not an inline Lambda AppSpec, and fails a deployment whose alias is not on CurrentVersion', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const create = (revision: Record<string, unknown>) =>
      t.codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: 'app',
          deploymentGroupName: 'group',
          revision: revision as never,
        }),
      );
    expect(
      await errorOf(() => create({ revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } })),
    ).toBeInstanceOf(InvalidRevisionException);
    const noResource = await errorOf(() =>
      create({
        revisionType: 'AppSpecContent',
        appSpecContent: { content: '{"version":0.0,"Resources":[]}' },
      }),
    );
    expect(noResource).toBeInstanceOf(InvalidRevisionException);
    expect(noResource.message).toContain('exactly one Lambda function');
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', appSpec({ current: '2', target: '1' }));
    t.advance(1000);
    const batch = await t.codeDeploy.send(
      new BatchGetDeploymentsCommand({ deploymentIds: [id, 'd-AAAAAAAAA'] }),
    );
    expect(batch.deploymentsInfo?.map((d) => [d.deploymentId, d.status])).toEqual([[id, 'Failed']]);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'INVALID_LAMBDA_CONFIGURATION' },
    });
    expect(info.errorInformation?.message).toContain('CurrentVersion 2');
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
  });

  it('injects scenario API faults for service codedeploy in its own shape (ThrottlingException)', async () => {
    const t = await sandbox();
    t.handle.state.addFaults([
      { type: 'api', service: 'codedeploy', operations: ['GetApplication'], kind: 'throttle', rate: 1 },
    ]);
    const error = await errorOf(() =>
      t.codeDeploy.send(new GetApplicationCommand({ applicationName: 'app' })),
    );
    expect(error.name).toBe('ThrottlingException');
    expect(t.handle.state.operationCounts.get('GetApplication')).toBe(3);
  });

  it('keeps applications, groups and a running deployment in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-cd-'));
    const stateFile = join(dir, 'state.json');
    let t = await startCodeDeploySandbox({ stateFile });
    await setUpLambdaDeployment(t);
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    t.advance(1000);
    expect((await deploymentInfo(t, id)).status).toBe('InProgress');
    const restartAt = t.now() + 10 * MINUTE;
    await t.stop();
    t = await sandbox({ stateFile, now: () => restartAt });
    expect(await deploymentInfo(t, id)).toMatchObject({ status: 'Succeeded' });
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
    rmSync(dir, { recursive: true, force: true });
  });

  it('treats __proto__ and constructor as ordinary names', async () => {
    const t = await sandbox();
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(
        await errorOf(() => t.codeDeploy.send(new GetApplicationCommand({ applicationName: name }))),
      ).toBeInstanceOf(ApplicationDoesNotExistException);
      await t.codeDeploy.send(
        new CreateApplicationCommand({ applicationName: name, computePlatform: 'Lambda' }),
      );
      const app = await t.codeDeploy.send(new GetApplicationCommand({ applicationName: name }));
      expect(app.application?.applicationName).toBe(name);
    }
    expect(
      await errorOf(() =>
        t.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'constructor' })),
      ),
    ).toBeInstanceOf(DeploymentConfigDoesNotExistException);
  });

  it('answers an unknown operation and a broken body in the awsJson1_1 error shape', async () => {
    const t = await sandbox();
    const post = (target: string, body: string) =>
      fetch(t.handle.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `CodeDeploy_20141006.${target}`,
        },
        body,
      });
    const unknown = await post('ContinueDeployment', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(await (await post('constructor', '{}')).json()).toMatchObject({
      __type: 'UnknownOperationException',
    });
    const broken = await post('GetApplication', '{nope');
    expect(await broken.json()).toMatchObject({ __type: 'SerializationException' });
  });
});
