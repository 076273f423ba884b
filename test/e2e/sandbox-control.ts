/** The sandbox's control endpoint (docs/sandbox.md), for e2e tests that hold a request in flight. */
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { waitUntil } from '../helpers/wait-until.js';
import type { SandboxEnv } from './sandbox-env.js';

export async function control(sandbox: SandboxEnv, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.handle.url}/__lshift/${path}`, {
    method: path === 'health' ? 'GET' : 'POST',
    ...(path === 'health' ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

/**
 * Resolves once `count` requests (default 1) wait at the sandbox's gate, not counting those whose
 * client has gone meanwhile (an SDK attempt that timed out: its retry is held in its place).
 */
export async function untilHeld(sandbox: SandboxEnv, count = 1): Promise<void> {
  await waitUntil(
    async () => {
      const { held, heldClientGone } = (await control(sandbox, 'health', undefined)) as {
        held: number;
        heldClientGone: number;
      };
      return held - heldClientGone >= count;
    },
    count === 1 ? 'a request held at the sandbox' : `${count} requests held at the sandbox`,
    50,
  );
}

/**
 * Moves alias live of demo as a person with the AWS CLI would (`aws lambda update-alias`): all on
 * `version`, or split with `weights` (`{ '2': 0.5 }`).
 */
export async function moveAliasByHand(
  sandbox: SandboxEnv,
  version: string,
  weights: Record<string, number> = {},
): Promise<void> {
  const lambda = new LambdaClient({
    endpoint: sandbox.handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  try {
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'demo',
        Name: 'live',
        FunctionVersion: version,
        RoutingConfig: { AdditionalVersionWeights: weights },
      }),
    );
  } finally {
    lambda.destroy();
  }
}
