/**
 * `deploy --supersede` rolls the old deployment back under the claim a person's `lshift
 * rollback` takes (src/engine/supersede-rollback.ts). Built CLI against a sandbox: a check's
 * fresh claim on the old deployment is waited for (bounded, on the sandbox's compressed clock)
 * and, still held, ends in SUPERSEDE_CONFLICT (exit 5) with nothing written; a deployment nobody
 * holds is claimed, rolled back and replaced (exit 0).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { own } from '../../src/sandbox/own.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { keepClaimLive, LIVE_CLAIM_SPEED } from './live-claim.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const CHECK = 'check:cron@host-b:2';
const SUPERSEDE = ['deploy', 'demo', '--supersede', '--strategy', 'all-at-once', '--no-analysis', '--json'];

/**
 * demo deployed (all at once: version 2), then its record rewritten by `edit`, its alias split 1/2.
 * `speed`: the sandbox clock's speed from the rewrite on (the deploy before it runs at the
 * sandbox's own, quicker one).
 */
async function deployedThen(env: SandboxEnv, edit: (now: number) => Record<string, unknown>, speed?: number) {
  const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], {
    timeoutMs: 120_000,
  });
  expect(deploy.code, deploy.stderr).toBe(0);
  if (speed !== undefined)
    env.handle.state.data.clock = { simOriginMs: env.handle.state.simNow(), realOriginMs: Date.now(), speed };
  const fn = own(env.handle.state.data.functions, 'demo')!;
  const promoted = decodeRecord(fn.tags['lshift:live']!);
  // Half way through a canary whose runner went away; `edit` says who holds it now.
  const { endedAt: _ended, ...unfinished } = promoted;
  const now = env.handle.state.simNow();
  const shifting = {
    ...unfinished,
    strategy: 'canary:50%:5m',
    stepIndex: 0,
    percent: 50,
    startedAt: now - 900_000,
  };
  const held = encodeRecord({ ...shifting, ...edit(now) });
  fn.tags['lshift:live'] = held;
  const alias = own(fn.aliases, 'live')!;
  alias.functionVersion = promoted.stableVersion;
  alias.weights = { [promoted.targetVersion]: 0.5 };
  return { fn, held };
}

/** The old deployment's runner gone ten minutes ago: nobody holds it. */
const runnerDied = (now: number) => ({ phase: 'shifting', owner: 'ci@runner:7', heartbeatAt: now - 600_000 });

describe('deploy --supersede and the claim on the old deployment (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('a check is rolling the old deployment back: waits, then SUPERSEDE_CONFLICT (exit 5), nothing written', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    // The check is alive: its heartbeat moves on (live-claim.ts), so the clock may run at
    // LIVE_CLAIM_SPEED from the claim on and the supersede's 60-s wait takes 3 real seconds. (One
    // heartbeat written ahead had to stay fresh for the whole CLI run, however slow its start: the
    // clock ran at 3×, the wait took 20 s.) The deploy before the claim runs at the sandbox's 600×.
    const { fn, held } = await deployedThen(
      env,
      (now) => ({ phase: 'rolling-back', owner: CHECK, heartbeatAt: now }),
      LIVE_CLAIM_SPEED,
    );
    const claim = keepClaimLive(env.handle, 'demo');

    const run = await env.cli(SUPERSEDE, { timeoutMs: 120_000 });

    // Nothing written: nobody but the check touched its record, as it holds it, nor the alias.
    // (The deploy publishes its version before it meets the claim: a version is no one's claim.)
    const { changedByOther, writes } = claim.stop();
    expect(changedByOther).toBe(false);
    expect(writes.filter((op) => op !== 'PublishVersion')).toEqual([]);
    expect(decodeRecord(fn.tags['lshift:live']!)).toEqual({
      ...decodeRecord(held),
      heartbeatAt: expect.any(Number),
    });
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'error',
      code: 'SUPERSEDE_CONFLICT',
      exitCode: 5,
    });
    expect(JSON.parse(run.stdout).message).toContain(`being rolled back by ${CHECK}`);
    expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
  });

  it('a deployment whose runner died: claimed, rolled back and replaced (exit 0)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await deployedThen(env, runnerDied);

    const run = await env.cli(SUPERSEDE, { timeoutMs: 120_000 });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted' });
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    const fresh = freshSandbox({ inProcess: runCliInProcess, preset: 'healthy' }, async (made) => {
      await deployedThen(made, runnerDied);
      return undefined;
    });
    await expectBuiltCliRunsAlike(run, SUPERSEDE, { fresh });
  });
});
