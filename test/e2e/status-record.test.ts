import { LambdaClient, TagResourceCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift status` of a split alias whose deployment record cannot be used (edited by hand,
 * another tool's tag): nobody can say who drives the split, and no lshift runner will finish it
 * (one whose record changed underneath stops). That is exit 4, "a human must look", as a split
 * alias recorded promoted is; status exited 0, which a script takes for "all is well".
 */
function lambdaOf(sandbox: SandboxEnv): LambdaClient {
  return new LambdaClient({
    endpoint: sandbox.handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}

/** demo:live split 90/10 between versions 1 and 2. */
async function splitDemo(lambda: LambdaClient): Promise<void> {
  await lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'demo',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
    }),
  );
}

describe('lshift status: a split alias with an unusable record (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo';

  async function prepare(split: boolean, tag = 'garbage'): Promise<SandboxEnv> {
    const sandbox = await startSandboxEnv({ inProcess: runCliInProcess });
    expect(await publishDemo(sandbox.handle)).toBe('2');
    const lambda = lambdaOf(sandbox);
    if (split) await splitDemo(lambda);
    await lambda.send(new TagResourceCommand({ Resource: ARN, Tags: { 'lshift:live': tag } }));
    lambda.destroy();
    return sandbox;
  }

  it.each([
    { split: true, exit: 4 },
    { split: false, exit: 0 },
  ])('split: $split → exit $exit, the record error shown', async ({ split, exit }) => {
    env = await prepare(split);
    const text = await env.cli(['status', 'demo']);
    expect(text.code, text.stderr).toBe(exit);
    expect(text.stdout).toContain('deployment record not usable: RECORD_CORRUPT');
    if (split)
      expect(text.stderr).toContain(
        'Put all traffic on its primary version 1 with `lshift rollback demo --alias live --to 1`',
      );
    else expect(text.stderr).toBe('');
    const json = await env.cli(['status', 'demo', '--json']);
    expect(json.code, json.stderr).toBe(exit);
    expect(JSON.parse(json.stdout)).toMatchObject({
      split,
      recordError: expect.stringContaining('RECORD_CORRUPT'),
    });
  });

  // A newer lshift's record (`v2 …`): that lshift may be running the shift now, and the bare
  // `--to` rollback this advised would undo a live deployment. Worded as `lshift check` words it.
  it('a split alias with a newer lshift’s record: exit 4, use that lshift; the `--to` rollback only if nothing is in progress', async () => {
    env = await prepare(true, 'v2 id=d-abc123');
    const text = await env.cli(['status', 'demo']);
    expect(text.code, text.stderr).toBe(4);
    expect(text.stdout).toContain('deployment record not usable: RECORD_CORRUPT');
    expect(text.stderr).toContain(
      'its deployment record was written by a newer lshift, which may still be running that deployment',
    );
    expect(text.stderr).toContain('Run `lshift status` with that newer lshift (upgrade this one)');
    expect(text.stderr).toContain(
      'only if no deployment is in progress, put all traffic on its primary version 1 with `lshift rollback demo --alias live --to 1`',
    );
    expect(text.stderr).not.toContain('nothing will finish or undo this shift');
    const json = await env.cli(['status', 'demo', '--json']);
    expect(json.code, json.stderr).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ split: true, recordNewer: true });
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(text, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
  });

  // Found by a hostile pass: a record that could not be read (ListTags failing, or no permission)
  // was "cannot be used: nothing will finish or undo this shift" with a rollback to run, exit 4 —
  // and the rollback killed a live, healthy deployment.
  it('a split alias whose record cannot be read (ListTags failing): exit 1, read again — not a rollback to run', async () => {
    env = await prepare(true);
    await env.cli(['rollback', 'demo', '--to', '1']).then((r) => expect(r.code, r.stderr).toBe(0));
    const lambda = lambdaOf(env);
    await splitDemo(lambda);
    lambda.destroy();
    env.handle.state.addFaults([{ type: 'api', kind: '5xx', operations: ['ListTags'], rate: 1 }]);
    const text = await env.cli(['status', 'demo']);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain('deployment record could not be read:');
    expect(text.stderr).toContain('its deployment record could not be read: a deployment may be running it');
    expect(text.stderr).not.toContain('lshift rollback');
    const json = await env.cli(['status', 'demo', '--json']);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ split: true, recordUnreadable: true });
  });
});
