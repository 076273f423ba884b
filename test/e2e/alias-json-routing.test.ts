import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Found by a hostile pass: `lshift alias demo live 2 --json` over a split alias said only
 * `"previousVersion":"1"`, while the text said `(was version 1 (90%) + version 2 (10%))`: the
 * routing the move cleared was missing from the JSON.
 */
describe('lshift alias --json: the routing the move cleared (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('over a split alias: previousRouting has the primary version and the weight it cleared', async () => {
    env = await startSandboxEnv({});
    const publish = await env.cli(['publish', 'demo']);
    expect(publish.code, publish.stderr).toBe(0);
    const lambda = new LambdaClient({
      endpoint: env.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'demo',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    lambda.destroy();
    const run = await env.cli(['alias', 'demo', 'live', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      previousVersion: '1',
      previousRouting: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      changed: true,
    });
    expectValidResultOf('alias', result);
    const again = JSON.parse((await env.cli(['alias', 'demo', 'live', '2', '--json'])).stdout);
    expect(again).toMatchObject({
      changed: false,
      previousRouting: { functionVersion: '2', additionalWeights: {} },
    });
    expectValidResultOf('alias', again);
  });
});
