/**
 * Two `lshift check` runs racing on a release whose functions both went bad: each function is
 * rolled back by one check only — the mates too (check-release.ts claims them the way check.ts
 * claims the function it found failed). The other check reports "skipped (another check is
 * acting)", never a failed rollback (exit 4) and never a rollback it did not do.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { CHECK_CLAIM_SKEW_MS } from '../../src/engine/check-claim.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const NAMES = ['fa', 'fb'];

/** fa and fb of release r-race01, both at 25% with a dead runner, both alarms firing. */
function abandonedRelease(names: readonly string[] = NAMES): World {
  const w = createWorld();
  for (const [i, fn] of names.entries()) {
    seedAbandonedMember(w, fn, { id: `d-${i}`, releaseId: 'r-race01' });
    w.metrics.setAlarm(`${fn}-errors`, 'ALARM', { reason: 'errors over 3' });
  }
  return w;
}

const request = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };

async function check(w: World, owner: string) {
  const deps: CheckDeps = { ...w.deps, store: w.store, owner };
  return checkReleases(deps, await runCheck(deps, request));
}

const restoresOf = (w: World, fn: string) =>
  w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === fn)
    .map((c) => c.args[2] as { functionVersion: string; additionalWeights: object })
    .filter((a) => a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0);

describe('two checks racing on a release whose functions both went bad', () => {
  it('each function is rolled back once; the other check skips it (another check is acting), exit 3 and 3', async () => {
    const w = abandonedRelease();
    const [a, b] = await Promise.all([check(w, 'check:cron@host-a:1'), check(w, 'check:cron@host-b:2')]);

    const rows = [...a.results, ...b.results];
    for (const fn of NAMES) {
      const mine = rows.filter((r) => r.functionName === fn);
      expect(mine.map((r) => r.action).sort(), JSON.stringify(rows, null, 1)).toEqual([
        'rolled_back',
        'skipped',
      ]);
      expect(mine.find((r) => r.action === 'skipped')?.reason).toContain('another check is acting');
      expect(restoresOf(w, fn)).toHaveLength(1);
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    }
    expect(rows.some((r) => r.action === 'rollback_failed')).toBe(false);
    expect([exitCodeForCheck(a), exitCodeForCheck(b)]).toEqual([3, 3]);
  });
});

describe("a check rolling back a release's mates", () => {
  it('leaves a mate another check has a fresh claim on to it: skipped, its alias untouched', async () => {
    const w = abandonedRelease();
    w.metrics.setAlarm('fb-errors', 'OK');
    const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const report = await runCheck(deps, request);
    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'stalled']);
    // Another check claimed fb since (it will roll it back itself).
    const fb = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, {
      ...fb,
      phase: 'rolling-back',
      owner: 'check:cron@host-b:2',
      heartbeatAt: w.clock.now(),
    });
    const checked = await checkReleases(deps, report);

    const row = checked.results.find((r) => r.functionName === 'fb')!;
    expect(row.action).toBe('skipped');
    // Said plainly as the other check's doing (who, since when), not behind the release's
    // reason, which read as if this check were rolling it back.
    expect(row.reason).toBe(
      'another check is acting: check:cron@host-b:2 is rolling it back (claimed 0s ago), so this one left it alone',
    );
    expect(restoresOf(w, 'fb')).toHaveLength(0);
    expect(w.store.peek('fb', ALIAS)?.owner).toBe('check:cron@host-b:2');
  });

  it('claims every mate before rolling it back, and closes each record as the check', async () => {
    const names = ['fa', 'fb', 'fc', 'fd'];
    const w = abandonedRelease(names);
    for (const fn of names.slice(1)) w.metrics.setAlarm(`${fn}-errors`, 'OK');
    const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const checked = await checkReleases(deps, await runCheck(deps, { ...request, functionNames: names }));

    expect(checked.results.map((r) => r.action)).toEqual([
      'rolled_back',
      'rolled_back',
      'rolled_back',
      'rolled_back',
    ]);
    for (const fn of names)
      expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-a:1' });
  });

  it('finishes a mate whose other check died mid-rollback (its claim older than --stale-after and the clock skew margin)', async () => {
    const w = abandonedRelease();
    w.metrics.setAlarm('fb-errors', 'OK');
    const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const report = await runCheck(deps, request);
    const fb = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, {
      ...fb,
      phase: 'rolling-back',
      owner: 'check:cron@host-b:2',
      heartbeatAt: w.clock.now() - 90_000 - CHECK_CLAIM_SKEW_MS,
    });
    const checked = await checkReleases(deps, report, { staleAfterSeconds: 60 });

    expect(checked.results.find((r) => r.functionName === 'fb')?.action).toBe('rolled_back');
    expect(restoresOf(w, 'fb')).toHaveLength(1);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-a:1' });
  });

  it("puts a claimed mate's record back as it was when its rollback fails", async () => {
    const w = abandonedRelease();
    w.metrics.setAlarm('fb-errors', 'OK');
    const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const report = await runCheck(deps, request);
    const before = w.store.peek('fb', ALIAS);
    w.lambda.fail({
      op: 'updateAlias',
      times: Number.POSITIVE_INFINITY,
      match: (args) => args[0] === 'fb',
      error: new Error('not allowed to update alias live of fb'),
    });
    const checked = await checkReleases(deps, report);

    expect(checked.results.find((r) => r.functionName === 'fb')?.action).toBe('rollback_failed');
    expect(w.store.peek('fb', ALIAS)).toEqual(before);
  });
});
