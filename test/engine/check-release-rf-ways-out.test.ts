/**
 * `lshift check g4` of one function of a stalled release whose record names the release's
 * functions (`rf=g4.g5.g6`): the ways out name the whole release. It offered `lshift deploy g4
 * --alias live --resume`, which the resume refuses as copied (CONFLICTING_FLAGS: "Name every
 * function of the release"), and `lshift rollback --release r-… g4`, which undoes g4 alone
 * (found by a hostile pass, session 63, M2).
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const NAMES = ['g4', 'g5', 'g6'];

function stalledRelease(named: { releaseFunctions?: string[]; releaseSize?: number }): World {
  const w = createWorld();
  for (const fn of NAMES) {
    seedAbandonedMember(w, fn, { id: `d-${fn}`, releaseId: 'r-rf0001', ...named });
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
  }
  return w;
}

async function check(w: World, functionNames: string[], flagsToRepeat?: string) {
  const deps = { ...w.deps, store: w.store };
  const request = {
    functionNames,
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: ['{function}-errors'],
    ...(flagsToRepeat === undefined ? {} : { flagsToRepeat }),
  };
  return checkReleases(deps, await runCheck(deps, request), { named: true, flagsToRepeat });
}

describe('lshift check <one function> of a stalled release whose record names its functions', () => {
  it('offers the resume and the rollback of every function the record names', async () => {
    const w = stalledRelease({ releaseSize: 3, releaseFunctions: NAMES });
    const g4 = (await check(w, ['g4'])).results[0]!;
    expect(g4.action).toBe('stalled');
    expect(g4.reason).toContain('finish it with `lshift deploy g4 g5 g6 --alias live --resume`');
    expect(g4.reason).toContain('undo it with `lshift rollback --release r-rf0001 g4 g5 g6`');
    expect(g4.reason).not.toContain('`lshift deploy g4 --alias live --resume`');
  });

  it('the note’s `lshift check` of every function carries the flags the check was given', async () => {
    const w = stalledRelease({ releaseSize: 3, releaseFunctions: NAMES });
    const g4 = (await check(w, ['g4'], " --alarm '{function}-errors' --window 2h")).results[0]!;
    expect(g4.reason).toContain(
      "its records name g5 g6 besides, not checked: `lshift check g4 g5 g6 --alarm '{function}-errors' --window 2h`",
    );
  });

  it('its record counts the functions (rz=) without naming them: the resume says the others are unnamed', async () => {
    const w = stalledRelease({ releaseSize: 3 });
    const g4 = (await check(w, ['g4'])).results[0]!;
    expect(g4.reason).toContain(
      'finish it with `lshift deploy g4 <the other functions of release r-rf0001> --alias live --resume`',
    );
    // Naming none, the rollback finds each function of the release by its record.
    expect(g4.reason).toContain('undo it with `lshift rollback --release r-rf0001`');
    expect(g4.reason).not.toContain('`lshift deploy g4 --alias live --resume`');
  });

  it('an older lshift’s record (no rf=): the placeholder, as before', async () => {
    const w = stalledRelease({});
    const g4 = (await check(w, ['g4'])).results[0]!;
    expect(g4.reason).toContain('`lshift deploy g4 --alias live --resume`');
  });
});
