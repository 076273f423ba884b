/**
 * A deciding run's StopDeployment held (its Ctrl-C rollback under `--engine codedeploy`) while
 * `lshift wait` follows it from another machine. The run's heartbeat beat only at its driver's
 * polls, not while one call hung, so after the stale limit and the claim allowance (3 minutes)
 * the wait said the run "is gone", claimed the record and rolled back; released, the live run
 * finished its own rollback and wrote the record again: two writers on one record (found by a
 * hostile pass, session 60, scenario D). Now every call of the restore runs beside the
 * heartbeat (beating-driver.ts), and a run whose record was claimed meanwhile does not write its
 * end over the claim (settle-rollback.ts: a service's restore is no RevisionId-guarded write).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { claimRollback } from '../../src/engine/check-claim.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createWorld, FN, request } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };
const RUNNER = 'tester@host:1';
const WAIT_OWNER = 'rollback:ops@otherhost:7';

/**
 * A deploy under CodeDeploy (canary 10% for 5 minutes), interrupted at 30 s; its StopDeployment
 * (every one: a wait's too) hangs until `releaseAtMs` after the start, then is carried out.
 */
function heldStopWorld(releaseAtMs: number | 'by-hand') {
  const w = createWorld({ auto: false });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const stop = codedeploy.stopDeployment.bind(codedeploy);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  if (releaseAtMs !== 'by-hand') w.clock.at(w.start + releaseAtMs, release);
  codedeploy.stopDeployment = async (id: string, autoRollback: boolean) => {
    await released;
    return stop(id, autoRollback);
  };
  const driver = (start?: boolean) =>
    createCodeDeployTrafficDriver(
      { codedeploy, lambda: w.lambda, clock: w.clock },
      {
        ...(start
          ? {
              start: {
                ...GROUP,
                config: mapStrategyToCodeDeploy(parseStrategy('Canary10Percent5Minutes')),
                hooks: {},
                description: 'lshift deploy of demo:live',
                runToken: 'tok123',
              },
            }
          : {}),
        pollSeconds: 10,
      },
    );
  const controller = new AbortController();
  w.clock.at(w.start + 30_000, () => controller.abort(new Error('interrupted by SIGINT')));
  const deps = {
    ...w.deps,
    traffic: driver(true),
    gates: [createCodeDeployGate(codedeploy, () => undefined)],
  };
  const runner = runDeploy(deps, request({ ...canary(10, 300), signal: controller.signal }));
  return { w, codedeploy, runner, driver, release };
}

/** `lshift wait` of the run's deployment on another machine (its pid unknown there), from `atMs`. */
function waitFrom(h: ReturnType<typeof heldStopWorld>, atMs: number) {
  let wait: ReturnType<typeof followCodeDeploy> | undefined;
  h.w.clock.at(h.w.start + atMs, () => {
    const id = h.w.store.peek(FN, ALIAS)?.codeDeployId;
    if (!id) throw new Error('the record names no CodeDeploy deployment yet');
    wait = followCodeDeploy(
      {
        codedeploy: h.codedeploy,
        lambda: h.w.lambda,
        clock: h.w.clock,
        events: h.w.sink,
        store: h.w.store,
        rollback: { trafficFor: () => h.driver(), owner: WAIT_OWNER, processes: { isRunning: () => false } },
      },
      { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' },
    );
  });
  return () => wait;
}

describe('a deciding run whose StopDeployment is held keeps its record beating', () => {
  it('held 250 s (before CodeDeploy’s canary would end, at 300 s): its heartbeat stays fresh, the wait on another machine follows and never claims; one writer closes the record', async () => {
    const h = heldStopWorld(280_000);
    const wait = waitFrom(h, 40_000);
    const result = await driveUntil(h.w, h.runner);
    const followed = await driveUntil(h.w, wait()!);

    // Beaten all through the hold: never older than a heartbeat interval and one beside-call tick.
    const beats = h.w.store.writes
      .filter((x) => x.record.phase === 'rolling-back')
      .map((x) => x.record.heartbeatAt - h.w.start);
    expect(beats[0]).toBeLessThan(40_000);
    expect(beats.at(-1)).toBeGreaterThan(250_000);
    const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);

    // One stop (the run's), one writer: the wait claimed nothing and wrote nothing.
    expect(h.codedeploy.callsOf('stopDeployment')).toHaveLength(1);
    expect(h.w.store.writes.map((x) => x.record.owner)).not.toContain(WAIT_OWNER);
    expect(followed.decidedRollback).toBeUndefined();
    // The wait said whose rollback it follows, and when it would take it over.
    expect(h.w.sink.logs('info')).toContainEqual(
      expect.stringMatching(
        /its run tester@host:1, heartbeat \d+s ago, is rolling it back .*: following it, leaving that rollback to its run while it lives \(if it stops, this wait finishes the rollback once its heartbeat is over 3m old\)$/,
      ),
    );
    expect(h.w.sink.logs('info').join('\n')).not.toContain('is gone');
    // Stopped by the run it followed, not "from outside this run (the console, …)".
    expect(followed).toMatchObject({ outcome: 'rolled_back', status: 'Stopped' });
    expect(followed.detail).toMatch(
      /^stopped by the lshift run this wait followed \(tester@host:1\), which had decided to roll it back: CodeDeploy deployment d-FAKE1 Stopped: /,
    );
    expect(result.status).toBe('rolled_back');
    expect(result.finishedBy).toBeUndefined();
    expect(h.w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: RUNNER });
    expect(await h.w.lambda.getAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
    });
  });
});

describe('a run whose record was claimed while its StopDeployment was held does not write its end', () => {
  it('the claim lands just after a beat, the stop is released 5 s later: the run leaves the claim standing and says who took it (exit 3)', async () => {
    const h = heldStopWorld('by-hand');
    // A wait (or check) on another machine claims the record just after the run's beat at 300 s
    // or later, as if that beat had been lost: the run's next beat would be due 30 s on.
    const write = h.w.store.write.bind(h.w.store);
    let claimedAt: number | undefined;
    h.w.store.write = async (fn, alias, record, opts) => {
      await write(fn, alias, record, opts);
      const at = h.w.clock.now() - h.w.start;
      if (claimedAt !== undefined || record.phase !== 'rolling-back' || at < 300_000) return;
      claimedAt = at;
      void claimRollback(
        { store: h.w.store, clock: h.w.clock },
        { functionName: FN, alias: ALIAS },
        record,
        WAIT_OWNER,
      );
      h.w.clock.at(h.w.clock.now() + 5_000, h.release);
    };
    // Unclaimed by then (no beat came), the stop goes through all the same: the test fails, not hangs.
    h.w.clock.at(h.w.start + 600_000, h.release);
    const result = await driveUntil(h.w, h.runner);

    expect(claimedAt).toBeDefined();
    // Nothing of the run's after the claim: the claimer closes the record.
    const claim = h.w.store.writes.findIndex((x) => x.record.owner === WAIT_OWNER);
    expect(h.w.store.writes.slice(claim).map((x) => x.record.owner)).toEqual([WAIT_OWNER]);
    expect(h.w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: WAIT_OWNER });
    // The run's own stop put the traffic back: it says so, and who has the record now.
    expect(await h.w.lambda.getAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: {},
    });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.finishedBy).toMatchObject({ owner: WAIT_OWNER, phase: 'rolling-back' });
    expect(describeReason(result)).toContain(
      `${WAIT_OWNER} took the rollback over while this lshift was still on it`,
    );
  });
});
