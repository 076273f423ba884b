/**
 * `lshift check` of a release whose runner died, one of whose functions someone then moved by
 * hand. fb's line gave two fixes that contradicted each other: its own (`lshift alias …`) and the
 * release's (`deploy fa fb fc --resume`, which refuses fb: ALIAS_MISMATCH). Every line's resume
 * named fb (found by a hostile pass over releases). Now fb's line gives the release's ways out,
 * marked `movedByHand`, and the others' resume leaves fb out until its deployment is closed.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, type World } from './world.js';

async function check(w: World, functionNames: string[]) {
  const deps = { ...w.deps, store: w.store };
  const request = { functionNames, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named: functionNames.length > 0 });
}

function movedRelease(): World {
  const w = abandonedRelease();
  // Alarms OK: nothing to roll back, every function stalled.
  for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, 'OK');
  w.lambda.addVersion('fb');
  w.lambda.moveAlias('fb', ALIAS, { functionVersion: '4', additionalWeights: {} });
  return w;
}

describe('lshift check of a release with a function moved by hand', () => {
  it('fb gives the release’s ways out, the others resume without fb', async () => {
    const w = movedRelease();
    const report = await check(w, NAMES);
    const by = (fn: string) => report.results.find((r) => r.functionName === fn)!;
    expect(by('fb')).toMatchObject({ action: 'stalled', movedByHand: true });
    // The release's rollback leaves fb as it is (NOTHING_TO_ROLL_BACK): fb is closed first.
    expect(by('fb').reason).toContain(
      "fb is a function of release r-both01, moved to versions its deployment does not know, which the release's rollback leaves as they are: " +
        'first put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1`, or keep fb on version 4 and close its deployment with `lshift alias fb live 4` (either closes its deployment); ' +
        'then resume its other functions with `lshift deploy fa fc --alias live --resume`',
    );
    expect(by('fb').reason).toContain('or roll them back with `lshift rollback --release r-both01 fa fc`');
    expect(by('fb').reason).not.toContain('finish it with');
    for (const fn of ['fa', 'fc']) {
      expect(by(fn).movedByHand).toBeUndefined();
      expect(by(fn).reason).toContain(
        "finish it with `lshift deploy fa fc --alias live --resume` plus the first run's",
      );
      expect(by(fn).reason).toContain("once fb's deployment is closed (its line says how)");
      expect(by(fn).reason).toContain('or undo it with `lshift rollback --release r-both01 fa fb fc`');
    }
  });

  // fb moved to 100% of the new version, its record at 20%: the check told every function to
  // resume, and the resume refused fb (ALIAS_AHEAD_OF_RECORD, exit 4) (found by a hostile pass).
  it('fb moved past its record on the new version: the release’s ways out, as the resume says', async () => {
    const w = abandonedRelease();
    for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, 'OK');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const report = await check(w, NAMES);
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb).toMatchObject({ action: 'stalled', movedByHand: true });
    expect(fb.reason).toContain('was moved further than its record on the new version by hand');
    expect(fb.reason).toContain(
      'fb is a function of release r-both01: undo the whole release with `lshift rollback --release r-both01 fa fb fc`; or keep fb on version 2 and close its deployment with `lshift alias fb live 2`, then resume its other functions with `lshift deploy fa fc --alias live --resume`',
    );
  });

  // fb rolled back alone (`lshift rollback fb`): the others' resume named fb, and the resume
  // refused it (NOTHING_TO_RESUME) (found by a hostile pass).
  it('a function already rolled back alone is left out of the others’ resume', async () => {
    const w = abandonedRelease();
    for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, 'OK');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.store.seed('fb', ALIAS, {
      ...w.store.peek('fb', ALIAS)!,
      phase: 'rolled-back',
      percent: 0,
      endedAt: w.start - 1000,
    });
    const report = await check(w, NAMES);
    const fa = report.results.find((r) => r.functionName === 'fa')!;
    expect(fa.reason).toContain('finish it with `lshift deploy fa fc --alias live --resume`');
  });
});
