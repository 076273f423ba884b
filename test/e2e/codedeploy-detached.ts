/**
 * The detached CodeDeploy canary several e2e tests start (`codedeploy init`, then `deploy
 * --engine codedeploy --detach`), and a CodeDeploy client on the sandbox to act on it the way
 * someone with the AWS CLI would.
 */
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { expect } from 'vitest';
import { waitUntil } from '../helpers/wait-until.js';
import type { SandboxEnv } from './sandbox-env.js';

/** Inits demo's group and starts the detached canary (no group alarms); its deployment id. */
export async function startDetachedCanary(env: SandboxEnv, strategy = 'canary:10%:90m'): Promise<string> {
  const init = await env.cli(['codedeploy', 'init', 'demo', '--role', 'arn:aws:iam::123456789012:role/cd']);
  expect(init.code, init.stderr).toBe(0);
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
