/**
 * A deploy held at 10% (a 10-minute step), a person's `lshift rollback --to 2` (2: that deploy's
 * own new version) SIGKILLed right after its claim, then `lshift check`. The runner said
 * "following it until alias live is all on version 2"; its end now says that rollback was sending
 * the traffic to version 2 and that its fix finishes on the stable version 1, and the check says it
 * finishes it on version 1, not 2 (where the traffic goes is unchanged: version 1).
 * engine twins: test/engine/follow-rollback-to-finished-on-stable.test.ts, check-finish-rollback-to.test.ts.
 *
 * The order is the sandbox's, never a race's: the rollback's UpdateAlias (SDK app id ROLLBACK, whose
 * requests alone the gate holds) is held, so once its claim is written it waits at its alias
 * write — killed there. The deploy's step lasts 3 real minutes at 10×, far longer than any of it.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { waitUntil } from '../helpers/wait-until.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The rollback's SDK app id (AWS_SDK_UA_APP_ID, sent in its User-Agent): what the gate holds. */
const ROLLBACK = 'rollback-under-test';

describe('lshift rollback --to <the new version> killed after its claim, beside a live deploy (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('the runner exits 4 naming version 2 and the fix’s version 1; the check finishes on version 1 and says so', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 10 });
    await control(env, 'hold', { only: ['UpdateAlias'], client: ROLLBACK });
    const deploy = env.cli(['deploy', 'demo', '--strategy', 'linear:10%:30m', '--no-analysis', '--json'], {
      timeoutMs: 150_000,
    });
    const sandbox = env;
    await waitUntil(
      async () => ((await sandbox.status()).additionalWeights['2'] ?? 0) > 0,
      'the deploy’s 10% write',
      50,
    );

    let child: ChildProcess | undefined;
    const rollback = env.cli(['rollback', 'demo', '--alias', 'live', '--to', '2'], {
      env: { AWS_SDK_UA_APP_ID: ROLLBACK },
      onSpawn: (c) => {
        child = c;
      },
    });
    await untilHeld(env);
    child?.kill('SIGKILL');
    const killed = await rollback;
    expect(killed.signal ?? killed.code, killed.stderr).toBe('SIGKILL');
    await control(env, 'release', { drop: true });

    const run = await deploy;
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('following it until alias live is all on version 2');
    const result = JSON.parse(run.stdout);
    expectValidResultOf('deploy', result);
    expect(result).toMatchObject({
      status: 'unsafe',
      cause: { code: 'ROLLBACK_ABANDONED', data: { claimedTo: '2' } },
    });
    expect(result.reason).toMatch(
      /^the `lshift rollback demo --alias live --to 2` of rollback:\S+ that claimed this deployment at step 1 \(10%\) stopped before it put all traffic on version 2 /,
    );
    expect(result.reason).toContain(
      '; `lshift rollback demo --alias live` finishes it on the stable version 1, not on version 2 (`lshift rollback demo --alias live --to 2` again sends it there)',
    );

    const check = await env.cli(['check', '--alarm', 'demo-errors']);
    expect(check.code, check.stdout + check.stderr).toBe(3);
    expect(check.stdout).toMatch(
      /finishing the rollback of deployment d-\S+ that rollback:\S+ started \(its process \d+ no longer runs on this machine\) on its stable version 1, not on version 2, where `lshift rollback --to 2` was sending it: all traffic is on version 1/,
    );
    expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
