/**
 * `lshift check b1` (named) of a PROMOTED release b1 b2 c1, only b1's alarm firing: b1 was rolled
 * back and b2 and c1 stayed on the new version, exit 3, the note saying they "were not checked
 * nor rolled back" — while a check without names rolled all three back, and a later `lshift check
 * b1 b2 c1` rolled b2 and c1 back as "finishing the rollback that check … began" (found by a
 * hostile pass). The mates found by their records were only the unfinished ones. One verdict:
 * the named check rolls back every function of the release it finds, as a check without names.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

const NAMES = ['b1', 'b2', 'c1'];
const RELEASE = 'r-prm001';
const FIRST = 'check:cron@host-a:1';
const NEXT = 'check:cron@host-b:2';

/** b1 b2 c1 of RELEASE promoted to version 2 a minute ago, their records as tags; b1's alarm fires. */
async function promotedRelease(): Promise<{ w: World; store: TagStateStore }> {
  const w = createFleetWorld(NAMES);
  const store = new TagStateStore(w.lambda);
  for (const [i, fn] of NAMES.entries()) {
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const promoted = { phase: 'promoted' as const, percent: 100, stepIndex: 9, endedAt: w.start - 60_000 };
    await store.write(fn, ALIAS, deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, ...promoted }));
    w.metrics.setAlarm(`${fn}-x`, fn === 'b1' ? 'ALARM' : 'OK', { reason: 'errors over 3' });
  }
  return { w, store };
}

async function check(w: World, store: TagStateStore, owner: string, functionNames?: string[]) {
  const deps: CheckDeps = { ...w.deps, store, owner };
  const request = { functionNames, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-x'] };
  return checkReleases(deps, await runCheck(deps, request), { named: functionNames !== undefined });
}

async function expectAllRolledBack(w: World, store: TagStateStore): Promise<void> {
  for (const fn of NAMES) {
    expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(await store.read(fn, ALIAS), fn).toMatchObject({ phase: 'rolled-back', owner: FIRST });
  }
}

describe('lshift check <one function of a promoted release> that rolls it back', () => {
  it('rolls back the release’s other promoted functions too, found by their records, and says so', async () => {
    const { w, store } = await promotedRelease();
    const report = await check(w, store, FIRST, ['b1']);
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['b1', 'rolled_back'],
      ['b2', 'rolled_back'],
      ['c1', 'rolled_back'],
    ]);
    await expectAllRolledBack(w, store);
    for (const r of report.results.slice(1)) {
      expect(r.reason).toContain(`release ${RELEASE}: b1 was rolled back by lshift check`);
      expect(r.reason).toContain('found by its record, not named to the check');
    }
    expect(report.results[0]!.reason).not.toContain('was not checked nor rolled back');
    expect(report.results.some((r) => r.releaseMatesUnknown)).toBe(false);
    expect(exitCodeForCheck(report)).toBe(3);
  });

  it('leaves nothing for a later check to finish: it was done whole, as a check without names does', async () => {
    const { w, store } = await promotedRelease();
    await check(w, store, FIRST, ['b1']);
    await w.clock.sleep(300_000);
    const next = await check(w, store, NEXT, NAMES);
    expect(next.results.map((r) => r.action)).toEqual(['skipped', 'skipped', 'skipped']);
    for (const r of next.results) expect(r.reason).not.toContain('finishing the rollback');
    expect(exitCodeForCheck(next)).toBe(0);

    // The same release checked without names ends the same way.
    const other = await promotedRelease();
    const unnamed = await check(other.w, other.store, FIRST);
    expect(unnamed.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    await expectAllRolledBack(other.w, other.store);
  });

  it('one function’s record unreadable in the listing: the others found are rolled back, and it says the release may not be whole', async () => {
    const { w, store } = await promotedRelease();
    w.lambda.fail({
      op: 'listTags',
      times: Number.POSITIVE_INFINITY,
      match: (args) => String(args[0]).endsWith(':c1'),
    });
    const report = await check(w, store, FIRST, ['b1']);
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['b1', 'rolled_back'],
      ['b2', 'rolled_back'],
    ]);
    expect(report.results[0]).toMatchObject({ releaseMatesUnknown: true });
    expect(report.results[0]!.reason).toContain("the release's other functions could not all be looked for");
    expect(report.results[0]!.reason).toContain('c1:');
    expect(report.results[0]!.reason).toContain(`lshift rollback --release ${RELEASE} <its other functions>`);
    expect(w.lambda.peekAlias('c1', ALIAS)?.functionVersion).toBe('2');
    expect(exitCodeForCheck(report)).toBe(4);
  });
});
