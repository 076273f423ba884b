/**
 * Two `lshift check` runs at once on a stalled release (f4 f5, runner killed at 20%) whose f5 went
 * bad: the first claims f5 and rolls the release back. The second found f5 "skipped: another check
 * is acting", yet called f4 STALLED, "finish it with `lshift deploy f4 f5 --resume` … or undo it
 * with `lshift rollback --release …`", exit 4 — paging a person about a release another check was
 * undoing (found by a hostile pass, session 64, 2 runs in 2). f4 is left to that check too.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const NAMES = ['f4', 'f5'];
const request = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };

/** `rf`: the records name the release's functions (`rf=`, as a release of a few functions writes). */
function stalledRelease(rf = false): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) {
    seedAbandonedMember(w, fn, {
      id: `d-${i}`,
      releaseId: 'r-zmy3j6',
      ...(rf ? { releaseFunctions: NAMES } : {}),
    });
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
  }
  w.metrics.setAlarm('f5-errors', 'ALARM', { reason: 'errors over 3' });
  return w;
}

/** f5 claimed by another check's rollback, `heartbeatAgoMs` ago. */
function claimF5(w: World, owner: string, heartbeatAgoMs: number): void {
  w.store.seed('f5', ALIAS, {
    ...w.store.peek('f5', ALIAS)!,
    phase: 'rolling-back',
    owner,
    heartbeatAt: w.clock.now() - heartbeatAgoMs,
  });
}

async function check(w: World) {
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-b:97' };
  return checkReleases(deps, await runCheck(deps, request));
}

/**
 * `lshift check f4` alone, the other check's claim on f5 made `heartbeatAgoMs` before the release
 * pass (its judging pass waits on f4's heartbeat; the other check beats its own meanwhile).
 */
async function checkAlone(
  w: World,
  owner: string,
  heartbeatAgoMs: number,
  running = (_pid: number) => true,
  own = 'check:cron@host-b:97',
) {
  const deps: CheckDeps = {
    ...w.deps,
    store: w.store,
    owner: own,
    processes: { isRunning: running },
  };
  const report = await runCheck(deps, { ...request, functionNames: ['f4'] });
  claimF5(w, owner, heartbeatAgoMs);
  return checkReleases(deps, report, { named: true });
}

describe('a check meeting a release another check is rolling back', () => {
  it('leaves the stalled mate to that check as acting: skipped, not stalled, no exit 4', async () => {
    const w = stalledRelease();
    claimF5(w, 'check:cron@host-a:12', 1_000);
    const report = await check(w);
    const [f4, f5] = report.results;
    expect(f5, JSON.stringify(f5)).toMatchObject({ action: 'skipped' });
    expect(f5?.reason).toContain('another check is acting: check:cron@host-a:12 is rolling it back');
    expect(f4, JSON.stringify(f4)).toMatchObject({ action: 'skipped' });
    expect(f4).not.toHaveProperty('stalled');
    expect(f4?.reason).toBe(
      'another check is acting on its release: check:cron@host-a:12 is rolling back f5 of release r-zmy3j6, and a check rolls a release back whole, this function with it (if that check stops, the next one finishes the rollback)',
    );
    expect(f4?.reason).not.toContain('--resume');
    expect(exitCodeForCheck(report)).toBe(0);
    // Nothing written by this check: f4 is still split, left to the other check.
    expect(w.lambda.peekAlias('f4', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.25 } });
  });

  it('the other check finished the whole release before this one read the records again: skipped, not stalled', async () => {
    const w = stalledRelease();
    claimF5(w, 'check:cron@host-a:12', 1_000);
    const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-b:97' };
    const judged = await runCheck(deps, request);
    expect(judged.results.map((r) => r.action)).toEqual(['stalled', 'skipped']);
    // Meanwhile the other check rolled both back and closed their records.
    for (const fn of NAMES) {
      w.store.seed(fn, ALIAS, {
        ...w.store.peek(fn, ALIAS)!,
        phase: 'rolled-back',
        owner: 'check:cron@host-a:12',
        endedAt: w.clock.now(),
      });
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: {} });
    }
    const report = await checkReleases(deps, judged);
    expect(report.results[0]).toMatchObject({ functionName: 'f4', action: 'skipped' });
    expect(report.results[0]?.reason).toBe(
      'its record was closed meanwhile, while this check judged it: rolled back 0s ago (owner check:cron@host-a:12); nothing left to do',
    );
    expect(exitCodeForCheck(report)).toBe(0);
  });

  it("the other check's claim gone stale: this check finishes the release's rollback itself", async () => {
    const w = stalledRelease();
    claimF5(w, 'check:cron@host-a:12', 10 * 60_000);
    const report = await check(w);
    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back']);
  });

  it('a release nobody acts on (its alarms OK) stays STALLED, exit 4', async () => {
    const w = stalledRelease();
    w.metrics.setAlarm('f5-errors', 'OK');
    const report = await check(w);
    expect(report.results.map((r) => r.action)).toEqual(['stalled', 'stalled']);
    expect(exitCodeForCheck(report)).toBe(4);
  });

  // `lshift check f4` alone, while another check rolls back its mate f5: f5's record was not read,
  // and f4 was still STALLED, exit 4 (h4's notes, session 64). Its mates are read by its record.
  it('`check f4` alone: its mate being rolled back by a live check leaves f4 to that check', async () => {
    const w = stalledRelease(true);
    const report = await checkAlone(w, 'check:cron@host-a:12', 1_000);
    expect(report.results).toHaveLength(1);
    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({
      functionName: 'f4',
      action: 'skipped',
    });
    expect(report.results[0]?.reason).toContain(
      'another check is acting on its release: check:cron@host-a:12 is rolling back f5 of release r-zmy3j6',
    );
    expect(exitCodeForCheck(report)).toBe(0);
    expect(w.lambda.peekAlias('f4', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.25 } });
  });

  // h2's pass: a check killed (kill -9) on this machine while it rolled back f5 left f4 SKIPPED,
  // exit 0, until its claim went stale.
  it('`check f4` alone, its mate claimed by a check on this machine whose process is gone: STALLED', async () => {
    const w = stalledRelease(true);
    const report = await checkAlone(w, 'check:cron@host-b:12', 1_000, (pid) => pid !== 12);
    expect(report.results[0]).toMatchObject({ functionName: 'f4', action: 'stalled' });
    expect(exitCodeForCheck(report)).toBe(4);
    // Alive, the same claim is left to.
    const alive = stalledRelease(true);
    const left = await checkAlone(alive, 'check:cron@host-b:12', 1_000);
    expect(left.results[0]).toMatchObject({ functionName: 'f4', action: 'skipped' });
  });

  // As a check's own claim of an earlier attempt is finished at once (isEarlierAttempt): GitHub
  // re-runs a workflow run only once it has completed, so attempt 1 acts on nothing. Its fresh
  // claim on f5 left f4 'another check is acting', exit 0, until it went stale.
  it('`check f4` alone in a GitHub re-run, its mate claimed by the earlier attempt: STALLED', async () => {
    const own = 'check:gha:my-org/orders/9170337/2/check';
    const earlier = stalledRelease(true);
    const report = await checkAlone(
      earlier,
      'check:gha:my-org/orders/9170337/1/check',
      1_000,
      undefined,
      own,
    );
    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({
      functionName: 'f4',
      action: 'stalled',
    });
    expect(exitCodeForCheck(report)).toBe(4);
    // Another run's (or another job's of this attempt) is a live rival's: left to it.
    for (const claimer of [
      'check:gha:my-org/orders/9170300/1/check',
      'check:gha:my-org/orders/9170337/2/verify',
    ]) {
      const left = await checkAlone(stalledRelease(true), claimer, 1_000, undefined, own);
      expect(left.results[0], claimer).toMatchObject({ functionName: 'f4', action: 'skipped' });
    }
  });

  it('`check f4` alone, records naming no functions (`rf=`): its mate is not looked for, f4 stays STALLED', async () => {
    const w = stalledRelease(false);
    const report = await checkAlone(w, 'check:cron@host-a:12', 1_000);
    expect(report.results[0]).toMatchObject({ functionName: 'f4', action: 'stalled' });
    expect(exitCodeForCheck(report)).toBe(4);
  });

  it.each([
    ['a stale claim of a check', 'check:cron@host-a:12', 10 * 60_000],
    ["a person's rollback", 'rollback:ann@laptop:9/3f9a1c2e', 1_000],
  ])('`check f4` alone, its mate under %s: f4 stays STALLED, exit 4', async (_name, owner, ago) => {
    const w = stalledRelease(true);
    w.metrics.setAlarm('f5-errors', 'OK');
    const report = await checkAlone(w, owner, ago);
    expect(report.results[0]).toMatchObject({ functionName: 'f4', action: 'stalled' });
    expect(exitCodeForCheck(report)).toBe(4);
  });

  it("a person's rollback of one function (not a check's) does not hide the stalled mate", async () => {
    const w = stalledRelease();
    claimF5(w, 'rollback:ann@laptop:9/3f9a1c2e', 1_000);
    const report = await check(w);
    expect(report.results[0]).toMatchObject({ functionName: 'f4', action: 'stalled' });
  });
});
