/**
 * A check killed mid-rollback (kill -9, the OOM killer, a second SIGTERM) leaves its claim
 * (`rolling-back`, owner `check:cron@host-a:41`) with a fresh heartbeat. The next check on the
 * same machine used to report `skipped — another check is acting: check:cron@host-a:41 is rolling
 * it back` and exit 0 for up to --stale-after plus a minute, the alias split and nobody acting:
 * what the operator who ran the fix the killed check printed ("run the same lshift check again:
 * it finishes a rollback it started") was told. A claim whose pid no longer runs on this machine
 * is finished at once; one whose pid still runs, or from another machine, is still left alone.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { isFreshRivalClaim } from '../../src/engine/check-mates.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

/** A check claim left 20 s ago by `claimer`; the alarm is OK (the claim is what decides). */
function claimedWorld(claimer: string): World {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', owner: claimer, heartbeatAt: w.start - 20_000 }));
  return w;
}

const running = (...pids: number[]): LocalProcesses => ({ isRunning: (pid) => pids.includes(pid) });

const checkDeps = (w: World, owner: string, processes: LocalProcesses): CheckDeps => ({
  ...w.deps,
  store: w.store,
  owner,
  processes,
});

describe('a check that finds a claim left by a check killed on this machine', () => {
  it('finishes the rollback at once (exit 3), saying the claimer no longer runs', async () => {
    const w = claimedWorld('check:cron@host-a:41');
    const startedAt = w.clock.now();
    const report = await runCheck(checkDeps(w, 'check:cron@host-a:97', running(97)), request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back' });
    expect(r?.reason).toContain(
      'finishing the rollback of deployment d-dead01 that check:cron@host-a:41 started (its process 41 no longer runs on this machine)',
    );
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-a:97' });
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
    // No --stale-after watch of a record nobody can write: only the claim's settle wait.
    expect(w.clock.now() - startedAt).toBeLessThan(60_000);
  });

  it.each([
    ['its pid still runs here (a check in another terminal)', 'check:cron@host-a:41', running(41, 97)],
    ['it is from another machine', 'check:cron@host-b:41', running(97)],
    ['it is another user on this machine', 'check:ann@host-a:41', running(97)],
    ['it names no pid (a CI job)', 'check:github:org/repo#12', running(97)],
  ])('still leaves it alone when %s', async (_what, claimer, processes) => {
    const w = claimedWorld(claimer);
    const report = await runCheck(checkDeps(w, 'check:cron@host-a:97', processes), request);

    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toContain(`another check is acting: ${claimer} is rolling it back`);
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });
});

/**
 * Two containers with one hostname (one image, host networking, a Kubernetes pod's fixed
 * hostname) each see the other's pids as not running. The machine token after the pid
 * (`/3f9a1c2e`, boot id + pid namespace) tells them apart: only a claim from this process's pid
 * namespace is taken over at once; any other waits for --stale-after plus the clock margin.
 */
describe('a check that finds a claim with its own user@host from another container (machine tokens)', () => {
  const OWN = 'check:cron@host-a:97/3f9a1c2e';

  it.each([
    ['another machine token', 'check:cron@host-a:41/0badcafe'],
    ['no token (written by an older lshift), seen from a host that has one', 'check:cron@host-a:41'],
    ['a deploy runner’s mark with another machine token', 'cron@host-a:41/0badcafe'],
    ['a token cut short by the owner’s length limit', 'check:cron@host-a:41/3f9a'],
  ])('leaves a fresh claim with %s alone although its pid does not run here', async (_what, claimer) => {
    const w = claimedWorld(claimer);
    const report = await runCheck(checkDeps(w, OWN, running(97)), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'skipped' });
    expect(w.lambda.aliasWrites()).toHaveLength(0);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: claimer });
  });

  it('finishes at once a claim from this very pid namespace (the same token) whose pid is gone', async () => {
    const w = claimedWorld('check:cron@host-a:41/3f9a1c2e');
    const report = await runCheck(checkDeps(w, OWN, running(97)), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toContain('(its process 41 no longer runs on this machine)');
  });

  // It was left for the stale limit: SKIPPED "being rolled back by rollback:…", exit 0, for 3
  // minutes with the alias split and nobody running (found by a hostile pass).
  it('finishes at once a person’s rollback claim from this pid namespace whose pid is gone', async () => {
    const w = claimedWorld('rollback:cron@host-a:41/3f9a1c2e');
    const report = await runCheck(checkDeps(w, OWN, running(97)), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toContain('(its process 41 no longer runs on this machine)');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('still finishes one from another container once it is stale (--stale-after plus the clock margin)', async () => {
    const w = createWorld();
    const claimer = 'check:cron@host-a:41/0badcafe';
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolling-back', owner: claimer, heartbeatAt: w.start - 9 * 60_000 }),
    );
    const report = await runCheck(checkDeps(w, OWN, running(97)), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).not.toContain('no longer runs on this machine');
  });
});

describe('a check that finds the rollback of a deploy killed on this machine (its own mark, no prefix)', () => {
  it('finishes it at once: the deploy runner (same user@host) no longer runs', async () => {
    const w = claimedWorld('cron@host-a:41');
    const report = await runCheck(checkDeps(w, 'check:cron@host-a:97', running(97)), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toContain('(its process 41 no longer runs on this machine)');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('leaves a CI job’s (no pid) or a running one’s to the stale limit', async () => {
    for (const [claimer, processes] of [
      ['gha:org/repo/123', running(97)],
      ['cron@host-a:41', running(41, 97)],
    ] as const) {
      const w = claimedWorld(claimer);
      const report = await runCheck(checkDeps(w, 'check:cron@host-a:97', processes), request);
      expect(report.results[0]?.action).toBe('skipped');
      expect(w.lambda.aliasWrites()).toHaveLength(0);
    }
  });
});

describe("a person's lshift rollback after a check killed on this machine (the fix that check printed)", () => {
  it('takes the dead check’s claim over at once and rolls back, instead of waiting 60 s and exiting 4', async () => {
    const w = claimedWorld('check:ann@laptop:12');
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41', processes: running(41) },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );

    expect(result.status).toBe('rolled_back');
    expect(result.byOther).toBeUndefined();
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('still waits for a check whose pid runs here, or one from another machine', async () => {
    for (const [claimer, processes] of [
      ['check:ann@laptop:12', running(12, 41)],
      ['check:ann@desk:12', running(41)],
    ] as const) {
      expect(
        isFreshRivalClaim(
          { ...deadRecord(claimedWorld(claimer)), phase: 'rolling-back', owner: claimer, heartbeatAt: 0 },
          'rollback:ann@laptop:41',
          5_000,
          120_000,
          'claims',
          processes,
        ),
      ).toBe(true);
    }
  });
});
