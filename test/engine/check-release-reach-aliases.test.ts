/**
 * A release of fa on `live` and ga on `prod` (each entry's `alias:` in the config file), its
 * runner killed at 10%, fa's alarm in ALARM. `lshift check fa` — or `lshift check` without names
 * — run away from that config file read `live` only: it rolled fa:live back and left ga:prod of
 * the same release split at 10%, nobody driving it, exit 3 (session 60). One function's failed
 * gate rolls the whole release back: the check's one listing of every record in reach
 * (records-in-reach.ts) finds ga:prod and it goes back too; a listing refused or partial is said,
 * with what could not be looked for, and exits 4.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

const RELEASE = 'r-a1a5e5';
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.1 } };
const BACK = { functionVersion: '1', additionalWeights: {} };

/** fa:live and ga:prod of one release, both split at 10%, their runner dead; fa's alarm firing. */
async function killedAtTen() {
  const w = createFleetWorld(['fa']);
  w.lambda.addFunction('ga');
  w.lambda.addVersion('ga');
  w.lambda.addVersion('ga');
  w.lambda.addAlias('ga', 'prod', '1');
  w.metrics.setAlarm('ga-errors', 'OK');
  const store = new TagStateStore(w.lambda);
  for (const [i, [fn, alias]] of [
    ['fa', ALIAS],
    ['ga', 'prod'],
  ].entries()) {
    await store.write(
      fn!,
      alias!,
      deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, percent: 10, stepIndex: 0 }),
    );
    w.lambda.moveAlias(fn!, alias!, SPLIT);
  }
  w.metrics.setAlarm('fa-errors', 'ALARM');
  return { w, store };
}

async function check(w: World, store: TagStateStore, names?: string[]) {
  const report = await runCheckWithReleases(
    { ...w.deps, store, owner: 'check:cron@ops:12' },
    {
      ...(names ? { functionNames: names } : {}),
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    },
  );
  return { report, result: (fn: string) => report.results.find((r) => r.functionName === fn) };
}

describe('a check that rolls back fa:live of a release whose ga is on prod', () => {
  for (const [how, names] of [
    ['named (`lshift check fa`)', ['fa']],
    ['without names (`lshift check`)', undefined],
  ] as const) {
    it(`${how}: ga:prod, found by the listing, is rolled back with it`, async () => {
      const { w, store } = await killedAtTen();
      const { report, result } = await check(w, store, names ? [...names] : undefined);
      expect(result('fa')).toMatchObject({ action: 'rolled_back', alias: ALIAS });
      expect(result('ga')).toMatchObject({ action: 'rolled_back', alias: 'prod' });
      expect(result('ga')!.reason).toContain(
        `release ${RELEASE}: fa was rolled back by lshift check; found by its record`,
      );
      expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject(BACK);
      expect(w.lambda.peekAlias('ga', 'prod')).toMatchObject(BACK);
      expect((await store.read('ga', 'prod'))?.phase).toBe('rolled-back');
      expect(report.results.some((r) => r.releaseMatesUnknown)).toBe(false);
      expect(exitCodeForCheck(report)).toBe(3);
      // One listing of every alias for the whole check (a check without names lists its own alias first).
      expect(w.lambda.callsOf('listFunctions').length).toBe(names ? 1 : 2);
    });
  }

  it('without names, the listing of every alias refused: it says so, with the way out, and exits 4', async () => {
    const { w, store } = await killedAtTen();
    // The check's own listing of live goes through; the second, of every alias, is refused.
    w.lambda.fail({ op: 'listFunctions', nth: 2, times: Number.POSITIVE_INFINITY });
    const { report, result } = await check(w, store);
    expect(result('fa')).toMatchObject({ action: 'rolled_back', releaseMatesUnknown: true });
    expect(result('fa')!.reason).toContain(
      "the release's other functions could not be looked for: the functions in reach could not be listed",
    );
    expect(result('fa')!.reason).toContain(
      `any function of it on an alias this check did not read was not rolled back with it: \`lshift rollback --release ${RELEASE} <its other functions> --alias <theirs>\``,
    );
    expect(w.lambda.peekAlias('ga', 'prod')).toMatchObject(SPLIT);
    expect(exitCodeForCheck(report)).toBe(4);
  });

  it('ga’s records unreadable: it names ga as not looked for, leaves it as it is, and exits 4', async () => {
    const { w, store } = await killedAtTen();
    w.lambda.fail({
      op: 'listTags',
      times: Number.POSITIVE_INFINITY,
      match: (args) => String(args[0]).endsWith(':ga'),
    });
    const { report, result } = await check(w, store, ['fa']);
    expect(result('fa')).toMatchObject({ action: 'rolled_back', releaseMatesUnknown: true });
    expect(result('fa')!.reason).toContain(
      "the release's other functions could not be looked for: the records of ga (every alias) could not be read",
    );
    expect(result('ga')).toBeUndefined();
    expect(w.lambda.peekAlias('ga', 'prod')).toMatchObject(SPLIT);
    expect(exitCodeForCheck(report)).toBe(4);
  });
});
