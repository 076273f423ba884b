import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  InvalidLifecycleEventHookExecutionIdException,
  InvalidLifecycleEventHookExecutionStatusException,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateFunctionCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo, validateScenario } from '../../src/sandbox/index.js';
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
import { errorOf, ROLE, zip } from './helpers.js';

const ROLLBACK_ON_FAILURE = {
  autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE' as const] },
};

const sandbox = useCodeDeploySandboxes((t) => setUpLambdaDeployment(t, ROLLBACK_ON_FAILURE));
/** Without the deployment set-up: a test that seeds its own. */
const bareSandbox = useCodeDeploySandboxes();

/** A SAM-style hook function: its sandbox behaviour says what it reports. */
async function hookFunction(t: CodeDeploySandbox, name: string, status: string, delaySeconds?: number) {
  await t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip(9) },
      Environment: {
        Variables: {
          LSHIFT_SANDBOX_HOOK_STATUS: status,
          ...(delaySeconds === undefined ? {} : { LSHIFT_SANDBOX_HOOK_DELAY_SECONDS: String(delaySeconds) }),
        },
      },
    }),
  );
}

async function invocations(t: CodeDeploySandbox) {
  const response = await fetch(`${t.handle.url}/__lshift/hook-invocations`);
  return (await response.json()) as {
    invocations: {
      functionName: string;
      event: string;
      payload: { DeploymentId: string; LifecycleEventHookExecutionId: string };
    }[];
  };
}

async function lifecycle(t: CodeDeploySandbox, id: string) {
  const out = await t.codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'fn' }));
  return out.deploymentTarget?.lambdaTarget?.lifecycleEvents?.map((e) => [e.lifecycleEventName, e.status]);
}

describe('CodeDeploy lifecycle hooks on the sandbox', () => {
  it('invokes the hooks before and after the shift and waits for what they report', async () => {
    const t = await sandbox();
    await hookFunction(t, 'pre', 'Succeeded', 30);
    await hookFunction(t, 'post', 'Succeeded', 30);
    const id = await deploy(
      t,
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      appSpec({ before: 'pre', after: 'post' }),
    );
    t.advance(10_000);
    // BeforeAllowTraffic runs: no traffic moves until the hook reports.
    expect(await lifecycle(t, id)).toEqual([
      ['BeforeAllowTraffic', 'InProgress'],
      ['AllowTraffic', 'Pending'],
      ['AfterAllowTraffic', 'Pending'],
    ]);
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
    const { invocations: calls } = await invocations(t);
    expect(calls).toEqual([
      expect.objectContaining({
        functionName: 'pre',
        event: 'BeforeAllowTraffic',
        payload: expect.objectContaining({ DeploymentId: id }),
      }),
    ]);
    t.advance(30_000);
    expect(await alias(t)).toMatchObject({ version: '1', weights: { '2': 0.1 } });
    t.advance(5 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
    expect((await deploymentInfo(t, id)).status).toBe('InProgress');
    t.advance(30_000);
    expect(await deploymentInfo(t, id)).toMatchObject({ status: 'Succeeded' });
    expect(await lifecycle(t, id)).toEqual([
      ['BeforeAllowTraffic', 'Succeeded'],
      ['AllowTraffic', 'Succeeded'],
      ['AfterAllowTraffic', 'Succeeded'],
    ]);
  });

  it('fails and rolls back when the AfterAllowTraffic hook reports Failed', async () => {
    const t = await sandbox();
    await hookFunction(t, 'post', 'Failed');
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', appSpec({ after: 'post' }));
    t.advance(1000);
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
    t.advance(10_000);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(info.errorInformation?.message).toContain('post');
    expect(info.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
    const target = await t.codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'fn' }),
    );
    expect(target.deploymentTarget?.lambdaTarget?.lifecycleEvents?.[2]).toMatchObject({
      lifecycleEventName: 'AfterAllowTraffic',
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'post' },
    });
  });

  it('takes the status from PutLifecycleEventHookExecutionStatus, once, from the execution it belongs to', async () => {
    const t = await sandbox();
    await hookFunction(t, 'pre', 'none');
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', appSpec({ before: 'pre' }));
    t.advance(1000);
    const executionId = (await invocations(t)).invocations[0]!.payload.LifecycleEventHookExecutionId;
    const put = (status: string, hookId = executionId) =>
      t.codeDeploy.send(
        new PutLifecycleEventHookExecutionStatusCommand({
          deploymentId: id,
          lifecycleEventHookExecutionId: hookId,
          status: status as 'Succeeded',
        }),
      );
    expect(await errorOf(() => put('InProgress'))).toBeInstanceOf(
      InvalidLifecycleEventHookExecutionStatusException,
    );
    expect(await errorOf(() => put('Succeeded', 'not-an-execution'))).toBeInstanceOf(
      InvalidLifecycleEventHookExecutionIdException,
    );
    t.advance(10 * MINUTE);
    expect((await deploymentInfo(t, id)).status).toBe('InProgress');
    expect((await put('Succeeded')).lifecycleEventHookExecutionId).toBe(executionId);
    expect(await errorOf(() => put('Failed'))).toBeInstanceOf(LifecycleEventAlreadyCompletedException);
    t.advance(1000);
    expect(await deploymentInfo(t, id)).toMatchObject({ status: 'Succeeded' });
    expect(await alias(t)).toMatchObject({ version: '2', weights: {} });
  });

  it('fails a hook that never reports after an hour of simulated time', async () => {
    const t = await sandbox();
    await hookFunction(t, 'pre', 'none');
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', appSpec({ before: 'pre' }));
    t.advance(59 * MINUTE);
    expect((await deploymentInfo(t, id)).status).toBe('InProgress');
    t.advance(2 * MINUTE);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(info.errorInformation?.message).toMatch(/within an hour/);
    expect(info.completeTime!.getTime() - info.startTime!.getTime()).toBe(60 * MINUTE);
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
  });

  it('fails at once when the hook function does not exist', async () => {
    const t = await sandbox();
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', appSpec({ before: 'no-such-hook' }));
    t.advance(1000);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(info.errorInformation?.message).toContain('no-such-hook does not exist');
    expect(await alias(t)).toMatchObject({ version: '1', weights: {} });
  });

  it("seeds the demo's SAM-style hook functions from a scenario's demo.hooks", async () => {
    const t = await bareSandbox();
    const scenario = validateScenario({
      demo: { hooks: { BeforeAllowTraffic: 'Succeeded', AfterAllowTraffic: 'Failed' } },
    });
    const demo = await seedDemo(t.handle, { ...DEMO_SCENARIOS.healthy, ...scenario.demo });
    expect(demo.hookFunctions).toEqual({
      BeforeAllowTraffic: 'demo-before-allow-traffic',
      AfterAllowTraffic: 'demo-after-allow-traffic',
    });
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'demo' }));
    await t.codeDeploy.send(
      new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
    );
    await t.codeDeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'group',
        serviceRoleArn: SERVICE_ROLE,
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
    );
    const spec = appSpec({
      fn: 'demo',
      before: demo.hookFunctions!.BeforeAllowTraffic,
      after: demo.hookFunctions!.AfterAllowTraffic,
    });
    const id = await deploy(t, 'CodeDeployDefault.LambdaAllAtOnce', spec);
    t.advance(MINUTE);
    const info = await deploymentInfo(t, id);
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(info.errorInformation?.message).toContain('demo-after-allow-traffic');
    expect(await alias(t, 'demo')).toMatchObject({ version: '1', weights: {} });
    expect(() => validateScenario({ demo: { hooks: { AfterAllowTraffic: 'Maybe' } } })).toThrow(
      /demo\.hooks\.AfterAllowTraffic` must be Succeeded, Failed, none/,
    );
  });
});
