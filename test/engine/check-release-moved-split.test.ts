/**
 * `lshift check` of a release whose fa is in ALARM and whose fb someone split onto a version its
 * deployment never wrote. The check rolls the release back; the release's rollback refuses fb
 * (NOTHING_TO_ROLL_BACK) and writes nothing to it. fb's line read "fa was rolled back by lshift
 * check; its rollback failed: NOTHING_TO_ROLL_BACK: …" where `lshift status fb` said it was moved
 * by hand and gave its ways out; status then offered `lshift deploy  --alias live --resume` (no
 * function) and the others' rollback again, both rolled back already (session 70). One line now.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { getStatus } from '../../src/engine/status.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, type World } from './world.js';

async function check(w: World) {
  const deps = { ...w.deps, store: w.store };
  const request = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named: true });
}

async function statusText(w: World): Promise<string> {
  const statuses = await Promise.all(
    NAMES.map((functionName) =>
      getStatus(w.deps, {
        functionName,
        alias: ALIAS,
        alarms: [`${functionName}-errors`],
        releaseMates: NAMES.filter((f) => f !== functionName).map((f) => ({ functionName: f, alias: ALIAS })),
      }),
    ),
  );
  return renderReleaseStatus(statuses);
}

const WAYS_OUT =
  "fb is a function of release r-both01, moved to versions its deployment does not know, which the release's rollback leaves as they are: " +
  'put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1` (it closes its deployment); its other functions are rolled back already';

describe('lshift check rolling back a release one of whose functions a person split', () => {
  it('says of fb what status says, writes nothing to it, and leaves it STALLED', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.55 } });
    const before = w.store.peek('fb', ALIAS);
    const report = await check(w);
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb).toMatchObject({ action: 'stalled', stalled: true, movedByHand: true });
    expect(fb.reason).toContain(
      'release r-both01: fa was rolled back by lshift check, but deployment d-1 (shifting at 20%) was moved to versions it does not know by hand and nobody will finish it: ',
    );
    expect(fb.reason).toContain(WAYS_OUT);
    expect(fb.reason).not.toContain('NOTHING_TO_ROLL_BACK');
    expect(w.store.peek('fb', ALIAS)).toEqual(before);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.55 },
    });
    for (const fn of ['fa', 'fc']) {
      expect(report.results.find((r) => r.functionName === fn)).toMatchObject({ action: 'rolled_back' });
    }
    const text = await statusText(w);
    expect(text).toContain(WAYS_OUT);
    expect(text).not.toContain('--resume');
    // The release line: nothing left for a check to close (it said "the next check … closes every record").
    expect(text.split('\n')[0]).toContain(
      "rolled fa back and did not finish the release; every other function of it is rolled back; fb, moved by hand onto versions its deployment does not know, is left as moved by the release's rollback (its line says how to close it)",
    );
  });

  // fc's alias write denied (its own line says ROLLBACK FAILED): fb's line does not call it rolled back.
  it('names a function its rollback could not put back: roll it back too, never resume it', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.55 } });
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, match: (args) => args[0] === 'fc' });
    const report = await check(w);
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb.action).toBe('stalled');
    expect(fb.reason).toContain(
      'first put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1` (it closes its deployment); then roll its other functions back with `lshift rollback --release r-both01 fc`',
    );
    expect(fb.reason).not.toContain('--resume');
    expect(report.results.find((r) => r.functionName === 'fc')?.action).toBe('rollback_failed');
    // Status, its release's rollback stopped (fc open), says the same of fb.
    const text = await statusText(w);
    expect(text).toContain(
      'first put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1` (it closes its deployment); then roll its other functions back with `lshift rollback --release r-both01 fc`',
    );
  });
});
