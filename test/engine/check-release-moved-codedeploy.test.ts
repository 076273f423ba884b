/**
 * `lshift check` rolling back a release one of whose functions, fb, has a CodeDeploy record and an
 * alias a person moved onto a version its deployment never wrote. The release's rollback refuses fb
 * (RECORD_INVALID: rollback-claim.ts) and writes nothing to it; check-release-moved.ts judged only
 * native records (isMovedByHand), so fb's line read "rollback_failed … its rollback failed:
 * RECORD_INVALID … it is rolling-back from version 1 to 2 [it is shifting] … delete the record with
 * `aws lambda untag-resource …`" — a record whose CodeDeploy deployment may still run (session 70).
 * Now STALLED with the words `lshift status fb` gives, and its `--to` rollback said as it works for
 * a CodeDeploy record: it stops that deployment and leaves the record open.
 * And a deployment still running is stopped WITHOUT its rollback (check-release-moved-stop.ts): its
 * next step wrote the alias again over the move, towards version 2, which the release was rolled
 * back from, while the check said "nobody will finish it" (h3's s71 round 2).
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
  ])(
    '%s: STALLED with the words status gives, its alias and record left as they are',
    async (_name, stopped) => {
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
      const stop = stopped
        ? ' and nobody will finish it: '
        : '; AWS CodeDeploy still ran deployment d-FAKE1 (InProgress), whose next step would have written the alias again over the move, towards version 2, which the release is rolled back from: lshift check stopped AWS CodeDeploy deployment d-FAKE1 without its rollback, leaving the alias where it was put; nobody will finish it: ';
      expect(fb.reason).toContain(
        `release r-both01: fa was rolled back by lshift check, but deployment d-1 (shifting at 20%) was moved to versions it does not know by hand${stop}`,
      );
      expect(fb.reason).toContain(WAYS_OUT);
      expect(fb.reason).not.toContain('RECORD_INVALID');
      expect(fb.reason).not.toContain('untag-resource');
      expect(w.store.peek('fb', ALIAS)).toEqual(before);
      expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
        functionVersion: '1',
        additionalWeights: { '3': 0.55 },
      });
      // The running one stopped without its rollback (the move kept); a stopped one is not stopped again.
      expect(
        codedeploy
          .callsOf('stopDeployment')
          .slice(stops)
          .map((c) => c.args),
      ).toEqual(stopped ? [] : [['d-FAKE1', false]]);
      // CodeDeploy's steps are over: an hour on, the alias is where the person put it, never on version 2.
      await w.clock.advance(3_600_000);
      expect((await codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
      expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
        functionVersion: '1',
        additionalWeights: { '3': 0.55 },
      });
      for (const fn of ['fa', 'fc'])
        expect(report.results.find((r) => r.functionName === fn)).toMatchObject({ action: 'rolled_back' });
      if (stopped) return;
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
      // Status once the check stopped fb's deployment: STALLED, as the check says, with its way out.
      const shown = renderReleaseStatus(statuses);
      expect(shown).toContain(
        'STALLED: CodeDeploy deployment d-FAKE1 Stopped: The deployment was stopped by the user; alias live routes version 1 (45%) + version 3 (55%) with nobody to finish it',
      );
      expect(shown).toContain('`lshift rollback fb --alias live --to 1` puts all traffic back on version 1');
    },
  );

  // h3's s71 round 3: a check that FINISHES a release rollback an earlier check began and died in goes
  // through the same rollBackMates: it stops fb's running deployment too, without its rollback.
  it('a check finishing a rollback another check began and died in stops it too, without its rollback', async () => {
    const { w, codedeploy } = await movedCodeDeployMember(false);
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
    };
    // The check that dies: it rolls fa back (runCheck) and is killed before the release's others.
    const dead = { ...w.deps, store: w.store, codedeploy, owner: 'check:cron@host-a:1' };
    const first = await runCheck(dead, request);
    expect(first.results.find((r) => r.functionName === 'fa')).toMatchObject({ action: 'rolled_back' });
    expect(w.store.peek('fa', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-a:1' });
    expect((await codedeploy.getDeployment('d-FAKE1')).status).toBe('InProgress');
    const stops = codedeploy.callsOf('stopDeployment').length;
    const next = { ...w.deps, store: w.store, codedeploy, owner: 'check:cron@host-b:2' };
    const report = await checkReleases(next, await runCheck(next, request), { named: true });
    const fb = report.results.find((r) => r.functionName === 'fb')!;
    expect(fb).toMatchObject({ action: 'stalled', stalled: true, movedByHand: true });
    expect(fb.reason).toContain(
      'AWS CodeDeploy still ran deployment d-FAKE1 (InProgress), whose next step would have written the alias again over the move, towards version 2, which the release is rolled back from: lshift check stopped AWS CodeDeploy deployment d-FAKE1 without its rollback, leaving the alias where it was put',
    );
    expect(fb.reason).toContain(WAYS_OUT);
    expect(
      codedeploy
        .callsOf('stopDeployment')
        .slice(stops)
        .map((c) => c.args),
    ).toEqual([['d-FAKE1', false]]);
    expect(report.results.find((r) => r.functionName === 'fc')).toMatchObject({ action: 'rolled_back' });
    await w.clock.advance(3_600_000);
    expect((await codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '3': 0.55 },
    });
  });

  it('status before any check: CodeDeploy writes over the move towards version 2, and what stops it', async () => {
    const { w, codedeploy } = await movedCodeDeployMember(false);
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
    const shown = renderReleaseStatus(statuses);
    expect(shown).toContain(
      "    the alias no longer routes between this deployment's versions: someone moved it by hand while AWS CodeDeploy still runs deployment d-FAKE1 (InProgress), whose next step writes the alias again over the move, towards version 2: `lshift wait d-FAKE1` stops it WITHOUT its rollback (the move stays) and closes the record as moved by hand; a `lshift check` that rolls release r-both01 back stops it so too",
    );
    expect(shown).not.toContain('nobody will finish it');
    expect(shown).toContain(
      'put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1`',
    );
    // Its others' resume is theirs, not fb's CodeDeploy deployment's wait (it said `lshift wait d-FAKE1`).
    expect(shown).toContain(
      'then resume its other functions with `lshift deploy fa fc --alias live --resume`',
    );
    expect(shown).not.toContain('resume its other functions with `lshift wait');
  });
});
