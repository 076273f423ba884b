import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { PublishVersionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import {
  alias,
  appSpec,
  type CodeDeploySandbox,
  deploy,
  deploymentInfo,
  MINUTE,
  SERVICE_ROLE,
  setUpLambdaDeployment,
  useCodeDeploySandboxes,
} from './codedeploy-helpers.js';

const sandbox = useCodeDeploySandboxes();

async function putAlarm(t: CodeDeploySandbox, name: string) {
  await t.cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'fn' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1_000_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
}

const alarmGroup = (
  events: ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM')[],
  alarms = ['fn-errors'],
) => ({
  alarmConfiguration: { enabled: true, alarms: alarms.map((name) => ({ name })) },
  autoRollbackConfiguration: { enabled: events.length > 0, events },
});

describe('CodeDeploy alarm monitoring on the sandbox', () => {
  it('stops and rolls back when a group alarm goes to ALARM mid-canary (DEPLOYMENT_STOP_ON_ALARM)', async () => {
    const t = await sandbox();
    await putAlarm(t, 'fn-errors');
    await setUpLambdaDeployment(t, alarmGroup(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']));
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent10Minutes');
    t.advance(2 * MINUTE);
    expect(await alias(t)).toMatchObject({ weights: { '2': 0.1 } });
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'fn-errors', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(info.errorInformation?.message).toContain('<fn-errors>');
    expect(info.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
  });

  it('stops without rolling back when the group does not roll back on alarms: the alias stays split', async () => {
    const t = await sandbox();
    await putAlarm(t, 'fn-errors');
    await setUpLambdaDeployment(t, alarmGroup(['DEPLOYMENT_FAILURE']));
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent10Minutes');
    t.advance(MINUTE);
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'fn-errors', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(info.rollbackInfo).toBeUndefined();
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.1 } });
  });

  it('stops a deployment at once when a group alarm is already in ALARM, before any traffic moves', async () => {
    const t = await sandbox();
    await putAlarm(t, 'fn-errors');
    await setUpLambdaDeployment(t, alarmGroup(['DEPLOYMENT_STOP_ON_ALARM']));
    const before = await alias(t);
    await t.cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'fn-errors', StateValue: 'ALARM', StateReason: 'test' }),
    );
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce');
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(await alias(t)).toEqual(before);
  });

  it('treats an alarm it cannot read as a reason to stop, unless the group ignores poll failures', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t, alarmGroup(['DEPLOYMENT_STOP_ON_ALARM'], ['missing-alarm']));
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce');
    t.advance(1000);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(info.errorInformation?.message).toContain('missing-alarm');
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
  });

  it("the demo's bad scenario fires its alarm and stops a Canary10Percent5Minutes deployment before it completes", async () => {
    // The default 1–3 minute metric delay, as `lshift deploy demo --sandbox` runs it.
    const t = await sandbox({ metricDelayMinutes: undefined, seed: 7 });
    await seedDemo(t.handle, { ...DEMO_SCENARIOS.bad });
    t.advance(5 * MINUTE);
    expect((await t.lambda.send(new PublishVersionCommand({ FunctionName: 'demo' }))).Version).toBe('2');
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    await t.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        serviceRoleArn: SERVICE_ROLE,
        ...alarmGroup(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'], ['demo-errors']),
      }),
    );
    const { deploymentId } = await t.codeDeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec({ fn: 'demo' }) } },
      }),
    );
    // Poll like a client: every 30 simulated seconds.
    let status: string | undefined;
    for (
      let i = 0;
      i < 24 && (status === undefined || status === 'Created' || status === 'InProgress');
      i++
    ) {
      t.advance(30_000);
      status = (await deploymentInfo(t, deploymentId!)).status;
    }
    const info = await deploymentInfo(t, deploymentId!);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(info.errorInformation?.message).toContain('<demo-errors>');
    expect(info.completeTime!.getTime() - info.startTime!.getTime()).toBeLessThan(5 * MINUTE);
    expect(await alias(t, 'demo')).toMatchObject({ version: '1', weights: {} });
  });

  it('the healthy demo completes with its alarm watched', async () => {
    const t = await sandbox({ metricDelayMinutes: undefined, seed: 7 });
    await seedDemo(t.handle, { ...DEMO_SCENARIOS.healthy });
    t.advance(5 * MINUTE);
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'demo' }));
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    await t.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        serviceRoleArn: SERVICE_ROLE,
        ...alarmGroup(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'], ['demo-errors']),
      }),
    );
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent5Minutes', appSpec({ fn: 'demo' }));
    t.advance(6 * MINUTE);
    expect(await deploymentInfo(t, id)).toMatchObject({ status: 'Succeeded' });
    expect(await alias(t, 'demo')).toMatchObject({ version: '2', weights: {} });
  });
});
