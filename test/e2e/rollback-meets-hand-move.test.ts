import {
  LambdaClient,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person's `lshift rollback` of a deployment whose runner died (its record `shifting` at 20%,
 * its heartbeat stale) meets the alias moved by hand to version 3 while its write is held: it
 * leaves the alias there (exit 5) and closes the record as moved by hand. It put its claim back,
 * the record said `shifting`, and `lshift status` / `lshift check` offered a `deploy --resume`
 * over the move (session 61, F4). engine twin: test/engine/rollback-hand-close.test.ts.
 *
 * The order is the sandbox's, never a race's: the rollback runs as SDK app id ROLLER, whose
 * UpdateAlias alone the gate holds; the move lands while it is held, then the write is let go.
 */
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo';
const ROLLER = 'rollback-under-test';

describe('lshift rollback meets an alias moved by hand (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('exit 5, the alias left on version 3, the record closed moved by hand; status and check leave it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, speed: 10 });
    const lambda = new LambdaClient({
      endpoint: env.handle.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    // Versions 2 and 3; a dead runner's deployment 1 → 2 at 20%.
    expect((await env.cli(['publish', 'demo'])).code).toBe(0);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'demo', Description: 'three' }));
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
    await move('3', {});
    await control(env, 'release', {});
    lambda.destroy();

    const run = await rollback;
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(run.stdout).toContain('  Alias now: version 3 (100%)');
    expect(run.stdout).toContain(
      'Deployment d-dead01 is closed as rolled-back (moved by hand to version 3); `lshift check` leaves it alone.',
    );
    expect(await env.status()).toMatchObject({
      functionVersion: '3',
      additionalWeights: {},
      record: { phase: 'rolled-back' },
    });

    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stderr).toBe(0);
    // The close keeps why it was rolling back (y=ROLLBACK_REQUESTED) since session 69: it said
    // "lshift ran no rollback" of a rollback a person had asked for (rollback-whole-move-cause.test.ts).
    expect(status.stdout).toContain('moved by hand (to version 3; lshift had decided to roll it back)');
    expect(status.stdout).toContain(
      'lshift decided to roll it back: a person asked for its rollback (`lshift rollback`)',
    );
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(status, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    expect(status.stdout).not.toContain('--resume');
    const check = await env.cli(['check', 'demo', '--alarm', 'demo-errors']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('--resume');
    expect(check.stdout).toContain('SKIPPED');
    expect((await env.status()).functionVersion).toBe('3');
  }, 180_000);
});
