/**
 * A check killed half-way through rolling back a release (SIGKILL, an OOM, a cron host that
 * went away): it rolled back the function it found failed, then died before the release's other
 * functions. The next check finishes the release's rollback — every function back on its stable
 * version, every record `rolled-back`, exit 3 — and says it finishes what another check began.
 * A function a live check still holds (its claim fresh) is left to it.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { CHECK_CLAIM_SKEW_MS } from '../../src/engine/check-claim.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];
const RELEASE = 'r-fin001';
const DEAD_CHECK = 'check:cron@host-a:1';
const NEXT_CHECK = 'check:cron@host-b:2';
const request = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };

/** fa, fb, fc of one release at 25% with a dead runner; only fa's alarm fires. */
function abandonedRelease(phase: 'shifting' | 'promoted' = 'shifting'): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    const promoted = phase === 'promoted';
    w.store.seed(
      fn,
      ALIAS,
      deadRecord(w, {
        id: `d-${i}`,
        releaseId: RELEASE,
        strategy: 'linear:25%:1m',
        ...(promoted ? { phase, percent: 100, endedAt: w.start - 300_000 } : {}),
      }),
    );
    w.lambda.moveAlias(fn, ALIAS, {
      functionVersion: promoted ? '2' : '1',
      additionalWeights: promoted ? {} : { '2': 0.25 },
    });
    w.metrics.setAlarm(`${fn}-errors`, fn === 'fa' ? 'ALARM' : 'OK', { reason: 'errors over 3' });
  }
  return w;
}

function depsOf(w: World, owner: string): CheckDeps {
  return { ...w.deps, store: w.store, owner };
}

/** The check that dies: it rolls fa back (runCheck) and is killed before the release's others. */
async function checkKilledBeforeMates(w: World): Promise<void> {
  const report = await runCheck(depsOf(w, DEAD_CHECK), request);
  expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'stalled', 'stalled']);
  expect(w.store.peek('fa', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: DEAD_CHECK });
}

async function nextCheck(w: World) {
  const deps = depsOf(w, NEXT_CHECK);
  return checkReleases(deps, await runCheck(deps, request), { named: true });
}

const restoresOf = (w: World, fn: string) =>
  w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === fn)
    .map((c) => c.args[2] as { functionVersion: string; additionalWeights: object })
    .filter((a) => a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0);

function expectAllBackOnStable(w: World): void {
  for (const fn of NAMES) {
    expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    expect(restoresOf(w, fn)).toHaveLength(1);
  }
}

describe('a check killed after rolling back one function of a release', () => {
  it('the next check finishes the release rollback, says another check began it, exit 3', async () => {
    const w = abandonedRelease();
    await checkKilledBeforeMates(w);
    await w.clock.sleep(300_000);

    const report = await nextCheck(w);

    const rows = Object.fromEntries(report.results.map((r) => [r.functionName, r]));
    expect(rows.fa?.action).toBe('skipped');
    for (const fn of ['fb', 'fc']) {
      expect(rows[fn]?.action, JSON.stringify(report.results, null, 1)).toBe('rolled_back');
      expect(rows[fn]?.reason).toContain(
        `release ${RELEASE}: finishing the rollback that ${DEAD_CHECK} began (it rolled back fa`,
      );
      expect(w.store.peek(fn, ALIAS)?.owner).toBe(NEXT_CHECK);
    }
    expectAllBackOnStable(w);
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it("finishes it even when the others' alarms cannot be read: the release was judged already", async () => {
    const w = abandonedRelease();
    await checkKilledBeforeMates(w);
    w.metrics.fail({ op: 'describeAlarms', times: Number.POSITIVE_INFINITY });
    await w.clock.sleep(300_000);

    const report = await nextCheck(w);

    expect(report.results.map((r) => r.action)).toEqual(['skipped', 'rolled_back', 'rolled_back']);
    expectAllBackOnStable(w);
  });

  it('finishes a release the check rolled back after its promotion (the others promoted, healthy)', async () => {
    const w = abandonedRelease('promoted');
    const first = await runCheck(depsOf(w, DEAD_CHECK), request);
    expect(first.results.map((r) => r.action)).toEqual(['rolled_back', 'healthy', 'healthy']);
    await w.clock.sleep(300_000);

    const report = await nextCheck(w);

    expect(report.results.map((r) => r.action)).toEqual(['skipped', 'rolled_back', 'rolled_back']);
    expectAllBackOnStable(w);
    expect(exitCodeForCheck(report)).toBe(3);
  });
});

describe('a check without function names (the records found by listing their tags)', () => {
  it('finishes the release rollback a killed check began', async () => {
    const w = abandonedRelease();
    const tags = new TagStateStore(w.lambda);
    for (const fn of NAMES) await tags.write(fn, ALIAS, w.store.peek(fn, ALIAS)!);
    const unnamed = { ...request, functionNames: undefined };
    const dead: CheckDeps = { ...w.deps, store: tags, owner: DEAD_CHECK };
    const first = await runCheck(dead, unnamed);
    expect(first.results.map((r) => r.action)).toEqual(['rolled_back', 'stalled', 'stalled']);
    await w.clock.sleep(300_000);

    const next: CheckDeps = { ...w.deps, store: tags, owner: NEXT_CHECK };
    const report = await checkReleases(next, await runCheck(next, unnamed));

    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'skipped'],
      ['fb', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    for (const fn of NAMES) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect((await tags.read(fn, ALIAS))?.phase).toBe('rolled-back');
    }
    expect(exitCodeForCheck(report)).toBe(3);
  });
});

describe('a check killed after claiming the release’s other functions', () => {
  /** The dead check claimed fb (and fc, unless `onlyFb`) `ago` ms ago, then died. */
  async function claimsLeft(w: World, ago: number, onlyFb = false): Promise<void> {
    await checkKilledBeforeMates(w);
    for (const fn of onlyFb ? ['fb'] : ['fb', 'fc']) {
      const record = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, {
        ...record,
        phase: 'rolling-back',
        owner: DEAD_CHECK,
        heartbeatAt: w.clock.now(),
      });
    }
    await w.clock.sleep(ago);
  }

  it('leaves a fresh claim to its check: skipped (another check is acting), alias untouched', async () => {
    const w = abandonedRelease();
    await claimsLeft(w, 10_000);

    const report = await nextCheck(w);

    expect(report.results.map((r) => r.action)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(report.results[1]?.reason).toContain(`another check is acting: ${DEAD_CHECK}`);
    for (const fn of ['fb', 'fc']) expect(restoresOf(w, fn)).toHaveLength(0);
  });

  it('leaves a claim barely past --stale-after to it (clock skew margin), then finishes it', async () => {
    const w = abandonedRelease();
    await claimsLeft(w, 120_000 + CHECK_CLAIM_SKEW_MS / 2);

    const early = await nextCheck(w);
    expect(early.results.map((r) => r.action)).toEqual(['skipped', 'skipped', 'skipped']);
    await w.clock.sleep(CHECK_CLAIM_SKEW_MS);

    const report = await nextCheck(w);
    const rows = Object.fromEntries(report.results.map((r) => [r.functionName, r]));
    for (const fn of ['fb', 'fc']) {
      expect(rows[fn]?.action).toBe('rolled_back');
      expect(rows[fn]?.reason).toContain(`finishing the rollback of deployment d-`);
      expect(rows[fn]?.reason).toContain(`that ${DEAD_CHECK} started`);
    }
    expectAllBackOnStable(w);
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it('its claim on fb gone stale, fc never reached: fb finished as its rollback, fc with the release', async () => {
    const w = abandonedRelease();
    await claimsLeft(w, 120_000 + CHECK_CLAIM_SKEW_MS, true);

    const report = await nextCheck(w);

    const rows = Object.fromEntries(report.results.map((r) => [r.functionName, r]));
    expect(rows.fb?.action).toBe('rolled_back');
    expect(rows.fb?.reason).toContain(`that ${DEAD_CHECK} started`);
    expect(rows.fc?.action).toBe('rolled_back');
    expect(rows.fc?.reason).toContain(`release ${RELEASE}: finishing the rollback that ${DEAD_CHECK} began`);
    expectAllBackOnStable(w);
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it('finishes the function the dead check had not claimed, leaves the one it had (fresh)', async () => {
    const w = abandonedRelease();
    await claimsLeft(w, 10_000, true);

    const report = await nextCheck(w);

    const rows = Object.fromEntries(report.results.map((r) => [r.functionName, r]));
    expect(rows.fb?.action).toBe('skipped');
    expect(rows.fb?.reason).toContain('another check is acting');
    expect(restoresOf(w, 'fb')).toHaveLength(0);
    expect(rows.fc?.action).toBe('rolled_back');
    expect(restoresOf(w, 'fc')).toHaveLength(1);
    expect(w.store.peek('fc', ALIAS)?.phase).toBe('rolled-back');
  });
});

describe('what a check does not take for an unfinished release rollback', () => {
  it('a function of the release a person rolled back alone (not a check): the others stay stalled', async () => {
    const w = abandonedRelease();
    const fa = w.store.peek('fa', ALIAS)!;
    w.store.seed('fa', ALIAS, { ...fa, phase: 'rolled-back', percent: 0, endedAt: w.clock.now() });
    w.lambda.moveAlias('fa', ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.metrics.setAlarm('fa-errors', 'OK');

    const report = await nextCheck(w);

    expect(report.results.map((r) => r.action)).toEqual(['skipped', 'stalled', 'stalled']);
    expect(report.results[1]?.stalled).toBe(true);
    for (const fn of ['fb', 'fc']) expect(restoresOf(w, fn)).toHaveLength(0);
  });
});

/**
 * `lshift check fa`, naming only the function the killed check rolled back: fa's record is
 * closed, and no other function of the release was named, so nothing was finished — fb and fc
 * stayed on the version the killed check had judged bad (exit 0). The release's other functions
 * are found by their records (check-release-reach.ts), as when a named check rolls one back.
 */
describe('a named check of only the function a killed check rolled back', () => {
  async function killedCheckThenNamed(w: World, tags: TagStateStore, beforeNext?: () => Promise<void>) {
    for (const fn of NAMES) await tags.write(fn, ALIAS, w.store.peek(fn, ALIAS)!);
    await runCheck({ ...w.deps, store: tags, owner: DEAD_CHECK }, request);
    expect((await tags.read('fa', ALIAS))?.phase).toBe('rolled-back');
    await w.clock.sleep(300_000);
    await beforeNext?.();
    const next: CheckDeps = { ...w.deps, store: tags, owner: NEXT_CHECK };
    return checkReleases(next, await runCheck(next, { ...request, functionNames: ['fa'] }), { named: true });
  }

  it.each(['shifting', 'promoted'] as const)('finishes the release (the others %s)', async (phase) => {
    const w = abandonedRelease(phase);
    const tags = new TagStateStore(w.lambda);
    const report = await killedCheckThenNamed(w, tags);

    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'skipped'],
      ['fb', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(report.results[1]?.reason).toContain(`finishing the rollback that ${DEAD_CHECK} began`);
    expect(report.results[1]?.reason).toContain('found by its record, not named to the check');
    for (const fn of NAMES) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect((await tags.read(fn, ALIAS))?.phase).toBe('rolled-back');
    }
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it('leaves a function of the release whose runner is alive to it', async () => {
    const w = abandonedRelease();
    const tags = new TagStateStore(w.lambda);
    // fc's runner beats again just before the named check: alive, whatever the others say.
    const report = await killedCheckThenNamed(w, tags, () =>
      tags.write('fc', ALIAS, { ...w.store.peek('fc', ALIAS)!, heartbeatAt: w.clock.now() }),
    );

    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'skipped'],
      ['fb', 'rolled_back'],
    ]);
    expect(w.lambda.peekAlias('fc', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.25 } });
  });
});
