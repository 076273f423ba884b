/**
 * A release's rollback held up by one function (its UpdateAlias throttled, each try slow) while a
 * scheduled `lshift check` looks at the release: the release's runner is still on it, so its
 * records must stay fresh (a check leaves a live rollback alone), and a rollback a check (or a
 * person) finished meanwhile is reported as rolled back, by whom — never a conflict (exit 5).
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { runCheck } from '../../src/engine/check.js';
import { RELEASE_HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { keepClaimBeating } from './claim-beat.js';
import { driveUntil } from './race.js';
import { beatsUnwritable, stuckRollbackWrites } from './stuck-rollback.js';
import { ALIAS, canary, createFleetWorld, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const CHECK_OWNER = 'check:cron@host-b:2';
const TAKER = 'rollback:ops@desk:3';

function release(): ReleaseRequest {
  return {
    releaseId: 'r-beat01',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
    ),
  };
}

/**
 * fc's alarm fires at 85 s (the release rolls back from the 91 s poll); every rollback write of
 * fb hangs `attemptMs`, then is throttled; a check of fa, fb, fc starts at `checkAtMs`.
 */
async function raceReleaseAndCheck(attemptMs: number, checkAtMs: number, land = false, beatsBlocked = false) {
  const w = createFleetWorld(FNS, { auto: false });
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  const runner = runRelease(
    {
      ...w.deps,
      lambda: stuckRollbackWrites(w, attemptMs, { land, only: 'fb' }),
      ...(beatsBlocked ? { store: beatsUnwritable(w) } : {}),
    },
    release(),
  );
  let check: ReturnType<typeof runCheck> | undefined;
  w.clock.at(w.start + checkAtMs, () => {
    check = runCheck(
      { ...w.deps, store: w.store, owner: CHECK_OWNER },
      { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms: FNS.map((fn) => `${fn}-errors`) },
    );
  });
  const result = await driveUntil(w, runner);
  const report = await driveUntil(w, check!);
  return { w, result, check: report.results };
}

describe("a release's rollback retried on one function keeps its records fresh", () => {
  it('beats during and between the attempts, so a check leaves the live rollback alone', async () => {
    // Each of fb's writes hangs 110 s: without a beat fc's `rolling-back` mark (91 s) would look
    // abandoned to a check at 275 s.
    const { w, result, check } = await raceReleaseAndCheck(110_000, 275_000);
    const beats = w.store.writes
      .filter((x) => x.functionName === 'fc' && x.record.phase === 'rolling-back')
      .map((x) => (x.record.heartbeatAt - w.start) / 1000);
    // Beaten during fb's hung writes too, not only between them: one beat a release heartbeat
    // interval (60 s), asked for every BEAT_BESIDE_CALL_MS while a write hangs.
    // (More follow: fb's throttled writes are retried for 5 minutes once every restore had its
    // fixed tries, step-restore.ts.)
    expect(beats.slice(0, 8)).toEqual([91, 151, 211.5, 271.5, 332.5, 392.5, 454.5, 514.5]);
    const gaps = beats.slice(1).map((t, i) => (t - beats[i]!) * 1000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(RELEASE_HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);
    // fa and fb (closed only after every alias) beat with it.
    for (const fn of ['fa', 'fb'])
      expect(
        w.store.writes
          .filter((x) => x.functionName === fn)
          .map((x) => (x.record.heartbeatAt - w.start) / 1000),
      ).toEqual(expect.arrayContaining(beats));
    // The check left all three to the release's runner, and wrote nothing.
    expect(
      check.map((r) => r.action),
      JSON.stringify(check),
    ).toEqual(['skipped', 'skipped', 'skipped']);
    expect(check[2]?.reason).toContain('being rolled back by tester@host:1');
    expect(w.store.writes.filter((x) => x.record.owner === CHECK_OWNER)).toEqual([]);
    // fb's own rollback failed (every write throttled): the release is unsafe (exit 4), as before.
    expect(result.status).toBe('unsafe');
    expect(result.functions.find((f) => f.functionName === 'fb')?.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
  });
});

describe("a check finishes a release's rollback its runner is still retrying", () => {
  it('the release reports rolled back (exit 3) and who finished which function, not a conflict', async () => {
    // fb's one write hangs 400 s and the runner's heartbeats meanwhile are throttled: the mark
    // (91 s) looks abandoned to the check at 275 s, which rolls back the release's functions itself.
    const { w, result, check } = await raceReleaseAndCheck(400_000, 275_000, false, true);
    expect(check.find((r) => r.functionName === 'fb')).toMatchObject({ action: 'rolled_back' });
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb.status).toBe('rolled_back');
    expect(fb.finishedBy).toMatchObject({ owner: CHECK_OWNER, phase: 'rolled-back' });
    // The release's own rollback reason, not TAKEN_OVER.
    expect(fb.cause).toMatchObject({
      code: 'GATE_FAILED',
      detail: 'function fc failed: alarm fc-errors is ALARM: errors over 3',
    });
    // Only fb was finished by the check; fa and fc by the release itself.
    expect(result.functions.filter((f) => f.finishedBy).map((f) => f.functionName)).toEqual(['fb']);
    const reasoned = withReleaseReason(result);
    expect(reasoned.reason).toBe(
      'function fc failed: rolled back at step 1 (10%): alarm fc-errors is ALARM: errors over 3; ' +
        'all 3 functions of release r-beat01 are back on their stable versions; ' +
        'check:cron@host-b:2 finished the rollback of fb while this lshift was still on it',
    );
    expect(renderReleaseResult(reasoned)).toContain('✖ Release r-beat01 rolled back');
    // The check's record of fb stays as the check closed it.
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: CHECK_OWNER });
  });
});

describe('someone takes a function of the failing release over (`lshift rollback`) before its mark', () => {
  /** At 88 s a person's rollback claims fc's record; `restored`: it has put fc's alias back too. */
  function takeOverFc(w: World, restored: boolean): void {
    w.clock.at(w.start + 88_000, () => {
      const current = w.store.peek('fc', ALIAS)!;
      w.store.seed('fc', ALIAS, {
        ...current,
        phase: 'rolling-back',
        owner: TAKER,
        heartbeatAt: w.clock.now(),
      });
      keepClaimBeating(w, 'fc', ALIAS, TAKER);
      if (restored) w.lambda.moveAlias('fc', ALIAS, { functionVersion: '1', additionalWeights: {} });
    });
  }

  async function run(restored: boolean) {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
    takeOverFc(w, restored);
    const result = await driveUntil(w, runRelease(w.deps, release()));
    return { w, result, fc: result.functions.find((f) => f.functionName === 'fc')! };
  }

  it('the taker put its alias back: rolled back (exit 3), finished by the taker', async () => {
    const { w, result, fc } = await run(true);
    expect(fc.status, JSON.stringify(fc.cause)).toBe('rolled_back');
    expect(fc.finishedBy).toMatchObject({ owner: TAKER, phase: 'rolling-back' });
    expect(fc.cause?.code).toBe('GATE_FAILED');
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.store.peek('fc', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });

  it('its alias still split: a conflict (exit 5), never called rolled back', async () => {
    const { w, result, fc } = await run(false);
    expect(fc.status).toBe('conflict');
    expect(fc.finishedBy).toBeUndefined();
    expect(fc.cause?.code).toBe('TAKEN_OVER');
    expect(result.status).toBe('conflict');
    // The release left fc's alias to the taker.
    expect(w.lambda.peekAlias('fc', ALIAS)?.additionalWeights).toEqual({ '2': 0.1 });
  });
});
