/**
 * A record that cannot be written rolls back at the stale limit during a hold too, not only as the
 * hold was to end (health-monitor-types.ts, RecordLagWatch). Found by a hostile pass: with TagResource
 * failing from minute 1 of a 10-minute canary, the runner kept its 10% split for the whole hold
 * (`could not be written for 9m …`) while `lshift status` said STALLED ("its runner seems to have
 * died; nobody drives it") and `lshift check` "has no live owner" (exit 4). docs/ci.md: the runner
 * rolls back once no write has landed for the stale limit — a split nobody can see must not last.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { sleepHook } from './release-takeover-world.js';
import { ALIAS, canary, createWorld, FN, linear, request, type World, writesOf } from './world.js';

const throttled = () => new OperationError('THROTTLED', 'tag write throttled');

const STALE_LIMIT_MS = 120_000;
const POLL_MS = 10_000;

/** When the last record write that reached the store before `beforeMs` was made (its heartbeat, ms after the start). */
function lastLandedBefore(w: World, beforeMs: number): number {
  const landed = w.store.writes.map((x) => x.record.heartbeatAt - w.start).filter((at) => at < beforeMs);
  return Math.max(...landed);
}

/** When each alias write landed, after the deployment's start (ms). */
function aliasWriteTimes(w: World): number[] {
  return w.lambda.callsOf('updateAlias').map((c) => c.at - w.start);
}

describe('a record that cannot be written during a hold', () => {
  it('rolls back within the stale limit (plus one poll) of the last write that landed, not at the hold’s end', async () => {
    const w = createWorld();
    w.clock.at(w.start + 60_000, () => w.store.failWrites(throttled()));
    const result = await runDeploy(w.deps, request(canary(10, 600)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(STALE_LIMIT_MS / 1000);
    expect(seconds).toBeLessThanOrEqual((STALE_LIMIT_MS + POLL_MS) / 1000);

    // 10%, then back to version 1 within the limit and one poll: 100% was never written.
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
    ]);
    const [, rolledBackAt] = aliasWriteTimes(w);
    const landedAt = lastLandedBefore(w, 60_000);
    expect(rolledBackAt! - landedAt).toBeLessThanOrEqual(STALE_LIMIT_MS + POLL_MS);
    expect(rolledBackAt!).toBeLessThan(600_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });

    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(10%\): the deployment record of demo alias live could not be written for 2m( \d+s)? \(.*THROTTLED.*\): `lshift status`, `check` and another deploy could not see this deployment, so lshift rolled back rather than hold 10% unseen$/,
    );
    // The first failure said what follows: the rollback at the limit, not only the held weight.
    expect(w.sink.logs('warn')[0]).toMatch(
      /^could not write the deployment record \(shifting\) of demo alias live: THROTTLED: .*; the shift continues, but moves no more traffic until a write lands, and rolls back once none has landed for 2m$/,
    );
  });

  it('goes on with the hold when writes fail for less than the stale limit and then land', async () => {
    const w = createWorld();
    // From 60 s: the heartbeats at 60 s and 90 s fail; the one at 120 s lands, 90 s after the last
    // one that did (30 s).
    w.clock.at(w.start + 60_000, () => w.store.failWrites(throttled(), 2));
    const result = await runDeploy(w.deps, request(canary(10, 600)));

    expect(result.status).toBe('promoted');
    expect(result.cause).toBeUndefined();
    const [first, second] = aliasWriteTimes(w);
    expect(first).toBe(0);
    // The hold ran its 10 minutes: 100% written at its end, not before, and never rolled back.
    expect(second).toBeGreaterThanOrEqual(600_000);
    expect(second).toBeLessThan(600_000 + POLL_MS);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
    ]);
    // It did lag: two writes failed, and one landed again within the limit.
    const failedWarnings = w.sink
      .logs('warn')
      .filter((m) => m.includes('could not write the deployment record'));
    expect(failedWarnings.length).toBeGreaterThanOrEqual(1);
    const landedAfter = w.store.writes
      .map((x) => x.record.heartbeatAt - w.start)
      .filter((at) => at > 60_000 && at < 600_000);
    expect(landedAfter.length).toBeGreaterThanOrEqual(1);
    expect(landedAfter[0]! - lastLandedBefore(w, 60_000)).toBeLessThan(STALE_LIMIT_MS);
  });

  it('tries the record once more as the limit passes, and holds on when that write lands', async () => {
    const w = createWorld();
    // The heartbeats at 60, 90 and 120 s fail: at the 150 s poll none has landed for 2 minutes
    // (since 30 s). The try made then lands: the hold goes on to its end.
    w.clock.at(w.start + 60_000, () => w.store.failWrites(throttled(), 3));
    const result = await runDeploy(w.deps, request(canary(10, 600)));

    expect(result.status).toBe('promoted');
    expect(aliasWriteTimes(w)[1]).toBeGreaterThanOrEqual(600_000);
    const landedAfter = w.store.writes
      .map((x) => x.record.heartbeatAt - w.start)
      .filter((at) => at > 60_000 && at < 600_000);
    expect(landedAfter[0]! - lastLandedBefore(w, 60_000)).toBeGreaterThanOrEqual(STALE_LIMIT_MS);
  });

  it('rolls back during a bake too, from 100%, not at the bake’s end', async () => {
    const w = createWorld();
    // canary 10% for 1 minute, then 100% baked for 10 minutes; writes fail from 2 minutes on.
    w.clock.at(w.start + 120_000, () => w.store.failWrites(throttled()));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), bakeSeconds: 600 }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    const rolledBackAt = aliasWriteTimes(w).at(-1)!;
    expect(writesOf(w.lambda).at(-1)!.slice(0, 2)).toEqual(['1', {}]);
    expect(rolledBackAt - lastLandedBefore(w, 120_000)).toBeLessThanOrEqual(STALE_LIMIT_MS + POLL_MS);
    expect(describeReason(result)).toMatch(
      /^rolled back during the bake \(100%\): the deployment record of demo alias live could not be written for 2m( \d+s)? \(.*THROTTLED.*\): .*so lshift rolled back rather than hold 100% unseen$/,
    );
  });

  it('rolls back during a long step hook too, ending the hook, not at the hook’s end', async () => {
    const w = createWorld();
    const hook = sleepHook(w);
    // linear 20% / 60 s: the step hook before 40% runs from 60 s for 10 minutes; writes fail from 90 s.
    w.clock.at(w.start + 90_000, () => w.store.failWrites(throttled()));
    const result = await runDeploy(
      w.deps,
      request({ ...linear(20, 60), hooks: { step: [cmdHook('sleep 600')] } }),
    );

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    expect(hook.signal?.aborted).toBe(true);
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.2 }],
      ['1', {}],
    ]);
    const rolledBackAt = aliasWriteTimes(w).at(-1)!;
    expect(rolledBackAt - lastLandedBefore(w, 90_000)).toBeLessThanOrEqual(STALE_LIMIT_MS + POLL_MS);
  });
});
