import { LambdaClient, TagResourceCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift check` over a deployment record it cannot decode (edited by hand, or written in a newer
 * format by a newer lshift): it cannot judge the deployment, and never acts on it. Over a split
 * alias that is exit 4 with the split and the `--to` rollback, as for a record that does not add
 * up (and as `lshift status` exits); it was exit 1, naming neither. Over an alias on one version
 * it is exit 1 with the tag's own hint.
 */
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo';

describe('lshift check: a record it cannot decode (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function prepare(split: boolean, tag: string): Promise<SandboxEnv> {
    const sandbox = await startSandboxEnv({ inProcess: runCliInProcess });
    expect(await publishDemo(sandbox.handle)).toBe('2');
    const lambda = new LambdaClient({
      endpoint: sandbox.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    if (split)
      await lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'demo',
          Name: 'live',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
        }),
      );
    await lambda.send(new TagResourceCommand({ Resource: ARN, Tags: { 'lshift:live': tag } }));
    lambda.destroy();
    return sandbox;
  }

  it.each([
    { what: 'corrupt', tag: 'garbage', says: 'with its record unreadable nothing will finish or undo it' },
    {
      what: 'in a newer format',
      tag: 'v2 id=d-abc123',
      says: 'a newer lshift wrote the record and may still be running that deployment',
    },
  ])('$what, over a split alias: exit 4, the split and the `--to` rollback', async ({ tag, says }) => {
    env = await prepare(true, tag);
    const text = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout + text.stderr).toContain('Alias live is split (version 1 (90%) + version 2 (10%))');
    expect(text.stdout + text.stderr).toContain(says);
    expect(text.stdout + text.stderr).toContain('`lshift rollback demo --alias live --to 1`');
    const json = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--json']);
    expect(json.code, json.stderr).toBe(4);
    expect(JSON.parse(json.stdout).results).toEqual([
      expect.objectContaining({ functionName: 'demo', action: 'error', stalled: true }),
    ]);
    // Nothing acted on it: the alias is still split.
    expect(JSON.parse((await env.cli(['status', 'demo', '--json'])).stdout)).toMatchObject({ split: true });
    // The fix it names works without the record; the next check is then exit 1 (nothing split).
    const fix = await env.cli(['rollback', 'demo', '--alias', 'live', '--to', '1']);
    expect(fix.code, fix.stderr).toBe(0);
    const again = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(again.code, again.stderr).toBe(1);
  });

  it('corrupt, over an alias on one version: exit 1, how to clear the tag', async () => {
    env = await prepare(false, 'garbage');
    const json = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const [result] = JSON.parse(json.stdout).results;
    expect(result).toMatchObject({ functionName: 'demo', action: 'error' });
    expect(result.stalled).toBeUndefined();
    expect(result.reason).toContain('The tag was edited by hand or by another tool');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(json, ['check', 'demo', '--alarm', 'demo-errors', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
  });
});
