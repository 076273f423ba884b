/**
 * `lshift check fa fb` over a release of fa, fb and fc, fa and fb moved back to their stable
 * versions by hand, fc still split, the runner dead. The close's listing of every record in reach
 * found fc (so fa and fb were rightly left STALLED), yet the STALLED line's undo was `lshift
 * rollback --release r-… fa fb` and the note said "its records do not list the release's
 * functions, so any other function of it was not checked". Copied, the undo closed fa and fb and
 * left fc at 10%, which `status` then offered to resume alone (found by a hostile pass, session
 * 59, F8). Now the undo names every function of the release the check knows of — per alias when
 * they differ — and the note says what the listing found.
 */
import { describe, expect, it } from 'vitest';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

const RELEASE = 'r-f8f8f8';
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.1 } };
const BACK = { functionVersion: '1', additionalWeights: {} };

/** fa, fb back on version 1 by hand; `third` of the release still split at its alias. */
async function halfBack(third: { fn: string; alias: string }) {
  const w = createFleetWorld(['fa', 'fb']);
  w.lambda.addFunction(third.fn);
  w.lambda.addVersion(third.fn);
  w.lambda.addVersion(third.fn);
  w.lambda.addAlias(third.fn, third.alias, '1');
  const store = new TagStateStore(w.lambda);
  for (const [i, { fn, alias }] of [
    { fn: 'fa', alias: ALIAS },
    { fn: 'fb', alias: ALIAS },
    third,
  ].entries()) {
    await store.write(
      fn,
      alias,
      deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, percent: 10, stepIndex: 0 }),
    );
    w.lambda.moveAlias(fn, alias, SPLIT);
  }
  for (const fn of ['fa', 'fb']) w.lambda.moveAlias(fn, ALIAS, BACK);
  return { w, store };
}

async function check(w: World, store: TagStateStore, named = true) {
  const report = await runCheckWithReleases(
    { ...w.deps, store, owner: 'check:cron@ops:12' },
    {
      ...(named ? { functionNames: ['fa', 'fb'] } : {}),
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    },
  );
  return (fn: string) => report.results.find((r) => r.functionName === fn)!;
}

describe('lshift check fa fb of a release whose listing found another function still split', () => {
  it('fc:live: the undo names fa fb fc, the note names fc as found and not checked', async () => {
    const { w, store } = await halfBack({ fn: 'fc', alias: ALIAS });
    const result = await check(w, store);
    for (const fn of ['fa', 'fb']) {
      const r = result(fn);
      expect(r.action, fn).toBe('stalled');
      expect(r.reason, fn).toContain(
        `undo the whole release with \`lshift rollback --release ${RELEASE} fa fb fc\``,
      );
      expect(r.reason, fn).not.toContain(`\`lshift rollback --release ${RELEASE} fa fb\``);
      expect(r.reason, fn).not.toContain("its records do not list the release's functions");
      expect(r.reason, fn).toContain(
        `release ${RELEASE}: fa fb of it were checked; a listing of every record in reach found its other function fc:live (shifting at 10%), not checked: \`lshift check fa fb fc\``,
      );
    }
    expect(w.lambda.peekAlias('fc', ALIAS)).toMatchObject(SPLIT);
  });

  it('a check without names reads live only: the undo still names ga:prod, found by the listing', async () => {
    const { w, store } = await halfBack({ fn: 'ga', alias: 'prod' });
    const result = await check(w, store, false);
    expect(result('fa').action).toBe('stalled');
    expect(result('fa').reason).toContain(
      `undo the whole release with \`lshift rollback --release ${RELEASE} fa fb --alias live\` and \`lshift rollback --release ${RELEASE} ga --alias prod\``,
    );
  });

  it('ga:prod: the undo is given once per alias', async () => {
    const { w, store } = await halfBack({ fn: 'ga', alias: 'prod' });
    const result = await check(w, store);
    const fa = result('fa');
    expect(fa.action).toBe('stalled');
    expect(fa.reason).toContain(
      `undo the whole release with \`lshift rollback --release ${RELEASE} fa fb --alias live\` and \`lshift rollback --release ${RELEASE} ga --alias prod\``,
    );
    expect(fa.reason).toContain(
      'found its other function ga:prod (shifting at 10%), not checked: `lshift check fa fb --alias live` and `lshift check ga --alias prod`',
    );
  });
});

describe('lshift check fa fb of a release whose listing found fc, its alias read for the resume offered', () => {
  it('fc back on its stable version too (its record open): no resume is offered that fc would refuse', async () => {
    const { w, store } = await halfBack({ fn: 'fc', alias: ALIAS });
    w.lambda.moveAlias('fc', ALIAS, BACK);
    const result = await check(w, store);
    for (const fn of ['fa', 'fb']) {
      const r = result(fn);
      expect(r.action, fn).toBe('stalled');
      // `lshift deploy fc --resume` was offered: refused, fc's alias being back (ALIAS_MISMATCH).
      expect(r.reason, fn).not.toContain('--resume');
      expect(r.reason, fn).toContain(
        `is a function of release ${RELEASE}: undo the whole release with \`lshift rollback --release ${RELEASE} fa fb fc\``,
      );
    }
    expect(w.lambda.callsOf('getAlias').filter((c) => c.args[0] === 'fc').length).toBeGreaterThan(0);
  });

  it('fc still split: the resume offered names it', async () => {
    const { w, store } = await halfBack({ fn: 'fc', alias: ALIAS });
    const result = await check(w, store);
    expect(result('fa').reason).toContain(
      'then resume its other functions with `lshift deploy fc --alias live --resume`',
    );
  });
});
