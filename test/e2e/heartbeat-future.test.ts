/**
 * A deployment record whose heartbeat is 100 hours ahead of this machine's clock (an edited tag,
 * or a claimer whose clock ran far ahead): `lshift rollback` took it for a live claim, waited a
 * minute and gave up (exit 4) — and would have for as long as it stayed ahead. Built CLI against a
 * sandbox: the rollback refuses it at once (RECORD_INVALID, exit 1), naming how far ahead it is
 * and the `--to` command; with `--to` it rolls back without it; `status` says the same of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { own } from '../../src/sandbox/own.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const FAR = 'rollback:bob@far:9';
// lshift follows the sandbox's clock (LSHIFT_SANDBOX): the heartbeat is compared with it, and said so.
const AHEAD =
  /heartbeat \S+ is in the future \(4d [34]h[^)]* ahead of the sandbox's clock, more than the 5 minutes AWS lets two clocks differ by\), so it is no sign of a live writer and lshift does not wait for it/;

/** demo deployed (all at once), then its record a `rolling-back` claim stamped 100 hours ahead. */
async function deployedAndClaimedFromTheFuture(env: SandboxEnv) {
  const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], {
    timeoutMs: 120_000,
  });
  expect(deploy.code, deploy.stderr).toBe(0);
  const fn = own(env.handle.state.data.functions, 'demo')!;
  // Real time from here (speed 1): at the suite's speed a few real seconds are hours simulated.
  env.handle.state.data.clock = {
    simOriginMs: env.handle.state.simNow(),
    realOriginMs: Date.now(),
    speed: 1,
  };
  const held = encodeRecord({
    ...decodeRecord(fn.tags['lshift:live']!),
    phase: 'rolling-back',
    owner: FAR,
    heartbeatAt: env.handle.state.simNow() + 100 * 3600_000,
  });
  fn.tags['lshift:live'] = held;
  return { fn, held };
}

describe('a claim whose heartbeat is 100 hours ahead (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('rollback refuses it at once (exit 1) without waiting; --to rolls back without it; status agrees', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const { fn, held } = await deployedAndClaimedFromTheFuture(env);

    const refused = await env.cli(['rollback', 'demo', '--json'], { timeoutMs: 60_000 });
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      status: 'error',
      code: 'RECORD_INVALID',
      exitCode: 1,
    });
    expect(refused.stdout).toMatch(AHEAD);
    expect(refused.stderr).not.toContain('waiting for it');
    expect(fn.tags['lshift:live']).toBe(held);
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(refused, ['rollback', 'demo', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
    expect(fn.tags['lshift:live']).toBe(held);

    const status = await env.cli(['status', 'demo']);
    expect(status.stdout + status.stderr).toMatch(AHEAD);

    const to = await env.cli(['rollback', 'demo', '--to', '1'], { timeoutMs: 60_000 });
    expect(to.code, to.stdout + to.stderr).toBe(0);
    expect(to.stdout + to.stderr).toMatch(AHEAD);
    expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(fn.tags['lshift:live']).toBe(held);
  });
});
