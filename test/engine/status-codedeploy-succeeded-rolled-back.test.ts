/**
 * A CodeDeploy record lshift closed rolled back while AWS CodeDeploy's own record of the deployment
 * says Succeeded (its StopDeployment held until CodeDeploy finished, or a rollback after the
 * promote): status said only "ended: rolled-back" while the CodeDeploy console said Succeeded (h4's
 * pass, session 65; reproduced on the sandbox with StopDeployment held). Both are said now.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

async function promotedThenRolledBack() {
  const w = codeDeployWorld('Canary10Percent5Minutes');
  const deployed = await runDeploy(w.deps, request(canary(10, 300)));
  expect(deployed.status).toBe('promoted');
  const restoreDriver = createCodeDeployTrafficDriver(
    { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
    { pollSeconds: 5 },
  );
  const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
  const rolled = await rollbackClaimed(
    { ...native, store: w.store, owner: 'ops@laptop:9', trafficFor: () => restoreDriver },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
  expect(rolled.status).toBe('rolled_back');
  return w;
}

describe('status of a CodeDeploy deployment lshift rolled back that CodeDeploy says Succeeded', () => {
  it('says both: rolled back by lshift, Succeeded in CodeDeploy (exit 0)', async () => {
    const w = await promotedThenRolledBack();
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Succeeded');
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.codeDeploySucceededBeforeRollback).toBe(true);
    expect(needsOperator(status)).toBe(false);
    const text = renderStatus(status);
    // Before: "engine: AWS CodeDeploy, deployment d-FAKE1 (ended: rolled-back)", nothing more.
    expect(text).toContain(
      "engine: AWS CodeDeploy, deployment d-FAKE1 (ended: rolled-back by lshift; AWS CodeDeploy's own record of it says Succeeded: CodeDeploy had finished its shift, and lshift's rollback put the alias back itself, a write CodeDeploy does not show)",
    );
    expectValidResultOf('status', { schemaVersion: 4, ...status });
  });

  it('GetDeployment failing: the line as before, nothing guessed', async () => {
    const w = await promotedThenRolledBack();
    w.codedeploy.getDeployment = async () => {
      throw new Error('throttled');
    };
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.codeDeploySucceededBeforeRollback).toBeUndefined();
    expect(renderStatus(status)).toContain('engine: AWS CodeDeploy, deployment d-FAKE1 (ended: rolled-back)');
  });
});
