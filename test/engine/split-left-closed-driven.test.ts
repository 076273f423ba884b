/**
 * A split its deploy met and left, its record closed (split-left-closed.ts), that another AWS
 * CodeDeploy deployment on the function's group now drives (a hotfix's `aws deploy
 * create-deployment`, a SAM deploy): status, check and preflight leave it to that deployment —
 * no STALLED, no rollback that would write beside it. Untested until session 69 (h3's brief): the
 * fake's foreign deployment named no alias and never drove a split (fake-codedeploy.ts startForeign
 * `drives`).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { findCodeDeployDriver } from '../../src/engine/codedeploy-split-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runPreflight } from '../../src/engine/preflight.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, canary, FN, request } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

/** A CodeDeploy deploy keeps a person's split (closed `weights changed by hand`); then a hotfix deployment drives the alias. */
async function drivenAfterKeptSplit(drives = true) {
  const w = codeDeployWorld('Canary10Percent15Minutes');
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.37 },
  });
  const result = await runDeploy(w.deps, request(canary(10, 900)));
  expect(exitCodeForStatus(result.status)).toBe(4);
  expect(w.store.peek(FN, ALIAS)).toMatchObject({
    phase: 'rolled-back',
    endReason: 'weights changed by hand',
  });
  const hotfix = w.codedeploy.startForeign(
    { ...GROUP, config: 'CodeDeployDefault.LambdaCanary10Percent30Minutes', description: 'hotfix' },
    drives
      ? { functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2', weight: 0.1 }
      : undefined,
  );
  if (!drives) w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const codeDeployGroupOf = () => GROUP;
  return { w, hotfix, codeDeployGroupOf };
}

describe('a split left by a closed deployment, driven by another CodeDeploy deployment on its group', () => {
  it('the fake’s foreign deployment drives it: named by its AppSpec, the alias at its weight', async () => {
    const { w, hotfix } = await drivenAfterKeptSplit();
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
    });
    const split = {
      functionName: FN,
      alias: ALIAS,
      routing: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
    };
    expect(await findCodeDeployDriver(w.codedeploy, GROUP, split)).toBe(`${hotfix} (InProgress, "hotfix")`);
  });

  it('status: names that deployment, not STALLED, exit 0', async () => {
    const { w, hotfix, codeDeployGroupOf } = await drivenAfterKeptSplit();
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, codeDeployGroupOf },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.splitByOtherDeployment).toBe(`${hotfix} (InProgress, "hotfix")`);
    expect(status.record?.stalled).toBeUndefined();
    expect(needsOperator(status)).toBe(false);
    const text = renderStatus(status);
    expect(text).toContain(
      `driven by another CodeDeploy deployment on its group: ${hotfix} (InProgress, "hotfix")`,
    );
    expect(text).toContain(`follow it with \`lshift wait ${hotfix} --on-interrupt leave\``);
    expect(text).not.toContain('STALLED');
    expect(text).not.toContain('lshift rollback');
  });

  it('check: left to it (skipped, not stalled), exit 0, nothing written', async () => {
    const { w, hotfix, codeDeployGroupOf } = await drivenAfterKeptSplit();
    await w.clock.advance(4 * 60_000);
    const checked = await runCheck(
      {
        ...w.deps,
        store: w.store,
        codedeploy: w.codedeploy,
        codeDeployGroupOf,
        owner: 'check:cron@host:1',
      } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(checked.results[0]).toMatchObject({ action: 'skipped' });
    expect(checked.results[0]?.stalled).toBeUndefined();
    expect(checked.results[0]?.reason).toContain(
      `driven by another CodeDeploy deployment on its group: ${hotfix} (InProgress, "hotfix"); left to it`,
    );
    expect(exitCodeForCheck(checked)).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ additionalWeights: { '2': 0.1 } });
  });

  it('preflight: refuses the split (exit 5) naming that deployment, offering no rollback and no --supersede', async () => {
    const { w, hotfix } = await drivenAfterKeptSplit();
    const driver = (split: Parameters<typeof findCodeDeployDriver>[2]) =>
      findCodeDeployDriver(w.codedeploy, GROUP, split);
    const error = (await runPreflight(
      { ...w.deps, codeDeploySplitDriver: driver },
      { functionName: FN, alias: ALIAS, targetVersion: '2', alarms: [ALARM] },
    ).catch((e: unknown) => e)) as { code: string; exitCode: number; message: string; hint: string };
    expect(error).toMatchObject({ code: 'SHIFT_IN_PROGRESS', exitCode: 5 });
    // Before: "deployment d-abc123 met it split by someone else and left it …; no lshift deployment
    // drives that split", and `lshift rollback` or `--supersede`, which would write beside the hotfix.
    expect(error.message).toBe(
      `Alias live of function demo is already split (version 1 plus version 2 at 10%), driven by another AWS CodeDeploy deployment on its group: ${hotfix} (InProgress, "hotfix"); lshift leaves it to that deployment.`,
    );
    expect(error.hint).toBe(
      `Follow it with \`lshift wait ${hotfix} --on-interrupt leave\` (or \`aws deploy get-deployment --deployment-id ${hotfix}\`), and deploy once it has ended.`,
    );
  });

  it('a deployment on the group that does not name the alias drives nothing: status STALLED, preflight offers the rollback', async () => {
    const { w, codeDeployGroupOf } = await drivenAfterKeptSplit(false);
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, codeDeployGroupOf },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.splitByOtherDeployment).toBeUndefined();
    expect(renderStatus(status)).toContain('STALLED');
    const error = (await runPreflight(
      { ...w.deps, codeDeploySplitDriver: (split) => findCodeDeployDriver(w.codedeploy, GROUP, split) },
      { functionName: FN, alias: ALIAS, targetVersion: '2', alarms: [ALARM] },
    ).catch((e: unknown) => e)) as { message: string; hint: string };
    expect(error.message).toContain('no lshift deployment drives that split');
    expect(error.hint).toContain('lshift rollback demo --alias live');
  });
});
