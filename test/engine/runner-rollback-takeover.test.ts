/**
 * A runner still retrying its rollback (UpdateAlias throttled, each try slow) while a scheduled
 * `lshift check` takes its `rolling-back` record for abandoned and rolls the alias back itself.
 * Both aim at the stable version, so the alias ends right; the runner must then say it was
 * rolled back (exit 3), by whom — never a conflict (exit 5), which a pipeline reads as "busy,
 * retry later" and would redeploy the bad version.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { throttled } from '../helpers/fake-lambda.js';
import { driveUntil } from './race.js';
import { beatsUnwritable, stuckRollbackWrites } from './stuck-rollback.js';
import { ALARM, ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const CHECK_OWNER = 'check:cron@host-b:2';

/** The runner's view of the store: readable, but every write after its `rolling-back` mark fails. */
function writesFailAfterRollbackMark(w: World): StateStore {
  let marked = false;
  return {
    read: (fn, alias) => w.store.read(fn, alias),
    write: async (fn, alias, record) => {
      if (marked) throw throttled('lambda:TagResource');
      if (record.phase === 'rolling-back') marked = true;
      return w.store.write(fn, alias, record);
    },
  } as StateStore;
}

/**
 * The runner fails a canary (alarm at 85 s, its rollback starts at the 91 s poll) and every one
 * of its rollback writes hangs `attemptMs`, then is throttled; a check (stale after 2m, the
 * default) starts at 275 s, 184 s after the runner's `rolling-back` write.
 */
async function raceRunnerAndCheck(
  attemptMs: number,
  opts: {
    land?: boolean;
    checkAtMs?: number;
    runnerStoreUnwritable?: boolean;
    beatsUnwritable?: boolean;
  } = {},
) {
  const w = createWorld({ auto: false });
  w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  const runner = runDeploy(
    {
      ...w.deps,
      lambda: stuckRollbackWrites(w, attemptMs, { land: opts.land }),
      ...(opts.runnerStoreUnwritable ? { store: writesFailAfterRollbackMark(w) } : {}),
      ...(opts.beatsUnwritable ? { store: beatsUnwritable(w) } : {}),
    },
    request(canary(10, 600)),
  );
  let check: ReturnType<typeof runCheck> | undefined;
  w.clock.at(w.start + (opts.checkAtMs ?? 275_000), () => {
    check = runCheck(
      { ...w.deps, store: w.store, owner: CHECK_OWNER },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
  });
  const result = await driveUntil(w, runner);
  const report = await driveUntil(w, check!);
  return { w, result, check: report.results[0]! };
}

describe('a check finishes the rollback its runner is still retrying', () => {
  it('the runner reports rolled back (exit 3) and who finished it, not a conflict', async () => {
    // One write hangs 400 s and the runner's heartbeats meanwhile are throttled: the check sees
    // no heartbeat for 3 minutes, watches 2 more, and rolls back at 398 s, while the runner's
    // first write still hangs.
    const { w, result, check } = await raceRunnerAndCheck(400_000, { beatsUnwritable: true });
    expect(check).toMatchObject({ action: 'rolled_back' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status, JSON.stringify(result.cause)).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.finishedBy).toMatchObject({ owner: CHECK_OWNER, phase: 'rolled-back' });
    expect(describeReason(result)).toBe(
      'rolled back at step 1 (10%): alarm demo-errors is ALARM: errors over 3; ' +
        'check:cron@host-b:2 finished the rollback while this lshift was still on it ' +
        '(recorded rolled back at 2026-01-01T00:06:38Z): all traffic is on version 1',
    );
    // The check's record stays as the check closed it: who finished the rollback.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: CHECK_OWNER });
  });
});

describe('the store unwritable for the runner too: no heartbeat gets through', () => {
  it("a check's rollback during the runner's last attempt: the runner, out of attempts, still reports it rolled back by the check", async () => {
    // The check starts at 310 s and rolls back at 433 s, inside the runner's last attempt
    // (424.5–534.5 s); the runner's closing `failed` write reads the record first.
    const { w, result, check } = await raceRunnerAndCheck(110_000, {
      checkAtMs: 310_000,
      runnerStoreUnwritable: true,
    });
    expect(check).toMatchObject({ action: 'rolled_back' });
    expect(result.status, JSON.stringify(result.cause)).toBe('rolled_back');
    expect(result.finishedBy).toMatchObject({ owner: CHECK_OWNER, phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: CHECK_OWNER });
  });
});

describe('the other order: the runner lands its rollback after the check claimed the record', () => {
  it('the runner rolled back (its own write); the check, whose claim it overwrote, leaves it alone', async () => {
    // The write hangs until 396.5 s, then lands: after the check's claim (395 s), before its
    // read-back (398 s). The runner's heartbeats meanwhile are throttled.
    const { w, result, check } = await raceRunnerAndCheck(305_500, { land: true, beatsUnwritable: true });
    expect(result.status).toBe('rolled_back');
    expect(result.finishedBy).toBeUndefined();
    expect(check).toMatchObject({ action: 'skipped' });
    expect(check.reason).toContain('now rolled-back, by tester@host:1');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'tester@host:1' });
    // One rollback write in all (the runner's); never one over a newer state.
    expect(w.lambda.aliasWrites().map((a) => a.additionalWeights)).toEqual([{ '2': 0.1 }, {}]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});

describe('a runner retrying its rollback keeps its heartbeat fresh', () => {
  it('beats during and between its attempts, so a check leaves its live rollback alone', async () => {
    // Each write hangs 110 s: beaten only between them, the record looked abandoned at 271 s.
    const { w, result, check } = await raceRunnerAndCheck(110_000);
    const beats = w.store.writes
      .filter((x) => x.record.phase === 'rolling-back')
      .map((x) => x.record.heartbeatAt - w.start);
    expect(beats[0]).toBe(91_000);
    expect(beats.at(-1)).toBeGreaterThan(500_000);
    // A beat every heartbeat interval, asked for every BEAT_BESIDE_CALL_MS while a write hangs.
    const gaps = beats.slice(1).map((t, i) => t - beats[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);
    expect(check).toMatchObject({ action: 'skipped' });
    expect(check.reason).toContain('being rolled back by tester@host:1');
    // The runner's own rollback failed (every write throttled): exit 4, as before.
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'failed', owner: 'tester@host:1' });
    // The check wrote nothing: only the runner's canary weight reached the alias.
    expect(w.lambda.aliasWrites().map((a) => a.additionalWeights)).toEqual([{ '2': 0.1 }]);
  });
});
