/**
 * `lshift check` (scheduled) of a `failed` or `paused` deployment (1 → 2) whose alias someone then
 * split onto a version it never wrote (3 at 70% + 1 at 30%), an alarm in ALARM: it put all traffic
 * on version 1 over that move, while a `shifting` one so moved is left (moved by hand, the ways
 * out) and `lshift rollback` refuses it (found by h4, session 69). It now leaves it too, as it
 * does with the alarms OK; the person's `lshift rollback --to` decides. A release's function so
 * moved: its own line leaves it, and the release's rollback of the others leaves it too
 * (check-release-moved.ts): STALLED, nothing written.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const SPLIT = { functionVersion: '3', additionalWeights: { '1': 0.3 } };

describe('lshift check, an alarm in ALARM, a failed or paused deployment split since onto a version it never wrote', () => {
  it.each(['failed', 'paused'] as const)('%s: left as the person put it, moved by hand', async (phase) => {
    const w = createWorld();
    w.lambda.addVersion(FN);
    const record: DeploymentRecord = deadRecord(w, { phase, percent: 20 });
    w.store.seed(FN, ALIAS, record);
    w.lambda.moveAlias(FN, ALIAS, SPLIT);
    w.metrics.setAlarm('errors', 'ALARM', { reason: 'errors over 3' });
    const deps = { ...w.deps, store: w.store };
    const report = await runCheck(deps, {
      functionNames: [FN],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['errors'],
    });
    expect(report.results).toMatchObject([{ functionName: FN, stalled: true, movedByHand: true }]);
    expect(report.results[0]!.action).not.toBe('rolled_back');
    expect(report.results[0]!.reason).toContain('was moved to versions it does not know by hand');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.peek(FN, ALIAS)).toEqual(record);
  });

  it('a release’s failed function so moved is left too', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.store.seed('fb', ALIAS, { ...w.store.peek('fb', ALIAS)!, phase: 'failed' });
    w.lambda.moveAlias('fb', ALIAS, SPLIT);
    for (const fn of NAMES) w.metrics.setAlarm(`${fn}-errors`, 'ALARM', { reason: 'errors over 3' });
    const deps = { ...w.deps, store: w.store };
    const req = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
    const report = await checkReleases(deps, await runCheck(deps, req), { named: true });
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    // Its own line leaves it, and so does the release's rollback of its mates (it would refuse it:
    // NOTHING_TO_ROLL_BACK): STALLED, moved by hand, its way out, nothing written (session 70: it
    // was `rollback_failed`, "its rollback failed: NOTHING_TO_ROLL_BACK …").
    expect(fb).toMatchObject({ action: 'stalled', stalled: true, movedByHand: true });
    expect(fb.reason).toContain('was moved to versions it does not know by hand');
    expect(fb.reason).toContain('`lshift rollback fb --alias live --to 1`');
    expect(fb.reason).not.toContain('NOTHING_TO_ROLL_BACK');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(SPLIT);
    expect(w.store.peek('fb', ALIAS)?.phase).toBe('failed');
  });
});
