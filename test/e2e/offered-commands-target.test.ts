/**
 * Every command lshift offers acts on the account, region and endpoint the run used: the
 * engine's refusals and hints name theirs in backticks, and every text and JSON lshift prints
 * gives them the run's --profile/--region/--endpoint-url (src/cli/run-target.ts). Bare, a
 * command copied at 3 a.m. acted on the default account and region (h2's pass, session 65).
 */
import { LambdaClient, TagResourceCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

describe('an engine refusal offers its commands with the run target (built CLI)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
  });
  afterAll(async () => {
    await env?.stop();
  });

  // --endpoint-url names the sandbox as it would LocalStack: no LSHIFT_SANDBOX.
  const abort = (json: boolean) => [
    ...['abort', 'demo', '--alias', 'live', '--region', 'us-east-1', '--endpoint-url', env.handle.url],
    ...(json ? ['--json'] : []),
  ];
  const target = { LSHIFT_SANDBOX: undefined, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
  const run = (json: boolean) => env.cli(abort(json), { env: target });

  it('text and --json: the `lshift status` it offers carries --region and --endpoint-url', async () => {
    const flags = ` --region us-east-1 --endpoint-url ${env.handle.url}`;
    const text = await run(false);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toContain(`see \`lshift status demo --alias live${flags}\``);
    // A verb named in prose is not a command to run: no flags there.
    expect(text.stderr).toContain('`lshift abort` acts on a deployment while it runs');
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started with the same target, says the same.
    await expectBuiltCliRunsAlike(text, abort(false), { env: target });
    const json = await run(true);
    expect(json.code, json.stderr).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      code: 'NO_RUNNING_DEPLOYMENT',
      hint: expect.stringContaining(`\`lshift status demo --alias live${flags}\``),
    });
  });

  // Beside a kept sandbox (LSHIFT_SANDBOX) an `aws …` line named `--region` alone: the AWS CLI does
  // not read LSHIFT_SANDBOX, so it went to AWS (h1's pass, session 65). lshift's own lines name
  // only the region (lshift reads the variable); both halves of the untag name the sandbox.
  it('a kept sandbox: the aws lines name its address, the lshift lines only the region', async () => {
    const lambda = new LambdaClient({
      endpoint: env.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:demo';
    await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { 'lshift:live': 'garbage' } }));
    const run = await env.cli(['deploy', 'demo', '--strategy', 'AllAtOnce', '--region', 'us-east-1']);
    expect(run.code, run.stderr).toBe(1);
    const where = ` --region us-east-1 --endpoint-url ${env.handle.url}`;
    expect(run.stderr).toContain(`--query Configuration.FunctionArn --output text${where})`);
    expect(run.stderr).toContain(`--tag-keys lshift:live${where}\``);
    expect(run.stderr).toContain('`lshift status --region us-east-1`');
  });
});
