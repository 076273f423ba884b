/** CodeDeploy sandbox tests: the real CodeDeploy client on a test sandbox, and a ready Lambda deployment set-up. */
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CreateDeploymentGroupCommandInput,
  GetDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { createLiveFunction, startTestSandbox, stopAfterEach, type TestSandbox, zip } from './helpers.js';

export const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/CodeDeployServiceRole';
export const MINUTE = 60_000;

export interface CodeDeploySandbox extends TestSandbox {
  codeDeploy: CodeDeployClient;
}

export async function startCodeDeploySandbox(opts: SandboxOptions = {}): Promise<CodeDeploySandbox> {
  const t = await startTestSandbox({ metricDelayMinutes: 1, ...opts });
  const codeDeploy = new CodeDeployClient({
    endpoint: t.handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
  });
  return {
    ...t,
    codeDeploy,
    stop: async () => {
      codeDeploy.destroy();
      await t.stop();
    },
  };
}

/** A file's `sandbox()`: starts a CodeDeploy sandbox (seeded by `prepare`), stopped after each test. */
export function useCodeDeploySandboxes(prepare?: (t: CodeDeploySandbox) => Promise<unknown>) {
  const running = stopAfterEach<CodeDeploySandbox>();
  return async (opts: SandboxOptions = {}): Promise<CodeDeploySandbox> => {
    const t = await startCodeDeploySandbox(opts);
    running.push(t);
    await prepare?.(t);
    return t;
  };
}

/** Function `fn` with version 1 behind `live` and version 2 published; an application `app` and group `group`. */
export async function setUpLambdaDeployment(
  t: CodeDeploySandbox,
  group: Partial<CreateDeploymentGroupCommandInput> = {},
  fn = 'fn',
): Promise<void> {
  await createLiveFunction(t, fn);
  await t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: zip(2) }));
  await waitForUpdate(t, fn);
  await t.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await t.codeDeploy.send(
    new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Lambda' }),
  );
  await t.codeDeploy.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'app',
      deploymentGroupName: 'group',
      serviceRoleArn: SERVICE_ROLE,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      ...group,
    }),
  );
}

export function appSpec(
  opts: { fn?: string; current?: string; target?: string; before?: string; after?: string } = {},
): string {
  const hooks = [
    ...(opts.before ? [{ BeforeAllowTraffic: opts.before }] : []),
    ...(opts.after ? [{ AfterAllowTraffic: opts.after }] : []),
  ];
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        myFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: opts.fn ?? 'fn',
            Alias: 'live',
            CurrentVersion: opts.current ?? '1',
            TargetVersion: opts.target ?? '2',
          },
        },
      },
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {}),
  });
}

export async function deploy(
  t: CodeDeploySandbox,
  config: string,
  spec = appSpec(),
  extra: {
    autoRollbackConfiguration?: {
      enabled: boolean;
      events: ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST')[];
    };
  } = {},
): Promise<string> {
  const out = await t.codeDeploy.send(
    new CreateDeploymentCommand({
      applicationName: 'app',
      deploymentGroupName: 'group',
      deploymentConfigName: config,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: spec } },
      ...extra,
    }),
  );
  return out.deploymentId!;
}

export async function deploymentInfo(t: CodeDeploySandbox, id: string) {
  return (await t.codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
}

export async function alias(t: CodeDeploySandbox, fn = 'fn') {
  const out = await t.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  return {
    version: out.FunctionVersion,
    weights: out.RoutingConfig?.AdditionalVersionWeights ?? {},
    revisionId: out.RevisionId,
  };
}

/** Reads the configuration until the update completes (the sandbox completes it after a few reads). */
export async function waitForUpdate(t: CodeDeploySandbox, fn: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    if (config.LastUpdateStatus !== 'InProgress') return;
  }
  throw new Error(`the update of ${fn} did not complete`);
}
