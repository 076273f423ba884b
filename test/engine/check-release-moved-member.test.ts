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
    expect(by('fb').reason).toContain(
      'fb is a function of release r-both01: undo the whole release with `lshift rollback --release r-both01 fa fb fc`; ' +
        'or keep fb on version 4 and close its deployment with `lshift alias fb live 4`, then resume its other functions with `lshift deploy fa fc --alias live --resume`',
    );
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
});
