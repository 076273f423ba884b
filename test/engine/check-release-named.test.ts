/**
 * `lshift check fa` of a function that belongs to a release checks fa only: its release's other
 * functions are neither judged nor rolled back with it. The record does not list them (only the
 * release id, `rl=`), so the report says so and names the commands that cover them.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];

/** fa, fb, fc of release r-nam001, promoted to version 2 a minute ago; fd promoted alone. */
function promotedRelease(names: { releaseSize?: number; releaseFunctions?: string[] } = {}): World {
  const w = createWorld();
  for (const fn of [...NAMES, 'fd']) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '2');
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
    const release = fn === 'fd' ? {} : { releaseId: 'r-nam001', ...names };
    w.store.seed(
      fn,
      ALIAS,
      deadRecord(w, {
        id: `d-${fn}`,
        phase: 'promoted',
        percent: 100,
        stepIndex: 9,
        endedAt: w.start - 60_000,
        ...release,
      }),
    );
  }
  return w;
}

/** `named`: as the CLI passes it, true when the check was given function names. */
async function check(w: World, functionNames: string[], named = true) {
  const deps = { ...w.deps, store: w.store };
  const request = { functionNames, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named });
}

describe('lshift check <names> of a release’s function', () => {
  it('judged healthy: says the release’s other functions were not checked, and how to check them', async () => {
    const w = promotedRelease();
    const report = await check(w, ['fa']);
    const fa = report.results.find((r) => r.functionName === 'fa')!;
    expect(fa.action).toBe('healthy');
    expect(fa.reason).toContain('release r-nam001: fa of it was checked');
    expect(fa.reason).toContain('`lshift check`');
    expect(fa.reason).toContain('`lshift check fa <its other functions>`');
  });

  it('rolled back: says the others were not checked nor rolled back with it, and the release rollback', async () => {
    const w = promotedRelease();
    w.metrics.setAlarm('fa-errors', 'ALARM', { reason: 'errors over 3' });
    // No lambda:ListFunctions: the release's others cannot be looked for (a listing that ran is
    // check-release-reach.test.ts's and check-release-listed-words.test.ts's).
    w.lambda.fail({ op: 'listFunctions', times: Number.POSITIVE_INFINITY });
    const report = await check(w, ['fa', 'fb']);
    const fa = report.results.find((r) => r.functionName === 'fa')!;
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect([fa.action, fb.action]).toEqual(['rolled_back', 'rolled_back']);
    for (const r of [fa, fb]) {
      expect(r.reason).toContain('release r-nam001: fa fb of it were checked');
      expect(r.reason).toContain('nor rolled back with them');
      expect(r.reason).toContain('`lshift rollback --release r-nam001 <its other functions>`');
    }
    // fc was not named: untouched.
    expect(w.lambda.peekAlias('fc', ALIAS)?.functionVersion).toBe('2');
  });

  // h3 F6 (session 62): the records now name the release's functions (`rf=`): said by name.
  it('its records name the functions: the others by name, and commands that run as printed', async () => {
    const w = promotedRelease({ releaseSize: 3, releaseFunctions: NAMES });
    const healthy = (await check(w, ['fa'])).results.find((r) => r.functionName === 'fa')!;
    expect(healthy.reason).toContain(
      'release r-nam001: fa of it was checked; its records name fb fc besides, not checked: `lshift check fa fb fc`',
    );
    w.metrics.setAlarm('fa-errors', 'ALARM', { reason: 'errors over 3' });
    w.lambda.fail({ op: 'listFunctions', times: Number.POSITIVE_INFINITY });
    const rolled = (await check(w, ['fa', 'fb'])).results.find((r) => r.functionName === 'fa')!;
    expect(rolled.action).toBe('rolled_back');
    expect(rolled.reason).toContain('its records name fc besides, not checked nor rolled back with them');
    expect(rolled.reason).toContain('`lshift rollback --release r-nam001 fc`');
    expect(rolled.reason).not.toContain('<its other functions>');
  });

  // Found by a hostile pass (session 63, L4): with `rz=` but no `rf=` (the names did not fit) it
  // said "its records do not list the release's functions" though they give its size.
  it('its records give only its size: says how many were not checked', async () => {
    const w = promotedRelease({ releaseSize: 3 });
    const fa = (await check(w, ['fa'])).results.find((r) => r.functionName === 'fa')!;
    expect(fa.reason).toContain(
      'release r-nam001: fa of it was checked; its records say it has 3 functions, not which, so the other 2 of it were not checked: ',
    );
    expect(fa.reason).toContain('`lshift check fa <its other functions>`');
    expect(fa.reason).not.toContain('do not list');
    const all = (await check(w, NAMES)).results.find((r) => r.functionName === 'fa')!;
    expect(all.reason).toContain('release r-nam001: fa fb fc of it were checked, all 3 of its functions');
  });

  it('every function its records name was checked: no "other function" said', async () => {
    const w = promotedRelease({ releaseSize: 3, releaseFunctions: NAMES });
    const fa = (await check(w, NAMES)).results.find((r) => r.functionName === 'fa')!;
    expect(fa.reason).toContain(
      'release r-nam001: fa fb fc of it were checked, every function its records name',
    );
    expect(fa.reason).not.toContain('other function');
  });

  it('a function of no release, or a check without names, has no such note', async () => {
    const w = promotedRelease();
    const named = await check(w, ['fd']);
    expect(named.results[0]?.reason).not.toContain('release');
    // Without names the check lists every function with a record: the release's others with it.
    const all = await check(w, NAMES, false);
    expect(all.results).toHaveLength(3);
    for (const r of all.results) expect(r.reason).not.toContain('was checked');
  });
});

/** fa, fb, fc of release r-stl001 at 25% with a dead runner; `alarmFa` is fa's alarm. */
function stalledRelease(alarmFa: 'ALARM' | 'OK'): World {
  const w = createWorld();
  for (const fn of NAMES) {
    seedAbandonedMember(w, fn, { id: `d-${fn}`, releaseId: 'r-stl001' });
    w.metrics.setAlarm(`${fn}-errors`, fn === 'fa' ? alarmFa : 'OK', { reason: 'errors over 3' });
  }
  return w;
}

const logsOf = (w: World) => w.sink.ofType('log').map((e) => (e as { message: string }).message);

describe('lshift check fa fb fc of a stalled release: says only what was done, and each fix once', () => {
  it('fa’s alarm fires: fb and fc are logged rolled back with the release, never first as stalled', async () => {
    const w = stalledRelease('ALARM');
    const report = await check(w, NAMES);
    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    const logs = logsOf(w);
    expect(logs.filter((l) => l.includes('stalled'))).toEqual([]);
    expect(logs.filter((l) => l.includes('--resume'))).toEqual([]);
    for (const fn of NAMES)
      expect(logs.filter((l) => l.startsWith(`check ${fn}:live: rolled back`))).toHaveLength(1);
  });

  it('alarms OK: each STALLED line gives the release’s resume and rollback once, and does not say “only … were checked”', async () => {
    const w = stalledRelease('OK');
    const report = await check(w, NAMES);
    for (const r of report.results) {
      expect(r.action).toBe('stalled');
      expect(r.reason.match(/--resume/g)).toHaveLength(1);
      expect(r.reason).toContain('`lshift deploy fa fb fc --alias live --resume`');
      expect(r.reason).toContain('`lshift rollback --release r-stl001 fa fb fc`');
      expect(r.reason).not.toContain('only fa fb fc');
      expect(r.reason).toContain('fa fb fc of it were checked');
    }
    // Logged once each, with the release's words.
    const logs = logsOf(w);
    for (const fn of NAMES) {
      const lines = logs.filter((l) => l.startsWith(`check ${fn}:live:`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('`lshift deploy fa fb fc --alias live --resume`');
    }
  });
});
