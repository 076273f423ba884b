/**
 * status, `deploy --resume` and `lshift check` agree on who drives a CodeDeploy record's alias
 * (codedeploy-split-rule.ts, h3's s71 brief). Status named any deployment running on the ended
 * one's group as the driver ("follow it") where resume and check called the split nobody's; check
 * called a split another deployment drives STALLED ("with nobody to finish it", exit 4) where
 * status said "follow it"; resume offered `lshift wait` of its own, ended, deployment. And a move
 * by hand under a deployment CodeDeploy still runs read "nobody will finish it" beside "follow it:
 * `lshift wait`".
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { runCheck } from '../../src/engine/check.js';
import { findCodeDeployDriver } from '../../src/engine/codedeploy-split-driver.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, resumeRequest } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

/** demo:live at 10% under CodeDeploy deployment `id`, its runner long gone. */
async function detached() {
  const w = createWorld();
  w.lambda.addVersion(FN);
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    ...GROUP,
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      engine: 'codedeploy',
      codeDeployId: id,
      strategy: 'canary:10%:90m',
      stepIndex: 0,
      percent: 10,
    }),
  );
  const resumeDeps = {
    ...w.deps,
    deployments: codedeploy,
    codeDeploySplitDriver: (split: Parameters<typeof findCodeDeployDriver>[2]) =>
      findCodeDeployDriver(codedeploy, GROUP, split),
  };
  const status = (alarms: string[] = []) =>
    getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms });
  const check = async () =>
    (
      await runCheck(
        { ...w.deps, store: w.store, codedeploy },
        { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
      )
    ).results[0]!;
  const resume = () =>
    resumeDeploy(resumeDeps, resumeRequest()).then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string; hint: string },
    );
  return { w, codedeploy, id, status, check, resume };
}

describe('who drives a CodeDeploy record’s split: status, check and --resume agree', () => {
  it('ended, another alias’s deployment running on its group: nobody drives the split — STALLED everywhere', async () => {
    const { w, codedeploy, id, status, check, resume } = await detached();
    await codedeploy.stopDeployment(id, false);
    w.lambda.addAlias(FN, 'staging', '1');
    codedeploy.startForeign(
      { ...GROUP, config: 'x', description: 'staging hotfix' },
      { functionName: FN, alias: 'staging', currentVersion: '1', targetVersion: '3', weight: 0 },
    );
    const seen = await status();
    expect(seen.record?.splitByOtherDeployment).toBeUndefined();
    expect(seen.record?.leftSplitByCodeDeploy).toBe(true);
    expect(renderStatus(seen)).toContain('with nobody to finish it');
    expect(renderStatus(seen)).not.toContain('driven by another');
    expect(needsOperator(seen)).toBe(true);
    expect(await check()).toMatchObject({ stalled: true });
    expect(await resume()).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 4 });
  });

  it('ended, a deployment moving this alias between the split’s versions: left to it everywhere, named', async () => {
    const { codedeploy, id, status, check, resume } = await detached();
    await codedeploy.stopDeployment(id, false);
    const other = codedeploy.startForeign(
      { ...GROUP, config: 'x', description: 'hotfix' },
      { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 },
    );
    const named = `${other} (InProgress, "hotfix")`;
    const seen = await status();
    expect(seen.record?.splitByOtherDeployment).toBe(named);
    expect(needsOperator(seen)).toBe(false);
    expect(renderStatus(seen)).toContain(`follow it with \`lshift wait ${other} --on-interrupt leave\``);
    const checked = await check();
    expect(checked.stalled).toBeUndefined();
    expect(checked.reason).toContain(`driven by another CodeDeploy deployment on its group: ${named}`);
    expect(checked.reason).toContain(`\`lshift wait ${other} --on-interrupt leave\``);
    expect(checked.reason).not.toContain('nobody');
    const refusal = await resume();
    expect(refusal).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
    expect(refusal?.message).toContain(`driven by another CodeDeploy deployment on its group: ${named}`);
    expect(refusal?.message).not.toContain('carries on without lshift');
    expect(refusal?.hint).toContain(`\`lshift wait ${other} --on-interrupt leave\``);
    expect(refusal?.hint).not.toContain(`lshift wait ${id}`);
  });

  it('moved by hand while CodeDeploy still runs it: CodeDeploy drives it, never "nobody will finish it"', async () => {
    const { w, id, status, resume } = await detached();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const text = renderStatus(await status());
    expect(text).not.toContain('nobody will finish it');
    expect(text).not.toContain('lshift alias');
    expect(text).toContain(
      `someone moved it by hand while AWS CodeDeploy still runs deployment ${id} (InProgress), whose next step writes the alias again over the move`,
    );
    expect(text).toContain(`to keep the move: \`lshift wait ${id}\` stops it WITHOUT its rollback`);
    const refusal = await resume();
    expect(refusal).toMatchObject({ code: 'CODEDEPLOY_NOT_RESUMABLE', exitCode: 2 });
    expect(refusal?.hint).toContain(`\`lshift wait ${id}\``);
  });

  // h3's s71 round 2: it tried a rollback `lshift rollback` refuses beside a running deployment
  // (CODEDEPLOY_GROUP_BUSY, exit 5) and said only that.
  it.each([
    [
      'watches no alarm',
      [] as string[],
      'its group lshift-demo/demo-live stops deployments on no alarm: nothing stops it on this one',
    ],
    [
      'watches the alarm',
      [ALARM],
      `its group lshift-demo/demo-live stops deployments on ${ALARM} (CodeDeploy stops it itself only if the alarm in ALARM is one of those)`,
    ],
  ])(
    'ended, another deployment drives the split, an alarm in ALARM (its group %s): STALLED, nothing written beside it',
    async (_name, alarms, watch) => {
      const { w, codedeploy, id, check, status } = await detached();
      await codedeploy.stopDeployment(id, false);
      await codedeploy.createDeploymentGroup({
        ...GROUP,
        serviceRoleArn: 'arn:aws:iam::1:role/cd',
        config: 'x',
        alarms,
      });
      const other = codedeploy.startForeign(
        { ...GROUP, config: 'x', description: 'hotfix' },
        { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 },
      );
      w.metrics.setAlarm(ALARM, 'ALARM');
      const before = w.store.peek(FN, ALIAS);
      const stops = codedeploy.callsOf('stopDeployment').length;
      const checked = await check();
      expect(checked).toMatchObject({ action: 'stalled', stalled: true });
      expect(checked.reason).toContain(
        `driven by another CodeDeploy deployment on its group: ${other} (InProgress, "hotfix"), so lshift rolled nothing back beside it (\`lshift rollback\` refuses while it runs: CODEDEPLOY_GROUP_BUSY); ${watch}: \`aws deploy stop-deployment --deployment-id ${other} --auto-rollback-enabled\` stops it with its rollback, then \`lshift rollback ${FN} --alias ${ALIAS}\` if the alias is still split`,
      );
      expect(checked.reason).not.toContain('its rollback failed');
      // Status agreed it was driven ("follow it", exit 0) while check exited 4 (h3's s71 round 3).
      const seen = await status([ALARM]);
      expect(needsOperator(seen)).toBe(true);
      expect(seen.record?.stalled).toBe(true);
      const text = renderStatus(seen);
      expect(text).toContain(`    STALLED: alarm ${ALARM} is ALARM`);
      expect(text).toContain(checked.reason!.slice(checked.reason!.indexOf('; alias live routes')));
      expect(text).not.toContain('follow it');
      // Without --alarm (or with it OK) it is the driver's: followed, exit 0, as before.
      expect(needsOperator(await status())).toBe(false);
      expect(codedeploy.callsOf('stopDeployment').length).toBe(stops);
      expect(w.store.peek(FN, ALIAS)).toEqual(before);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
        functionVersion: '1',
        additionalWeights: { '2': 0.1 },
      });
    },
  );
});
