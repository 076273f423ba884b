/**
 * The detached CodeDeploy canary several e2e tests start (`codedeploy init`, then `deploy
 * --engine codedeploy --detach`), and a CodeDeploy client on the sandbox to act on it the way
 * someone with the AWS CLI would.
 */
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { expect } from 'vitest';
import { CodeDeployAdapter } from '../../src/aws/codedeploy-adapter.js';
import { CODEDEPLOY_ALL_AT_ONCE, resolveCodeDeployNames } from '../../src/domain/codedeploy-plan.js';
import { ensureCodeDeploySetup } from '../../src/engine/codedeploy-setup.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { SandboxEnv } from './sandbox-env.js';

/** The service role the e2e tests give `codedeploy init`. */
export const CODEDEPLOY_ROLE = 'arn:aws:iam::123456789012:role/cd';

/**
 * What `lshift codedeploy init demo --role ROLE [--alarm A]…` makes (lshift-demo, group demo-live),
 * made in the test process by the same engine code (ensureCodeDeploySetup): set-up for a test that
 * is not about init, without a CLI start for it (~0.5 CPU-s each). init's own tests, its checks and
 * its words included, start the built CLI: codedeploy-init.test.ts, config-aws-target.test.ts.
 */
export async function initCodeDeployGroup(
  env: SandboxEnv,
  opts: { role?: string; alarms?: string[] } = {},
): Promise<void> {
  const client = sandboxCodeDeploy(env);
  try {
    const report = await ensureCodeDeploySetup(new CodeDeployAdapter(client), {
      ...resolveCodeDeployNames('demo', 'live', {}),
      serviceRoleArn: opts.role ?? CODEDEPLOY_ROLE,
      alarms: opts.alarms,
      config: CODEDEPLOY_ALL_AT_ONCE,
      update: false,
    });
    expect(report).toMatchObject({ application: { action: 'created' }, group: { action: 'created' } });
  } finally {
    client.destroy();
  }
}

/** Inits demo's group and starts the detached canary (no group alarms); its deployment id. */
export async function startDetachedCanary(env: SandboxEnv, strategy = 'canary:10%:90m'): Promise<string> {
  await initCodeDeployGroup(env);
  const run = await env.cli([
    'deploy',
    'demo',
    '--engine',
    'codedeploy',
    '--strategy',
    strategy,
    '--detach',
    '--json',
  ]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).codeDeploy.deploymentId as string;
}

/** A CodeDeploy client on the sandbox (any credentials; no retry waits). Destroy it after. */
export function sandboxCodeDeploy(env: SandboxEnv): CodeDeployClient {
  return new CodeDeployClient({
    endpoint: env.handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
  });
}

/**
 * Until CodeDeploy says deployment `id` ended (Succeeded, Failed or Stopped): a test about a wait
 * that starts after the end must not race the sandbox's clock on a loaded machine.
 */
export async function untilDeploymentEnded(env: SandboxEnv, id: string): Promise<void> {
  const client = sandboxCodeDeploy(env);
  try {
    await waitUntil(
      async () => {
        const { deploymentInfo } = await client.send(new GetDeploymentCommand({ deploymentId: id }));
        return ['Succeeded', 'Failed', 'Stopped'].includes(deploymentInfo?.status ?? '');
      },
      `CodeDeploy deployment ${id} ended`,
      100,
    );
  } finally {
    client.destroy();
  }
}
