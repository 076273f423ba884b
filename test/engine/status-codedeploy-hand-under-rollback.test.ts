/**
 * `lshift status` after a second Ctrl-C: a person split the alias 37% by hand at a canary's 10%
 * step, the deploy's Ctrl-C decided the rollback (record `rolling-back`), its StopDeployment held,
 * and a second Ctrl-C exited. CodeDeploy runs on (InProgress). Reproduced on the sandbox (session
 * 67): status said "AWS CodeDeploy deployment d-… is InProgress, shifting traffic towards version 2
 * against that decision (alias live routes version 1 (63%) + version 2 (37%) now)": a person's
 * move called CodeDeploy's. Now it names the person's move.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN } from './world.js';

async function decidedUnder(config: string) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config,
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  await w.clock.advance(60_000);
  await codedeploy.getDeployment(id);
  w.store.seed(FN, ALIAS, {
    id: 'd-cd0067',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:15m',
    stepIndex: 0,
    percent: 10,
    phase: 'rolling-back',
    startedAt: w.start - 40 * 60_000,
    owner: 'ops@laptop:4242',
    heartbeatAt: w.start - 30 * 60_000,
    history: [],
    engine: 'codedeploy',
    codeDeployId: id,
    cause: { code: 'INTERRUPTED' },
  });
  const status = () => getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
  return { w, id, status };
}

describe('lshift status: a person’s split under a CodeDeploy deployment lshift decided to roll back', () => {
  it('37% by hand under a 10% canary: named as a person’s move, not "CodeDeploy shifting"; still exit 4 with the rollback', async () => {
    const { w, id, status } = await decidedUnder('CodeDeployDefault.LambdaCanary10Percent15Minutes');
    w.lambda.moveAliasAt(w.clock.now(), FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    const s = await status();

    expect(s.record?.againstRollback).toBe('InProgress');
    expect(needsOperator(s)).toBe(true);
    const text = renderStatus(s);
    expect(text).not.toContain('shifting traffic towards version 2');
    expect(text).toContain(
      `AGAINST LSHIFT'S ROLLBACK: lshift decided to roll back deployment d-cd0067 (rolling-back), but AWS CodeDeploy deployment ${id} is InProgress against that decision, and alias live routes version 1 (63%) + version 2 (37%), which AWS CodeDeploy did not write (lshift last saw it give version 2 10%; its config CodeDeployDefault.LambdaCanary10Percent15Minutes gives 10%, 100%): someone moved it by hand, and CodeDeploy may move the alias over that move at its next step`,
    );
    expect(text).toContain("puts all traffic back on version 1, over that person's move)");
  });

  it('CodeDeploy’s own 10%: said as before, CodeDeploy shifting', async () => {
    const { status } = await decidedUnder('CodeDeployDefault.LambdaCanary10Percent15Minutes');
    const s = await status();
    expect(s.record?.againstRollbackByHand).toBeUndefined();
    expect(renderStatus(s)).toContain(
      'is InProgress, shifting traffic towards version 2 against that decision',
    );
  });

  it('a third version by hand under a linear config: a person’s move', async () => {
    const { w, status } = await decidedUnder('CodeDeployDefault.LambdaLinear10PercentEvery10Minutes');
    w.lambda.moveAliasAt(w.clock.now(), FN, ALIAS, { functionVersion: '3', additionalWeights: {} });
    const s = await status();
    expect(s.record?.againstRollbackByHand).toMatch(
      /^alias live routes version 3 \(100%\), which AWS CodeDeploy did not write/,
    );
  });
});
