/**
 * A release whose runner died while rolling it back: it marked one record `rolling-back` and had
 * restored some aliases before it died, their records still `shifting`. A check finishes the
 * release's rollback; a function whose alias the dead rollback had already put back is part of
 * that rollback, not "moved by hand" — `check --json` said `movedByHand: true` for it (found by
 * a hostile pass), which tells a script someone moved it outside lshift.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS } from './world.js';

describe('a check finishing the rollback of a release whose runner died rolling it back', () => {
  it('a function the dead rollback had restored is rolled back with the release, not moved by hand', async () => {
    const w = abandonedRelease();
    for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, 'OK', { reason: 'fine' });
    w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, phase: 'rolling-back' });
    for (const fn of ['fa', 'fb'])
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-b:2' };
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };

    const report = await checkReleases(deps, await runCheck(deps, request), { named: true });

    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb.action, JSON.stringify(report.results, null, 1)).toBe('rolled_back');
    expect(fb.movedByHand).toBeUndefined();
    expect(fb.reason).not.toContain('by hand');
    for (const fn of NAMES) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    }
  });
});
