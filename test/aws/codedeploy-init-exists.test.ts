/**
 * `lshift codedeploy init` is idempotent, also when the application or group appears between its
 * read and its create: another init at the same moment, or its own CreateApplication whose answer
 * was lost (a reset) and that the SDK sent again, which CodeDeploy then answers
 * ApplicationAlreadyExistsException. Found by a hostile pass: that failed with AWS_ERROR, exit 1.
 * Over nock against the real SDK client and adapter (src/aws/codedeploy-adapter.ts).
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createCodeDeployClient } from '../../src/aws/clients.js';
import { CodeDeployAdapter } from '../../src/aws/codedeploy-adapter.js';
import { ensureCodeDeploySetup, type SetupRequest } from '../../src/engine/codedeploy-setup.js';
import {
  type CapturedRequest,
  capture,
  type ReplyTuple,
  testClientOptions,
  useNock,
} from '../helpers/aws-nock.js';

const ENDPOINT = 'https://codedeploy.us-east-1.amazonaws.com';
const ROLE = 'arn:aws:iam::123456789012:role/cd';

function call(operation: string) {
  return nock(ENDPOINT).post('/').matchHeader('x-amz-target', `CodeDeploy_20141006.${operation}`);
}

function json(body: unknown): ReplyTuple {
  return [200, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.1' }];
}

function error(type: string, message: string): ReplyTuple {
  return [400, JSON.stringify({ __type: type, message }), { 'Content-Type': 'application/x-amz-json-1.1' }];
}

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

async function adapter() {
  return new CodeDeployAdapter(await createCodeDeployClient(testClientOptions()));
}

const req = (overrides: Partial<SetupRequest> = {}): SetupRequest => ({
  application: 'lshift-my-fn',
  group: 'my-fn-live',
  serviceRoleArn: ROLE,
  alarms: ['my-fn-errors'],
  config: 'CodeDeployDefault.LambdaAllAtOnce',
  update: false,
  ...overrides,
});

/** GetDeploymentGroup's answer for a group as lshift makes it, with these alarms. */
function groupInfo(alarms: string[]) {
  return json({
    deploymentGroupInfo: {
      applicationName: 'lshift-my-fn',
      deploymentGroupName: 'my-fn-live',
      serviceRoleArn: ROLE,
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      alarmConfiguration: { enabled: alarms.length > 0, alarms: alarms.map((name) => ({ name })) },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    },
  });
}

const APP_MISSING = error('ApplicationDoesNotExistException', 'No application found for name: lshift-my-fn');

describe('codedeploy init when CodeDeploy answers AlreadyExists (nock, real SDK client)', () => {
  useNock();

  it('the adapter answers `exists` for each create’s AlreadyExists', async () => {
    call('CreateApplication').reply(
      ...error('ApplicationAlreadyExistsException', 'lshift-my-fn already exists'),
    );
    call('CreateDeploymentGroup').reply(
      ...error('DeploymentGroupAlreadyExistsException', 'my-fn-live already exists'),
    );
    call('CreateDeploymentConfig').reply(
      ...error('DeploymentConfigAlreadyExistsException', 'lshift.Canary15Percent7Minutes already exists'),
    );
    const cd = await adapter();
    expect(await cd.createApplication('lshift-my-fn')).toBe('exists');
    expect(
      await cd.createDeploymentGroup({
        application: 'lshift-my-fn',
        group: 'my-fn-live',
        serviceRoleArn: ROLE,
        config: 'CodeDeployDefault.LambdaAllAtOnce',
        alarms: [],
      }),
    ).toBe('exists');
    expect(
      await cd.createDeploymentConfig('lshift.Canary15Percent7Minutes', {
        type: 'TimeBasedCanary',
        percentage: 15,
        intervalMinutes: 7,
      }),
    ).toBe('exists');
  });

  it('its own CreateApplication, answer lost and sent again (ApplicationAlreadyExists): read back, the group created', async () => {
    const log: CapturedRequest[] = [];
    call('GetApplication').reply(...APP_MISSING);
    call('CreateApplication').replyWithError(reset());
    call('CreateApplication').reply(
      ...error('ApplicationAlreadyExistsException', 'lshift-my-fn already exists'),
    );
    call('GetApplication').reply(
      ...json({ application: { applicationName: 'lshift-my-fn', computePlatform: 'Lambda' } }),
    );
    call('CreateDeploymentGroup').reply(capture(log, () => json({ deploymentGroupId: 'g-1' })));
    const report = await ensureCodeDeploySetup(await adapter(), req());
    expect(report).toEqual({
      application: { name: 'lshift-my-fn', action: 'reused' },
      group: { name: 'my-fn-live', action: 'created' },
      drift: [],
    });
    expect(log).toHaveLength(1);
    expect(nock.isDone()).toBe(true);
  });

  it('another init made the group first (DeploymentGroupAlreadyExists): read back and compared, as one found before', async () => {
    call('GetApplication').reply(...APP_MISSING);
    call('CreateApplication').reply(...json({ applicationId: 'a-1' }));
    call('CreateDeploymentGroup').reply(
      ...error('DeploymentGroupAlreadyExistsException', 'my-fn-live already exists'),
    );
    call('GetDeploymentGroup').reply(...groupInfo(['other-alarm']));
    const report = await ensureCodeDeploySetup(await adapter(), req());
    // Left as the other made it; what differs is drift, changed only with --update.
    expect(report).toEqual({
      application: { name: 'lshift-my-fn', action: 'created' },
      group: { name: 'my-fn-live', action: 'reused' },
      drift: ['alarms are [other-alarm], not [my-fn-errors]'],
    });
    expect(nock.isDone()).toBe(true);
  });

  it('with --update, the group the other init made is changed to match', async () => {
    const log: CapturedRequest[] = [];
    call('GetApplication').reply(...APP_MISSING);
    call('CreateApplication').reply(
      ...error('ApplicationAlreadyExistsException', 'lshift-my-fn already exists'),
    );
    call('GetApplication').reply(
      ...json({ application: { applicationName: 'lshift-my-fn', computePlatform: 'Lambda' } }),
    );
    call('CreateDeploymentGroup').reply(
      ...error('DeploymentGroupAlreadyExistsException', 'my-fn-live already exists'),
    );
    call('GetDeploymentGroup').reply(...groupInfo([]));
    call('UpdateDeploymentGroup').reply(capture(log, () => json({})));
    const report = await ensureCodeDeploySetup(await adapter(), req({ update: true }));
    expect(report).toMatchObject({ application: { action: 'reused' }, group: { action: 'updated' } });
    expect(log[0]!.body).toMatchObject({ alarmConfiguration: { alarms: [{ name: 'my-fn-errors' }] } });
  });

  it('an application of that name made meanwhile for another platform: refused, no group created', async () => {
    call('GetApplication').reply(...APP_MISSING);
    call('CreateApplication').reply(
      ...error('ApplicationAlreadyExistsException', 'lshift-my-fn already exists'),
    );
    call('GetApplication').reply(
      ...json({ application: { applicationName: 'lshift-my-fn', computePlatform: 'ECS' } }),
    );
    await expect(ensureCodeDeploySetup(await adapter(), req())).rejects.toMatchObject({
      code: 'INVALID_FLAG',
      message: 'CodeDeploy application lshift-my-fn deploys to ECS, not Lambda.',
    });
    expect(nock.isDone()).toBe(true);
  });
});
