import {
  DeploymentAlreadyCompletedException,
  DeploymentLimitExceededException,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import {
  alias,
  appSpec,
  deploy,
  deploymentInfo,
  MINUTE,
  setUpLambdaDeployment,
  useCodeDeploySandboxes,
} from './codedeploy-helpers.js';
import { errorOf } from './helpers.js';

const sandbox = useCodeDeploySandboxes();

describe('CodeDeploy deployments on the sandbox clock', () => {
  it('runs a canary: 10% on the target for five minutes, then all of it, each step a new alias revision', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const before = await alias(t);
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    t.advance(1000);
    expect((await deploymentInfo(t, id)).status).toBe('InProgress');
    const canary = await alias(t);
    expect(canary).toMatchObject({ version: '1', weights: { '2': 0.1 } });
    expect(canary.revisionId).not.toBe(before.revisionId);
    const target = await t.codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'fn' }),
    );
    expect(target.deploymentTarget?.lambdaTarget?.lambdaFunctionInfo).toEqual({
      functionName: 'fn',
      functionAlias: 'live',
      currentVersion: '1',
      targetVersion: '2',
      targetVersionWeight: 10,
    });
    t.advance(4 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.1 } });
    t.advance(MINUTE);
    const done = await deploymentInfo(t, id);
    expect(done).toMatchObject({
      status: 'Succeeded',
      deploymentOverview: { Succeeded: 1, Failed: 0, InProgress: 0 },
      computePlatform: 'Lambda',
      creator: 'user',
    });
    expect(done.completeTime!.getTime() - done.startTime!.getTime()).toBe(5 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
    const targets = await t.codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }));
    expect(targets.targetIds).toEqual(['fn']);
    // The alias-qualified form names the same target.
    const qualified = await t.codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'fn:live' }),
    );
    expect(qualified.deploymentTarget?.lambdaTarget?.targetId).toBe('fn');
  });

  it('runs a linear config one step a minute and lands on the target even when nobody polls', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const id = await deploy(t, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    t.advance(MINUTE + 1000);
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.2 } });
    t.advance(30 * MINUTE);
    expect(await deploymentInfo(t, id)).toMatchObject({ status: 'Succeeded' });
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
    // The traffic history has every step at its own simulated time, nine minutes apart overall.
    const history = t.handle.state.data.functions.fn!.history.filter((e) => e.kind === 'alias');
    const steps = history.slice(-10);
    expect(
      steps.map((e) => (e.kind === 'alias' ? (e.weights['2'] ?? (e.version === '2' ? 1 : 0)) : 0)),
    ).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(steps.at(-1)!.at - steps[0]!.at).toBe(9 * MINUTE);
  });

  it('StopDeployment with autoRollbackEnabled stops mid-canary and routes the alias back', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const id = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent10Minutes');
    t.advance(2 * MINUTE);
    expect(await alias(t)).toMatchObject({ weights: { '2': 0.1 } });
    const stopped = await t.codeDeploy.send(
      new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }),
    );
    expect(stopped.status).toBe('Succeeded');
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-/);
    expect(await deploymentInfo(t, rollbackId!)).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: id },
    });
    // Nothing moves afterwards, and a stopped deployment cannot be stopped again.
    t.advance(20 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
    const again = await errorOf(() => t.codeDeploy.send(new StopDeploymentCommand({ deploymentId: id })));
    expect(again).toBeInstanceOf(DeploymentAlreadyCompletedException);
  });

  it('StopDeployment without rollback leaves the alias split where it was', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const id = await deploy(t, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    t.advance(2 * MINUTE + 1000);
    await t.codeDeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    const info = await deploymentInfo(t, id);
    expect(info.status).toBe('Stopped');
    expect(info.rollbackInfo).toBeUndefined();
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.3 } });
  });

  it('allows one active deployment per group, and the next once it has finished', async () => {
    const t = await sandbox();
    await setUpLambdaDeployment(t);
    const first = await deploy(t, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    const refused = await errorOf(() => deploy(t, 'CodeDeployDefault.LambdaAllAtOnce'));
    expect(refused).toBeInstanceOf(DeploymentLimitExceededException);
    expect(refused.message).toBe(`The Deployment Group 'group' already has an active Deployment '${first}'`);
    t.advance(6 * MINUTE);
    const listed = await t.codeDeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        includeOnlyStatuses: ['Succeeded'],
      }),
    );
    expect(listed.deployments).toEqual([first]);
    const group = await t.codeDeploy.send(
      new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }),
    );
    expect(group.deploymentGroupInfo?.lastSuccessfulDeployment).toMatchObject({
      deploymentId: first,
      status: 'Succeeded',
    });
    // Version 2 is live now: deploy back to version 1 all at once.
    const second = await deploy(
      t,
      'CodeDeployDefault.LambdaAllAtOnce',
      appSpec({ current: '2', target: '1' }),
    );
    t.advance(1000);
    expect(await deploymentInfo(t, second)).toMatchObject({ status: 'Succeeded' });
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
    // createTimeRange: those created from a time on, whatever their status (lshift's lookup after
    // a lost CreateDeployment answer).
    const created = await deploymentInfo(t, second);
    const since = await t.codeDeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        createTimeRange: { start: created.createTime },
      }),
    );
    expect(since.deployments).toEqual([second]);
  });
});
