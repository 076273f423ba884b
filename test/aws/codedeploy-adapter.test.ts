import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  type AwsClientOptions,
  createCodeDeployClient,
  createCodeDeployPort,
} from '../../src/aws/clients.js';
import { CodeDeployAdapter } from '../../src/aws/codedeploy-adapter.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { isForgottenByCodeDeploy } from '../../src/engine/codedeploy-status.js';
import {
  type CapturedRequest,
  capture,
  type ReplyTuple,
  testClientOptions,
  useNock,
} from '../helpers/aws-nock.js';

const CODEDEPLOY_ENDPOINT = 'https://codedeploy.us-east-1.amazonaws.com';

function call(operation: string, times = 1) {
  return nock(CODEDEPLOY_ENDPOINT)
    .post('/')
    .matchHeader('x-amz-target', `CodeDeploy_20141006.${operation}`)
    .times(times);
}

function json(body: unknown): ReplyTuple {
  return [200, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.1' }];
}

function error(type: string, message: string): ReplyTuple {
  return [400, JSON.stringify({ __type: type, message }), { 'Content-Type': 'application/x-amz-json-1.1' }];
}

async function adapter(o: AwsClientOptions = {}) {
  return new CodeDeployAdapter(await createCodeDeployClient(testClientOptions(o)));
}

const GROUP_SPEC = {
  application: 'lshift-my-fn',
  group: 'my-fn-live',
  serviceRoleArn: 'arn:aws:iam::123456789012:role/cd',
  config: 'CodeDeployDefault.LambdaAllAtOnce',
  alarms: ['my-fn-errors', 'my-fn-p99'],
};

describe('CodeDeployAdapter (nock against the real SDK client)', () => {
  useNock();

  it('CreateDeployment sends the AppSpec as JSON content, the group and the config', async () => {
    const log: CapturedRequest[] = [];
    call('CreateDeployment').reply(capture(log, () => json({ deploymentId: 'd-ABCDEFGH1' })));
    const appSpec = buildAppSpec({
      functionName: 'my-fn',
      alias: 'live',
      currentVersion: '6',
      targetVersion: '7',
      beforeAllowTraffic: 'pre-check',
      afterAllowTraffic: 'post-check:live',
    });
    const id = await (await adapter()).createDeployment({
      application: 'lshift-my-fn',
      group: 'my-fn-live',
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      appSpec,
      description: 'lshift',
    });
    expect(id).toBe('d-ABCDEFGH1');
    expect(log[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
    const body = log[0]!.body as Record<string, unknown> & {
      revision: { revisionType: string; appSpecContent: { content: string } };
    };
    expect(body).toMatchObject({
      applicationName: 'lshift-my-fn',
      deploymentGroupName: 'my-fn-live',
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      revision: { revisionType: 'AppSpecContent' },
    });
    expect(JSON.parse(body.revision.appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          myfn: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: 'my-fn', Alias: 'live', CurrentVersion: '6', TargetVersion: '7' },
          },
        },
      ],
      Hooks: [{ BeforeAllowTraffic: 'pre-check' }, { AfterAllowTraffic: 'post-check:live' }],
    });
  });

  it('CreateDeploymentGroup: blue/green with traffic control, the alarms, auto-rollback on failure and alarm', async () => {
    const log: CapturedRequest[] = [];
    call('CreateDeploymentGroup').reply(capture(log, () => json({ deploymentGroupId: 'g-1' })));
    await (await adapter()).createDeploymentGroup(GROUP_SPEC);
    expect(log[0]!.body).toEqual({
      applicationName: 'lshift-my-fn',
      deploymentGroupName: 'my-fn-live',
      serviceRoleArn: 'arn:aws:iam::123456789012:role/cd',
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      alarmConfiguration: {
        enabled: true,
        ignorePollAlarmFailure: false,
        alarms: [{ name: 'my-fn-errors' }, { name: 'my-fn-p99' }],
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    });
  });

  it('UpdateDeploymentGroup names the group as currentDeploymentGroupName', async () => {
    const log: CapturedRequest[] = [];
    call('UpdateDeploymentGroup').reply(capture(log, () => json({})));
    await (await adapter()).updateDeploymentGroup(GROUP_SPEC);
    expect(log[0]!.body).toMatchObject({
      applicationName: 'lshift-my-fn',
      currentDeploymentGroupName: 'my-fn-live',
    });
    expect(log[0]!.body).not.toHaveProperty('deploymentGroupName');
  });

  it('GetDeploymentGroup reads style, alarms and rollback events; a missing group is undefined', async () => {
    call('GetDeploymentGroup').reply(
      ...json({
        deploymentGroupInfo: {
          applicationName: 'ServerlessDeploymentApplication',
          deploymentGroupName: 'sam-group',
          serviceRoleArn: 'arn:role',
          deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
          deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
          alarmConfiguration: { enabled: true, alarms: [{ name: 'a1' }] },
          autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        },
      }),
    );
    call('GetDeploymentGroup').reply(
      ...error('DeploymentGroupDoesNotExistException', 'No Deployment Group found for name: nope'),
    );
    const cd = await adapter();
    await expect(cd.getDeploymentGroup('ServerlessDeploymentApplication', 'sam-group')).resolves.toEqual({
      application: 'ServerlessDeploymentApplication',
      group: 'sam-group',
      serviceRoleArn: 'arn:role',
      config: 'CodeDeployDefault.LambdaAllAtOnce',
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
      alarms: ['a1'],
      alarmsEnabled: true,
      autoRollbackEvents: ['DEPLOYMENT_FAILURE'],
    });
    await expect(cd.getDeploymentGroup('lshift-my-fn', 'nope')).resolves.toBeUndefined();
  });

  it('CreateApplication asks for the Lambda compute platform; GetApplication of a missing one is undefined', async () => {
    const log: CapturedRequest[] = [];
    call('CreateApplication').reply(capture(log, () => json({ applicationId: 'a-1' })));
    call('GetApplication').reply(...error('ApplicationDoesNotExistException', 'No application found'));
    const cd = await adapter();
    await cd.createApplication('lshift-my-fn');
    expect(log[0]!.body).toEqual({ applicationName: 'lshift-my-fn', computePlatform: 'Lambda' });
    await expect(cd.getApplication('nope')).resolves.toBeUndefined();
  });

  it('CreateDeploymentConfig: TimeBasedCanary and TimeBasedLinear in whole percent and minutes', async () => {
    const log: CapturedRequest[] = [];
    call('CreateDeploymentConfig', 2).reply(capture(log, () => json({ deploymentConfigId: 'c-1' })));
    const cd = await adapter();
    await cd.createDeploymentConfig('lshift.Canary15Percent7Minutes', {
      type: 'TimeBasedCanary',
      percentage: 15,
      intervalMinutes: 7,
    });
    await cd.createDeploymentConfig('lshift.Linear20PercentEvery2Minutes', {
      type: 'TimeBasedLinear',
      percentage: 20,
      intervalMinutes: 2,
    });
    expect(log.map((r) => r.body)).toEqual([
      {
        deploymentConfigName: 'lshift.Canary15Percent7Minutes',
        computePlatform: 'Lambda',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 15, canaryInterval: 7 },
        },
      },
      {
        deploymentConfigName: 'lshift.Linear20PercentEvery2Minutes',
        computePlatform: 'Lambda',
        trafficRoutingConfig: {
          type: 'TimeBasedLinear',
          timeBasedLinear: { linearPercentage: 20, linearInterval: 2 },
        },
      },
    ]);
  });

  it('GetDeploymentConfig reads the routing back; a missing config is undefined', async () => {
    call('GetDeploymentConfig').reply(
      ...json({
        deploymentConfigInfo: {
          deploymentConfigName: 'lshift.Canary15Percent7Minutes',
          computePlatform: 'Lambda',
          trafficRoutingConfig: {
            type: 'TimeBasedCanary',
            timeBasedCanary: { canaryPercentage: 15, canaryInterval: 7 },
          },
        },
      }),
    );
    call('GetDeploymentConfig').reply(...error('DeploymentConfigDoesNotExistException', 'not found'));
    const cd = await adapter();
    await expect(cd.getDeploymentConfig('lshift.Canary15Percent7Minutes')).resolves.toEqual({
      name: 'lshift.Canary15Percent7Minutes',
      routing: { type: 'TimeBasedCanary', percentage: 15, intervalMinutes: 7 },
    });
    await expect(cd.getDeploymentConfig('lshift.nope')).resolves.toBeUndefined();
  });

  it('GetDeployment maps status, error information and rollback info', async () => {
    call('GetDeployment').reply(
      ...json({
        deploymentInfo: {
          deploymentId: 'd-1',
          applicationName: 'app',
          deploymentGroupName: 'grp',
          deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
          status: 'Stopped',
          errorInformation: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated' },
          rollbackInfo: { rollbackDeploymentId: 'd-2', rollbackMessage: 'Rolled back by d-2' },
          createTime: 1_700_000_000,
          completeTime: 1_700_000_060,
        },
      }),
    );
    await expect((await adapter()).getDeployment('d-1')).resolves.toEqual({
      id: 'd-1',
      status: 'Stopped',
      application: 'app',
      group: 'grp',
      config: 'CodeDeployDefault.LambdaAllAtOnce',
      error: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated' },
      rollback: { deploymentId: 'd-2', message: 'Rolled back by d-2' },
      createdAt: 1_700_000_000_000,
      completedAt: 1_700_000_060_000,
    });
  });

  it('GetDeployment reads the description and, on a rollback deployment, the deployment it rolls back', async () => {
    call('GetDeployment').reply(
      ...json({
        deploymentInfo: {
          deploymentId: 'd-2',
          status: 'InProgress',
          description: 'lshift deploy of my-fn:live [lshift-run:abc]',
          rollbackInfo: { rollbackTriggeringDeploymentId: 'd-1' },
        },
      }),
    );
    await expect((await adapter()).getDeployment('d-2')).resolves.toMatchObject({
      description: 'lshift deploy of my-fn:live [lshift-run:abc]',
      rolledBackDeploymentId: 'd-1',
    });
  });

  it('ListDeployments asks for the unfinished statuses of the group and reads every page', async () => {
    const log: CapturedRequest[] = [];
    call('ListDeployments').reply(capture(log, () => json({ deployments: ['d-1', 'd-2'], nextToken: 'p2' })));
    call('ListDeployments').reply(capture(log, () => json({ deployments: ['d-3'] })));
    await expect((await adapter()).listActiveDeployments('app', 'grp')).resolves.toEqual([
      'd-1',
      'd-2',
      'd-3',
    ]);
    const statuses = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
    expect(log.map((r) => r.body)).toEqual([
      { applicationName: 'app', deploymentGroupName: 'grp', includeOnlyStatuses: statuses },
      { applicationName: 'app', deploymentGroupName: 'grp', includeOnlyStatuses: statuses, nextToken: 'p2' },
    ]);
  });

  it('ListDeployments since a time asks for deployments created from then on, whatever their status', async () => {
    const log: CapturedRequest[] = [];
    call('ListDeployments').reply(capture(log, () => json({ deployments: ['d-9'] })));
    await expect((await adapter()).listDeploymentsSince('app', 'grp', 1_700_000_000_000)).resolves.toEqual([
      'd-9',
    ]);
    expect(log.map((r) => r.body)).toEqual([
      { applicationName: 'app', deploymentGroupName: 'grp', createTimeRange: { start: 1_700_000_000 } },
    ]);
  });

  // CreateDeployment takes no idempotency token: a retried attempt whose answer was lost starts a
  // second deployment (a hostile pass saw three of one run). Other calls keep the SDK's retries.
  it('CreateDeployment is sent once, never retried by the SDK; GetDeployment still is', async () => {
    const port = await createCodeDeployPort(testClientOptions());
    const log: CapturedRequest[] = [];
    call('CreateDeployment', 3).reply(
      capture(log, () => [500, '{"__type":"InternalFailure"}', {}] as ReplyTuple),
    );
    await expect(
      port.createDeployment({ application: 'app', group: 'grp', config: 'c', appSpec: '{}' }),
    ).rejects.toMatchObject({ code: expect.any(String) });
    expect(log).toHaveLength(1);
    nock.cleanAll();
    call('GetDeployment').reply(500, '{"__type":"InternalFailure"}');
    call('GetDeployment').reply(
      200,
      JSON.stringify({ deploymentInfo: { deploymentId: 'd-1', status: 'InProgress' } }),
      {
        'Content-Type': 'application/x-amz-json-1.1',
      },
    );
    await expect(port.getDeployment('d-1')).resolves.toMatchObject({ status: 'InProgress' });
  });

  it('GetDeployment reads the Lambda target back from the AppSpec content', async () => {
    const content = buildAppSpec({
      functionName: 'my-fn',
      alias: 'live',
      currentVersion: '6',
      targetVersion: '7',
    });
    call('GetDeployment').reply(
      ...json({
        deploymentInfo: {
          deploymentId: 'd-1',
          status: 'InProgress',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
        },
      }),
    );
    await expect((await adapter()).getDeployment('d-1')).resolves.toMatchObject({
      target: { functionName: 'my-fn', alias: 'live', currentVersion: '6', targetVersion: '7' },
    });
  });

  it('ListDeploymentTargets then GetDeploymentTarget give the lifecycle events of the Lambda target', async () => {
    const log: CapturedRequest[] = [];
    call('ListDeploymentTargets').reply(capture(log, () => json({ targetIds: ['my-fn'] })));
    call('GetDeploymentTarget').reply(
      capture(log, () =>
        json({
          deploymentTarget: {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              lifecycleEvents: [
                {
                  lifecycleEventName: 'BeforeAllowTraffic',
                  status: 'Failed',
                  diagnostics: {
                    errorCode: 'ScriptFailed',
                    message: 'smoke test failed: DB_PASSWORD=hunter2b refused',
                  },
                },
                { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: 1_764_939_600.5 },
              ],
            },
          },
        }),
      ),
    );
    const cd = await adapter();
    await expect(cd.getLifecycleEvents('d-1')).resolves.toEqual([
      // What the hook function put there, masked as a lambda: hook's response is.
      { name: 'BeforeAllowTraffic', status: 'Failed', message: 'smoke test failed: DB_PASSWORD=*** refused' },
      // Its start (epoch seconds on the wire) is the schedule's origin for `lshift wait` (follow-schedule.ts).
      { name: 'AllowTraffic', status: 'InProgress', startedAt: 1_764_939_600_500 },
    ]);
    expect(log.map((r) => r.body)).toEqual([
      { deploymentId: 'd-1' },
      { deploymentId: 'd-1', targetId: 'my-fn' },
    ]);
  });

  it('a deployment without targets yet, or a target that is gone, has no lifecycle events', async () => {
    call('ListDeploymentTargets').reply(...json({ targetIds: [] }));
    call('ListDeploymentTargets').reply(...json({ targetIds: ['my-fn'] }));
    call('GetDeploymentTarget').reply(...error('DeploymentTargetDoesNotExistException', 'no target'));
    const cd = await adapter();
    await expect(cd.getLifecycleEvents('d-1')).resolves.toBeUndefined();
    await expect(cd.getLifecycleEvents('d-1')).resolves.toBeUndefined();
  });

  it('StopDeployment asks for auto-rollback', async () => {
    const log: CapturedRequest[] = [];
    call('StopDeployment').reply(capture(log, () => json({ status: 'Pending' })));
    await (await adapter()).stopDeployment('d-1', true);
    expect(log[0]!.body).toEqual({ deploymentId: 'd-1', autoRollbackEnabled: true });
  });

  it('StopDeployment of a deployment that had completed: already-ended, not an error', async () => {
    call('StopDeployment').reply(
      ...error(
        'DeploymentAlreadyCompletedException',
        'The deployment d-1 has already completed (status Succeeded).',
      ),
    );
    await expect((await adapter()).stopDeployment('d-1', true)).resolves.toBe('already-ended');
    call('StopDeployment').reply(200, { status: 'Pending' });
    await expect((await adapter()).stopDeployment('d-1', true)).resolves.toBe('stopping');
  });

  describe('error mapping', () => {
    const deploy = async () =>
      (await adapter()).createDeployment({ application: 'app', group: 'grp', config: 'c', appSpec: '{}' });

    it('DeploymentGroupDoesNotExist → CODEDEPLOY_GROUP_NOT_FOUND naming `lshift codedeploy init`', async () => {
      call('CreateDeployment').reply(...error('DeploymentGroupDoesNotExistException', 'No group'));
      await expect(deploy()).rejects.toMatchObject({
        code: 'CODEDEPLOY_GROUP_NOT_FOUND',
        exitCode: 1,
        hint: expect.stringContaining('lshift codedeploy init'),
      });
    });

    it('a deployment already running for the group → CODEDEPLOY_DEPLOYMENT_RUNNING (exit 5)', async () => {
      call('CreateDeployment').reply(
        ...error(
          'DeploymentLimitExceededException',
          "The Deployment Group 'grp' already has an active Deployment 'd-XYZ'",
        ),
      );
      await expect(deploy()).rejects.toMatchObject({
        code: 'CODEDEPLOY_DEPLOYMENT_RUNNING',
        exitCode: 5,
        message: expect.stringContaining('d-XYZ'),
      });
    });

    it('any other DeploymentLimitExceeded → CODEDEPLOY_LIMIT_EXCEEDED', async () => {
      call('CreateDeployment').reply(
        ...error('DeploymentLimitExceededException', 'The number of allowed deployments was exceeded'),
      );
      await expect(deploy()).rejects.toMatchObject({ code: 'CODEDEPLOY_LIMIT_EXCEEDED', exitCode: 1 });
    });

    it('the alarm limit → CODEDEPLOY_TOO_MANY_ALARMS (exit 2)', async () => {
      call('CreateDeploymentGroup').reply(
        ...error('AlarmsLimitExceededException', 'The maximum number of alarms'),
      );
      await expect((await adapter()).createDeploymentGroup(GROUP_SPEC)).rejects.toMatchObject({
        code: 'CODEDEPLOY_TOO_MANY_ALARMS',
        exitCode: 2,
      });
    });

    it('a missing deployment id → CODEDEPLOY_DEPLOYMENT_NOT_FOUND', async () => {
      call('GetDeployment').reply(...error('DeploymentDoesNotExistException', 'no such deployment'));
      await expect((await adapter()).getDeployment('d-nope')).rejects.toMatchObject({
        code: 'CODEDEPLOY_DEPLOYMENT_NOT_FOUND',
      });
    });

    /**
     * What AWS answers once the deployment's application or group was deleted: lshift check and
     * rollback then judge from the alias (isForgottenByCodeDeploy). AWS JSON 1.1 may put the
     * shape's namespace in `__type`; the SDK strips it.
     */
    it('DeploymentDoesNotExistException as AWS sends it → CODEDEPLOY_DEPLOYMENT_NOT_FOUND, a deployment CodeDeploy forgot', async () => {
      call('GetDeployment').reply(
        400,
        JSON.stringify({
          __type: 'com.amazonaws.codedeploy.v20141006#DeploymentDoesNotExistException',
          message: 'Deployment d-AB17919D2 does not exist',
        }),
        {
          'Content-Type': 'application/x-amz-json-1.1',
          'x-amzn-errortype':
            'DeploymentDoesNotExistException:http://internal.amazon.com/coral/com.amazonaws.codedeploy.v20141006/',
        },
      );
      const failure = await (await adapter()).getDeployment('d-AB17919D2').catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'CODEDEPLOY_DEPLOYMENT_NOT_FOUND', exitCode: 1 });
      expect((failure as Error).message).toContain('Deployment d-AB17919D2 does not exist');
      expect(isForgottenByCodeDeploy(failure)).toBe(true);
    });

    it('a malformed deployment id (InvalidDeploymentIdException) is a bad parameter, not a deployment CodeDeploy forgot', async () => {
      call('GetDeployment').reply(
        ...error('InvalidDeploymentIdException', 'Specified DeploymentId is not in the valid format: d-nope'),
      );
      const failure = await (await adapter()).getDeployment('d-nope').catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'INVALID_PARAMETER', exitCode: 1 });
      expect((failure as Error).message).toContain('not a valid deployment id');
      expect(isForgottenByCodeDeploy(failure)).toBe(false);
    });

    it('access denied names the codedeploy: action', async () => {
      call('StopDeployment').reply(...error('AccessDeniedException', 'not authorized'));
      await expect((await adapter()).stopDeployment('d-1', true)).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        message: expect.stringContaining('codedeploy:StopDeployment'),
      });
    });
  });
});
