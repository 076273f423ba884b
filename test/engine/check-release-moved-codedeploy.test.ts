/**
 * `lshift check` rolling back a release one of whose functions, fb, has a CodeDeploy record and an
 * alias a person moved onto a version its deployment never wrote. The release's rollback refuses fb
 * (RECORD_INVALID: rollback-claim.ts) and writes nothing to it; check-release-moved.ts judged only
 * native records (isMovedByHand), so fb's line read "rollback_failed … its rollback failed:
 * RECORD_INVALID … it is rolling-back from version 1 to 2 [it is shifting] … delete the record with
 * `aws lambda untag-resource …`" — a record whose CodeDeploy deployment may still run (session 70).
 * Now STALLED with the words `lshift status fb` gives, and its `--to` rollback said as it works for
 * a CodeDeploy record: it stops that deployment and leaves the record open.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS } from './world.js';

const WAYS_OUT =
  "fb is a function of release r-both01, moved to versions its deployment does not know, which the release's rollback leaves as they are: " +
  'put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1` (it stops its AWS CodeDeploy deployment if that still runs, and leaves its record open: `lshift status fb --alias live` then says what closes it); its other functions are rolled back already';

/** fa in ALARM; fb under CodeDeploy deployment `id` (running, or stopped), its alias moved onto version 3. */
async function movedCodeDeployMember(stopped: boolean) {
  const w = abandonedRelease();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-fb',
    group: 'fb-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
    appSpec: buildAppSpec({ functionName: 'fb', alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  if (stopped) await codedeploy.stopDeployment(id, false);
  w.store.seed('fb', ALIAS, { ...w.store.peek('fb', ALIAS)!, engine: 'codedeploy', codeDeployId: id });
  w.lambda.addVersion('fb');
  w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '3': 0.55 } });
  return { w, codedeploy };
}

describe('lshift check of a release whose CodeDeploy function a person moved onto a foreign version', () => {
  it.each([
    ['still running', false],
    ['stopped', true],
  ])('%s: STALLED with the words status gives, nothing written to it', async (_name, stopped) => {
    const { w, codedeploy } = await movedCodeDeployMember(stopped);
    const before = w.store.peek('fb', ALIAS);
    const stops = codedeploy.callsOf('stopDeployment').length;
    const deps = { ...w.deps, store: w.store, codedeploy };
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };
    const report = await checkReleases(deps, await runCheck(deps, request), { named: true });
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb).toMatchObject({ action: 'stalled', stalled: true, movedByHand: true });
    expect(fb.reason).toContain(
      'release r-both01: fa was rolled back by lshift check, but deployment d-1 (shifting at 20%) was moved to versions it does not know by hand and nobody will finish it: ',
    );
    expect(fb.reason).toContain(WAYS_OUT);
    expect(fb.reason).not.toContain('RECORD_INVALID');
    expect(fb.reason).not.toContain('untag-resource');
    expect(w.store.peek('fb', ALIAS)).toEqual(before);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.55 },
    });
    expect(codedeploy.callsOf('stopDeployment').length).toBe(stops);
    for (const fn of ['fa', 'fc'])
      expect(report.results.find((r) => r.functionName === fn)).toMatchObject({ action: 'rolled_back' });
    if (stopped) return;
    // Status of the release, CodeDeploy still running fb's: the same ways out.
    const statuses = await Promise.all(
      NAMES.map((functionName) =>
        getStatus(
          { ...w.deps, codedeploy },
          {
            functionName,
            alias: ALIAS,
            alarms: [`${functionName}-errors`],
            releaseMates: NAMES.filter((f) => f !== functionName).map((f) => ({
              functionName: f,
              alias: ALIAS,
            })),
          },
        ),
      ),
    );
    expect(renderReleaseStatus(statuses)).toContain(WAYS_OUT);
  });
});
