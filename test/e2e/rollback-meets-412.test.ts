/**
 * An operator's `lshift rollback` lands while the deploy's 100% write is in flight, and the deploy
 * cannot read its record meanwhile: its write meets the rollback's 412 before it has seen the
 * claim. Its alias reads right after fail too, and its one read of the record then finds the
 * operator's rollback of this deployment: rolled back by them (exit 3), as when a poll sees the
 * claim first — it was a conflict (exit 5, "someone else moved it"). A record it cannot read at
 * all stays a conflict (exit 5), the operator's record left as they closed it.
 * engine twin: test/engine/conflict-meets-claim.test.ts.
 *
 * The order is the sandbox's, never a race's (docs/sandbox.md, control endpoints). The deploy runs
 * as SDK app id DEPLOYER, whose requests alone the gate holds. It is held at its 100% write, then
 * the heartbeat asked for beside that write is held at its record call: one beat in flight keeps
 * every later one from starting (keep-beating.ts runBeside; the recorder's queue), so nothing of
 * the deploy reads or writes the record while the rollback runs, unheld, to its end. Then the
 * write alone is let go (`release {"only":["UpdateAlias"]}`): it meets the 412, its alias reads
 * fail, and its record read is held until they answer again. The one real-time bound: the
 * rollback CLI must end within the deploy's held write's 3 attempts (LSHIFT_AWS_TIMEOUT 15 s
 * each, 46 s; an attempt that times out is held again in its place); it takes a few seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import type { CliRun } from '../helpers/run-cli.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** The deploy's SDK app id (AWS_SDK_UA_APP_ID, sent in its User-Agent): what the gate holds. */
const DEPLOYER = 'deploy-under-test';
const RECORD_CALLS = ['ListTags', 'TagResource'];
const OPERATOR = /^rollback:\S+$/;

/**
 * Every call of these operations fails, every attempt: a 5xx, which the SDK retries as it does a
 * throttle, without the adaptive mode's slow-down a run of throttles brings (seconds a call).
 */
function failing(operations: string[]) {
  return { type: 'api', service: 'lambda', operations, kind: '5xx', rate: 1 };
}

describe('deploy meets an operator’s rollback through a 412 (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /**
   * The deploy held at its 100% write with the beat beside it, and the operator's rollback run to
   * its end meanwhile (alias back on version 1, record closed by them). Returns the deploy still
   * running (in an object: a promise an async function returns is awaited).
   */
  async function rollBackUnderHeldWrite(sandbox: SandboxEnv): Promise<{ deploy: Promise<CliRun> }> {
    // The second UpdateAlias (100%) is held: the gate closes after the first (50%).
    await control(sandbox, 'hold', {
      after: 'UpdateAlias',
      count: 1,
      only: ['UpdateAlias'],
      client: DEPLOYER,
    });
    // 10×: the 1-minute hold takes 6 s; the rollback's 3-s claim settle, 0.3 s.
    const deploy = sandbox.cli(['deploy', 'demo', '--strategy', 'linear:50%:1m', '--no-analysis', '--json'], {
      env: { AWS_SDK_UA_APP_ID: DEPLOYER, LSHIFT_AWS_TIMEOUT: '15s' },
      timeoutMs: 150_000,
    });
    await untilHeld(sandbox);
    // Its record's calls held from now: a beat comes beside the held write once the record is a
    // heartbeat interval (30 s) old, within three 10-s beat ticks.
    await control(sandbox, 'hold', { only: ['UpdateAlias', ...RECORD_CALLS], client: DEPLOYER });
    await untilHeld(sandbox, 2);

    const rollback = await sandbox.cli(['rollback', 'demo', '--reason', 'bad dashboards', '--json']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await sandbox.status()).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
      record: { phase: 'rolled-back', owner: expect.stringMatching(OPERATOR) },
    });
    return { deploy };
  }

  it('its record read after the 412 finds the rollback: rolled back by the operator, exit 3', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 10 });
    const { deploy } = await rollBackUnderHeldWrite(env);
    // Its alias reads fail from now (the 412's own, the routing check, the stop's): nothing it can
    // read says where traffic is. Its next record read is held beside the beat's.
    await control(env, 'faults', { faults: [failing(['GetAlias'])] });
    await control(env, 'hold', { only: ['ListTags'], client: DEPLOYER });
    await control(env, 'release', { only: ['UpdateAlias'] });
    await untilHeld(env, 2);
    // Both read the record the operator closed; the alias reads answer again; a record write of
    // the deploy's (the beat's, if it was held at its write) never lands.
    await control(env, 'faults', { clear: true, faults: [failing(['TagResource'])] });
    await control(env, 'release', {});

    const run = await deploy;
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: expect.stringMatching(OPERATOR) } },
      aliasState: { functionVersion: '1', additionalWeights: {} },
    });
    expect(result.steps.map((s: { percent: number; result: string }) => [s.percent, s.result])).toEqual([
      [50, 'completed'],
      [100, 'stopped'],
    ]);
    expect(result.reason).toMatch(
      /^rolled back by rollback:\S+ at step 2 \(100%\), while this lshift still ran it/,
    );
    expect(run.stderr).toContain('taken over by rollback:');
    expectValidResultOf('deploy', result);
    expect(await env.status()).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
      record: { phase: 'rolled-back', owner: expect.stringMatching(OPERATOR) },
    });
  });

  it('its record unreadable from the rollback on: a conflict (exit 5), the operator’s record left as it is', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 10 });
    const { deploy } = await rollBackUnderHeldWrite(env);
    // Its record fails from now, the beat's held call included; its alias reads answer.
    await control(env, 'faults', { faults: [failing(RECORD_CALLS)] });
    await control(env, 'release', {});

    const run = await deploy;
    expect(run.code, run.stderr).toBe(5);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'conflict',
      cause: { code: 'ALIAS_CHANGED' },
      aliasState: { functionVersion: '1', additionalWeights: {} },
    });
    expect(result.reason).toMatch(
      // Step 1's weight, the last of this run that landed: the 100% write met the 412 (until
      // session 64 it said "at step 2 (100%)", while the record said step 1).
      /^alias live of function demo changed underneath at step 1 \(50%\): someone else moved it/,
    );
    expect(run.stderr).not.toContain('taken over');
    expectValidResultOf('deploy', result);
    // Its close as moved by hand is not written blind over the operator's record.
    expect(await env.status()).toMatchObject({
      functionVersion: '1',
      record: { phase: 'rolled-back', owner: expect.stringMatching(OPERATOR) },
    });
  });
});
