import { LambdaClient, TagResourceCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person's `lshift rollback` of a deployment whose runner died (its record `shifting` at 20%,
 * its heartbeat stale) meets the alias split by hand at 35% while its write is held: it leaves the
 * split, exits 4 saying so, and closes the record `rolled-back (weights changed by hand)` — it
 * closed it `paused` and exited 5, and `status` / `check` offered a `deploy --resume` forward over
 * the person's rollback request (session 67). Status and check then say STALLED (exit 4) offering
 * only the rollback, which, run again, puts all traffic back (exit 0).
 * engine twin: test/engine/rollback-person-split-close.test.ts.
 *
 * The order is the sandbox's, never a race's: the rollback runs as SDK app id ROLLER, whose
 * UpdateAlias alone the gate holds; the move lands while it is held, then the write is let go.
 */
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo';
const ROLLER = 'rollback-under-test';

describe('lshift rollback meets an alias split by hand (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('exit 4, the split left, the record closed rolled-back; status and check offer only the rollback', async () => {
    env = await startSandboxEnv({ speed: 10 });
    const lambda = new LambdaClient({
      endpoint: env.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    expect((await env.cli(['publish', 'demo'])).code).toBe(0);
    const move = (version: string, weights: Record<string, number>) =>
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'demo',
          Name: 'live',
          FunctionVersion: version,
          RoutingConfig: { AdditionalVersionWeights: weights },
        }),
      );
    await move('1', { '2': 0.2 });
    const now = env.handle.state.simNow();
    const record = encodeRecord({
      id: 'd-dead01',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:10%:1m',
      stepIndex: 1,
      percent: 20,
      phase: 'shifting',
      startedAt: now - 600_000,
      owner: 'ci@runner:7',
      heartbeatAt: now - 300_000,
      history: [],
    });
    await lambda.send(new TagResourceCommand({ Resource: ARN, Tags: { 'lshift:live': record } }));

    await control(env, 'hold', { only: ['UpdateAlias'], client: ROLLER });
    const rollback = env.cli(['rollback', 'demo'], {
      env: { AWS_SDK_UA_APP_ID: ROLLER },
      timeoutMs: 150_000,
    });
    await untilHeld(env);
    await move('1', { '2': 0.35 });
    await control(env, 'release', {});
    lambda.destroy();

    const run = await rollback;
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toContain(
      '✖ UNSAFE: demo:live was split by someone else during the rollback, and lshift left it split',
    );
    expect(run.stdout).toContain('  Alias now: version 1 (65%) + version 2 (35%)');
    expect(run.stdout).toContain('Deployment d-dead01 is closed as rolled-back (weights changed by hand)');
    expect(await env.status()).toMatchObject({ record: { phase: 'rolled-back' } });

    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stdout + status.stderr).toBe(4);
    expect(status.stdout).toContain(
      'STALLED: lshift decided to roll it back and the alias was split by someone else',
    );
    expect(status.stdout).toContain('a person asked for its rollback (`lshift rollback`)');
    expect(status.stdout).not.toMatch(/lshift deploy [^`]*--resume/);
    const check = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(check.code, check.stdout + check.stderr).toBe(4);
    expect(check.stdout + check.stderr).not.toMatch(/lshift deploy [^`]*--resume/);
    expect((await env.status()).additionalWeights).toEqual({ '2': 0.35 });

    const again = await env.cli(['rollback', 'demo']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  }, 180_000);
});
