/**
 * `lshift check` of a release's function moved by hand to a version of its own while an alarm is
 * in ALARM. The check does not overwrite a person's move; it said "the deployment record does not
 * add up … delete the record with `aws lambda untag-resource`", and offered a resume and a
 * `rollback --release` that both refuse it (found by a hostile pass). It now says what it says
 * when the alarms are OK: moved by hand, with the release's ways out — and that the alarm fires.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS } from './world.js';

describe('lshift check: a release function moved by hand to a version of its own, its alarm in ALARM', () => {
  it.each([
    [
      'all on it',
      {},
      ', or keep fb on version 4 and close its deployment with `lshift alias fb live 4` (either closes its deployment)',
    ],
    ['split with its stable version', { '4': 0.5 }, ' (it closes its deployment)'],
  ])('%s: moved by hand, the ways out, never the advice to delete the record', async (_, weights, keep) => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, {
      functionVersion: Object.keys(weights).length ? '1' : '4',
      additionalWeights: weights,
    });
    for (const fn of NAMES)
      w.metrics.setAlarm(`${fn}-errors`, fn === 'fb' ? 'ALARM' : 'OK', { reason: 'errors over 3' });
    const deps = { ...w.deps, store: w.store };
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };
    const report = await checkReleases(deps, await runCheck(deps, request), { named: true });
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb).toMatchObject({ action: 'error', stalled: true, movedByHand: true });
    expect(fb.reason).toContain('alarm fb-errors is ALARM');
    expect(fb.reason).toContain('by hand and nobody will finish it');
    expect(fb.reason).toContain(
      `first put fb back on its stable version 1 with \`lshift rollback fb --alias live --to 1\`${keep}`,
    );
    expect(fb.reason).not.toContain('untag-resource');
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb')).toEqual([]);
    expect(exitCodeForCheck(report)).toBe(4);
  });
});
