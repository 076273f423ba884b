/**
 * `lshift rollback <function>` finds a scheduled check's fresh claim on the function (the check
 * is rolling it back): it leaves the alias to the check, waits for it (bounded, on the sandbox's
 * compressed clock) and says how it ended — here the check never finishes: exit 4, nothing
 * written. Once the check has closed the record, the same command says nothing is left (exit 0).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { RIVAL_WAIT_MS } from '../../src/engine/rival-wait.js';
import { own } from '../../src/sandbox/own.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { keepClaimLive, LIVE_CLAIM_SPEED, type LiveClaim } from './live-claim.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const CHECK = 'check:cron@host-b:2';
/** The real time a rollback's CLI may take, start-up and its 60-s wait included, before it is killed. */
const CLI_BUDGET_MS = 90_000;
const BUDGET = { timeoutMs: CLI_BUDGET_MS };

/** Re-anchors the sandbox clock at its current simulated time, running at `speed` from now. */
function setSpeed(env: SandboxEnv, speed: number): void {
  env.handle.state.data.clock = { simOriginMs: env.handle.state.simNow(), realOriginMs: Date.now(), speed };
}

/**
 * demo deployed (all at once), then its record a `rolling-back` claim of `owner`, whose heartbeat
 * moves on as a live actor's would (live-claim.ts) until the test stops it: at LIVE_CLAIM_SPEED,
 * the rollback's 60-s wait takes 3 real seconds. (One heartbeat written ahead had to stay fresh
 * for the whole CLI run, however slow its start: the clock ran at 4×, the wait took 15 s.)
 */
async function deployedAndHeldBy(env: SandboxEnv, owner: string) {
  const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], {
    timeoutMs: 120_000,
  });
  expect(deploy.code, deploy.stderr).toBe(0);
  const fn = own(env.handle.state.data.functions, 'demo')!;
  const promoted = decodeRecord(fn.tags['lshift:live']!);
  const held = { ...promoted, phase: 'rolling-back' as const, owner };
  fn.tags['lshift:live'] = encodeRecord({ ...held, heartbeatAt: env.handle.state.simNow() });
  setSpeed(env, LIVE_CLAIM_SPEED);
  const claim = keepClaimLive(env.handle, 'demo');
  return { fn, promoted, held, claim };
}

/** The claim's holder stopped: nobody else wrote anything meanwhile, its record as it held it. */
function expectUntouched(fn: { tags: Record<string, string> }, claim: LiveClaim, held: object): void {
  expect(claim.stop()).toEqual({ changedByOther: false, writes: [] });
  expect(decodeRecord(fn.tags['lshift:live']!)).toEqual({ ...held, heartbeatAt: expect.any(Number) });
}

describe('lshift rollback <function> and a check’s claim (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('leaves the function to the check, exit 4 while it has not finished, exit 0 once it has', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const { fn, promoted, held, claim } = await deployedAndHeldBy(env, CHECK);

    const waited = await env.cli(['rollback', 'demo', '--json'], BUDGET);
    expectUntouched(fn, claim, held);
    expect(waited.code, waited.stdout + waited.stderr).toBe(4);
    const result = JSON.parse(waited.stdout);
    expectValidResultOf('rollback', result);
    expect(result).toMatchObject({
      status: 'unsafe',
      byOther: { owner: CHECK, done: false, phase: 'rolling-back' },
    });
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });

    // The check finishes: all traffic back on 1, its record closed.
    own(fn.aliases, 'live')!.functionVersion = '1';
    fn.tags['lshift:live'] = encodeRecord({ ...promoted, phase: 'rolled-back', owner: CHECK });
    const after = await env.cli(['rollback', 'demo']);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain('Nothing to roll back');
  });

  it('text: names the check that holds the claim and says to run the command again', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const { fn, held, claim } = await deployedAndHeldBy(env, CHECK);

    const run = await env.cli(['rollback', 'demo'], BUDGET);
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, against the same sandbox with the claim
    // still held, waits it out and says the same; neither wrote anything (expectUntouched).
    await expectBuiltCliRunsAlike(run, ['rollback', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    expectUntouched(fn, claim, held);

    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toContain(
      `✖ demo:live: ${CHECK} was rolling it back and did not finish while this command waited (its record says rolling-back, its claim still held); this command wrote nothing. \`lshift status demo --alias live\` shows when it ends; if it stops, run this command again.`,
    );
  });

  it('SIGINT while it waits on a check’s claim: stops at once (exit 1, INTERRUPTED), the record left to the check', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const { fn, held, claim } = await deployedAndHeldBy(env, CHECK);
    // Real time from here: the rollback's 60-s wait (RIVAL_WAIT_MS) lasts a real minute from the
    // moment it says so, which is when the signal is sent; a stop within that minute is the signal
    // ending the wait, however slow the machine was to start the CLI (it reads the speed when it
    // starts). Measured from the spawn instead, a loaded machine's start-up ate into the minute.
    const speed = 1;
    setSpeed(env, speed);

    let sentAt = 0;
    const run = await env.cli(['rollback', 'demo', '--json'], {
      ...BUDGET,
      onSpawn: (child) => {
        // Once: a second SIGINT a second later would exit at once (exit 4).
        let seen = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (sentAt !== 0 || !seen.includes('waiting for it')) return;
          sentAt = Date.now();
          child.kill('SIGINT');
        });
      },
    });
    const waitEndsAfterMs = RIVAL_WAIT_MS / speed;
    const stoppedAfterMs = Date.now() - sentAt;
    // Nothing written: the record the check's claim as it was.
    expectUntouched(fn, claim, held);

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(sentAt).toBeGreaterThan(0);
    expect(stoppedAfterMs, 'stopped by the signal, not at the end of the wait').toBeLessThan(waitEndsAfterMs);
    expect(run.stderr).toContain(`claim: demo:live is being rolled back by ${CHECK}; waiting for it`);
    expect(run.stderr).toContain('SIGINT received');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'INTERRUPTED', exitCode: 1 });
    // Nothing written: the alias as deployed.
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  it('claims as rollback:<who>, and waits for another person’s fresh claim rather than overriding it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const BOB = 'rollback:bob@desk:77';
    const { fn, promoted, held, claim } = await deployedAndHeldBy(env, BOB);

    const waited = await env.cli(['rollback', 'demo', '--json'], BUDGET);
    expectUntouched(fn, claim, held);
    expect(waited.code, waited.stdout + waited.stderr).toBe(4);
    expect(JSON.parse(waited.stdout)).toMatchObject({ byOther: { owner: BOB, done: false } });
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });

    // Bob's rollback gave up and put the record back: this one rolls it back, under its own name.
    fn.tags['lshift:live'] = encodeRecord(promoted);
    const rolled = await env.cli(['rollback', 'demo', '--json']);
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    expect(JSON.parse(rolled.stdout)).toMatchObject({ status: 'rolled_back' });
    expect(decodeRecord(fn.tags['lshift:live']!).owner).toMatch(/^rollback:.+@.+:\d+(\/[0-9a-f]{8})?$/);
  });
});
