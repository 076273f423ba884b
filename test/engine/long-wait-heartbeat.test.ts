/**
 * A live runner keeps its record moving through every long wait after the claim, not only
 * during holds and hooks: others (`lshift check`, `deploy --resume`, a second deploy) take a
 * record unchanged for 120 s for an abandoned one. Here: the provisioned-concurrency waits —
 * `deploy --warm`'s (up to 10 minutes before any traffic) and the one after each weight write
 * on an alias with provisioned concurrency (up to 5 minutes before the hold counts).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { DEFAULT_PC_WAIT } from '../../src/engine/provisioned-concurrency.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { WARM_WAIT } from '../../src/engine/warm.js';
import {
  ALARM,
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  driven,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

const CHECK_ALARM = 'check-errors';

/** Reads of a 4-minute allocation, one every 5 s. */
const FOUR_MINUTES_IN_PROGRESS = Array<'IN_PROGRESS'>(48).fill('IN_PROGRESS');

/** The heartbeats the store saw from `from` until before `to` (ms after the start). */
function beatsBetween(w: World, from: number, to: number): number[] {
  return w.store.writes.map((x) => x.record.heartbeatAt - w.start).filter((t) => t >= from && t < to);
}

function largestGap(times: number[]): number {
  return Math.max(...times.slice(1).map((t, i) => t - times[i]!));
}

describe('deploy --warm: the wait for READY before any traffic', () => {
  it('writes a heartbeat at least every heartbeat interval while the version stays IN_PROGRESS for 4 minutes', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', FOUR_MINUTES_IN_PROGRESS);
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    expect(result.status).toBe('promoted');

    const firstWrite = w.lambda.callsOf('updateAlias')[0]!.at - w.start;
    expect(firstWrite).toBe(240_000);
    const beats = beatsBetween(w, 0, firstWrite);
    expect(beats.length).toBeGreaterThanOrEqual(8);
    // A beat is written at a read of the allocation, once the last write is an interval old.
    expect(largestGap([...beats, firstWrite])).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + WARM_WAIT.pollMs);
    // Heartbeats only: the record still says the deployment started, nothing moved.
    expect(
      w.store.writes.filter((x) => x.record.heartbeatAt - w.start < firstWrite).map((x) => x.record.phase),
    ).toEqual(beats.map(() => 'started'));
  });

  it('a heartbeat that cannot be written never fails the wait; the first weight is not written while the record lags', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', FOUR_MINUTES_IN_PROGRESS);
    // The claim lands; every later record write fails (a warning each).
    w.store.failWritesAfter(1, new Error('ThrottlingException: Rate exceeded'));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    // The wait ran its 4 minutes; then nobody had seen the deployment for them (traffic-steps.ts).
    expect(w.lambda.callsOf('getProvisionedConcurrency').at(-1)!.at - w.start).toBe(240_000);
    expect(result).toMatchObject({ status: 'rolled_back', trafficMoved: false });
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN', data: { seconds: 240 } });
    expect(describeReason(result)).toBe(
      'the deployment record of demo alias live could not be written for 4m (ThrottlingException: Rate exceeded): `lshift status`, `check` and another deploy could not see this deployment, so lshift did not write the next weight; no traffic was moved',
    );
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    // --warm's temporary provisioned concurrency is taken off again.
    expect(w.lambda.callsOf('deleteProvisionedConcurrency').map((c) => c.args.slice(0, 2))).toEqual([
      [FN, '2'],
    ]);
  });

  it('a record taken over during the wait ends it at the next heartbeat: no traffic moved, the config left to the new owner', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array(100).fill('IN_PROGRESS'));
    const done = runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    await w.clock.advance(0);
    // `lshift rollback` (a person) claims the record 50 s into the wait and moves the alias.
    w.clock.after(50_000, () => {
      const ours = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, {
        ...ours,
        phase: 'rolling-back',
        owner: 'ops@laptop:9',
        heartbeatAt: w.clock.now(),
      });
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    });
    let ended = false;
    void done.then(() => {
      ended = true;
    });
    await w.clock.advance(70_000);
    expect(ended).toBe(true);
    const result = await done;
    // Taken over by a rollback, all traffic on the stable version: rolled back by someone else.
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: 'ops@laptop:9' } });
    expect(w.clock.now() - w.start).toBeLessThanOrEqual(50_000 + HEARTBEAT_INTERVAL_MS + WARM_WAIT.pollMs);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    // Its record (w=) says who removes the temporary config: the one who took it over.
    expect(w.lambda.callsOf('deleteProvisionedConcurrency')).toHaveLength(0);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ owner: 'ops@laptop:9', phase: 'rolling-back' });
    expect(w.clock.pendingSleeps).toBe(0);
  });
});

describe('deploy --resume during a long --warm wait', () => {
  it('is refused (still running): the live deployment is not taken over', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    // 8 minutes until READY: longer than the stale limit and the resumer's watch together.
    w.lambda.setPcAfterPut(FN, '2', Array(96).fill('IN_PROGRESS'));
    const deploy = runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));
    await w.clock.advance(0);
    await w.clock.advance(150_000);
    let refusal: unknown;
    resumeDeploy(w.deps, resumeRequest()).catch((error: unknown) => {
      refusal = error;
    });
    await w.clock.advance(150_000);
    expect(refusal).toMatchObject({ code: 'DEPLOYMENT_IN_PROGRESS', exitCode: 5 });
    expect(w.store.writes.map((x) => x.record.owner)).not.toContain('resumer@host:2');

    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: 'tester@host:1' });
  });
});

describe('lshift check during a long wait for READY after a weight write', () => {
  it('leaves the live deployment alone although its alarm fires: nothing rolled back, the deploy goes on', async () => {
    const w = createWorld({ auto: false });
    // 8 minutes until READY again after the 10% write.
    w.lambda.setProvisionedConcurrency(FN, 'live', 10, Array(96).fill('IN_PROGRESS'));
    const deploy = runDeploy(w.deps, request(canary(10, 60)));
    await w.clock.advance(0);
    await w.clock.advance(150_000);
    // The check watches an alarm of its own, firing: it would roll an orphaned deployment back.
    // (The deploy's own alarm going to ALARM and back during the wait would roll it back: the
    // alarm gate reads the history of an alarm that changed state between two polls.)
    w.metrics.setAlarm(CHECK_ALARM, 'ALARM', { reason: 'errors over 3' });
    const check = runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [CHECK_ALARM] },
    );
    // Long enough for the check to watch the record for the stale limit and act.
    await w.clock.advance(150_000);
    const report = await check;
    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toMatch(/^in progress/);
    expect(w.store.writes.map((x) => x.record.owner)).not.toContain('check:cron@host:1');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);

    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: 'tester@host:1' });
  });
});

describe('the wait for READY after a weight write (the alias has provisioned concurrency)', () => {
  it('writes a heartbeat at least every heartbeat interval while the allocation stays IN_PROGRESS for 4 minutes', async () => {
    // A manual clock: the polls beside the wait (wait-watch.ts) must not move it ahead.
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, 'live', 10, FOUR_MINUTES_IN_PROGRESS);
    const result = await driven(w, runDeploy(w.deps, request(canary(10, 60))));
    expect(result.status).toBe('promoted');

    const [first] = w.lambda.callsOf('updateAlias').map((c) => c.at - w.start);
    const holdStart = result.steps[0]!.startedAt - w.start;
    expect(holdStart - first!).toBe(240_000);
    const beats = beatsBetween(w, first!, holdStart);
    expect(beats.length).toBeGreaterThanOrEqual(8);
    expect(largestGap([first!, ...beats, holdStart])).toBeLessThanOrEqual(
      HEARTBEAT_INTERVAL_MS + DEFAULT_PC_WAIT.pollMs,
    );
  });

  it('a record taken over during the wait stops the shift before its hold, with no further write', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, 'live', 10, Array(100).fill('IN_PROGRESS'));
    const done = runDeploy(w.deps, request(canary(10, 60)));
    await w.clock.advance(0);
    let taken: DeploymentRecord | undefined;
    w.clock.after(45_000, () => {
      taken = {
        ...w.store.peek(FN, ALIAS)!,
        phase: 'rolling-back',
        owner: 'ops@laptop:9',
        heartbeatAt: w.clock.now(),
      };
      w.store.seed(FN, ALIAS, taken);
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    });
    let ended = false;
    void done.then(() => {
      ended = true;
    });
    await w.clock.advance(90_000);
    expect(ended).toBe(true);
    const result = await done;
    // Its taker put all traffic back on version 1: rolled back by someone else, exit 3.
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: 'ops@laptop:9' } });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toEqual(taken);
    expect(w.clock.pendingSleeps).toBe(0);
  });
});

describe('deploy --warm taken over after the warm-up', () => {
  it('leaves the temporary config to the new owner (its record says w=), as it does when taken over while warming', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    const done = runDeploy(w.deps, request({ ...canary(10, 600), warm: true }));
    await w.clock.advance(0);
    w.clock.after(120_000, () => {
      const ours = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, {
        ...ours,
        phase: 'rolling-back',
        owner: 'ops@laptop:9',
        heartbeatAt: w.clock.now(),
      });
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    });
    await w.clock.advance(200_000);
    const result = await done;
    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('ROLLED_BACK_BY_OTHER');
    expect(w.lambda.callsOf('deleteProvisionedConcurrency')).toHaveLength(0);
  });
});

describe("lshift check's own rollback, waiting minutes (CodeDeploy's rollback deployment)", () => {
  it('keeps its rolling-back claim fresh at the driver polls, and only while the claim is its own', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
    const owner = 'check:cron@host:1';
    const report = await runCheck(
      {
        ...w.deps,
        store: w.store,
        owner,
        // The driver's polls during a 5-minute wait, then someone else's write at minute 3.
        rollback: async (_fn, _alias, _to, _reason, onPoll) => {
          for (let t = 0; t < 300_000; t += 10_000) {
            await w.clock.sleep(10_000);
            if (t === 180_000)
              w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, owner: 'ops@laptop:9' });
            await onPoll?.();
          }
          return { ok: true, message: 'rolled back' };
        },
      },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    const claims = w.store.writes.filter((x) => x.record.owner === owner).map((x) => x.record.heartbeatAt);
    const gaps = claims.slice(1).map((t, i) => t - claims[i]!);
    expect(claims.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 10_000);
    // Once the record was someone else's, it was left alone.
    expect(w.store.peek(FN, ALIAS)?.owner).toBe('ops@laptop:9');
  });
});
