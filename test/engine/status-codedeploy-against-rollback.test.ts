/**
 * `lshift status` of a CodeDeploy deployment lshift decided to roll back (record `rolling-back`:
 * its runner's Ctrl-C whose StopDeployment was lost; `failed`: refused) while AWS CodeDeploy runs
 * it on, or ended it all on the new version. It said exit 0 and "follow it: lshift wait d-…", and
 * that wait closed it promoted (found by a hostile pass, session 60).
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN, type World } from './world.js';

function decidedRecord(w: World, id: string, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-cd0018',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:10%:1m',
    stepIndex: 0,
    percent: 10,
    phase: 'rolling-back',
    startedAt: w.start - 60_000,
    owner: 'ops@laptop:4242',
    heartbeatAt: w.start - 3_000,
    history: [],
    engine: 'codedeploy',
    codeDeployId: id,
    cause: { code: 'INTERRUPTED' },
    ...overrides,
  };
}

/** `runnerGone`: its heartbeat 30 minutes old, the run that decided the rollback gone. */
async function decidedWorld(overrides: Partial<DeploymentRecord> = {}, opts: { runnerGone?: true } = {}) {
  const w = createWorld();
  if (opts.runnerGone)
    overrides = { startedAt: w.start - 40 * 60_000, heartbeatAt: w.start - 30 * 60_000, ...overrides };
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.store.seed(FN, ALIAS, decidedRecord(w, id, overrides));
  const status = () => getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] });
  return { w, codedeploy, id, status };
}

describe('lshift status: CodeDeploy shifting against lshift’s decision to roll back', () => {
  it('rolling-back, CodeDeploy InProgress, its runner gone: exit 4, says so, and offers no "follow it"', async () => {
    const { id, status } = await decidedWorld({}, { runnerGone: true });
    const s = await status();
    expect(s.record?.againstRollback).toBe('InProgress');
    expect(needsOperator(s)).toBe(true);
    const text = renderStatus(s);
    expect(text).toContain(
      `AGAINST LSHIFT'S ROLLBACK: lshift decided to roll back deployment d-cd0018 (rolling-back), but AWS CodeDeploy deployment ${id} is InProgress, shifting traffic towards version 2 against that decision`,
    );
    expect(text).toContain('`lshift rollback demo --alias live` finishes that rollback');
    expect(text).not.toContain('follow it');
  });

  it('failed, CodeDeploy Succeeded with all traffic on version 2: exit 4, never a clean end', async () => {
    const { w, status } = await decidedWorld({ phase: 'failed' });
    await w.clock.advance(11 * 60_000);
    const s = await status();
    expect(s.split).toBe(false);
    expect(s.record?.againstRollback).toBe('Succeeded');
    expect(needsOperator(s)).toBe(true);
    expect(renderStatus(s)).toContain('against that decision: alias live routes all traffic to version 2');
  });

  it('rolled back by CodeDeploy (alias all on version 1): nothing against the decision', async () => {
    const { codedeploy, id, status } = await decidedWorld();
    await codedeploy.stopDeployment(id, true);
    const s = await status();
    expect(s.record?.againstRollback).toBeUndefined();
  });

  // Found by a hostile pass (F4 of session 60): every Ctrl-C or alarm rollback of a CodeDeploy
  // deploy read "AGAINST LSHIFT'S ROLLBACK", exit 4, while its StopDeployment was in flight.
  it('rolling-back, CodeDeploy InProgress, its runner alive: being rolled back by it, not exit 4', async () => {
    const { id, status } = await decidedWorld();
    const s = await status();
    expect(s.record?.againstRollback).toBeUndefined();
    expect(s.record?.rollingBackByRunner).toMatchObject({ codeDeployStatus: 'InProgress' });
    expect(s.record?.rollingBackByRunner?.runner).toMatch(/^ops@laptop:4242, heartbeat 3s ago/);
    expect(needsOperator(s)).toBe(false);
    expect(() => expectValidResultOf('status', { schemaVersion: 4, ...s })).not.toThrow();
    const text = renderStatus(s);
    expect(text).toContain(
      `engine: AWS CodeDeploy, deployment ${id} (InProgress): being rolled back by its runner ops@laptop:4242, heartbeat 3s ago, which stops it and puts all traffic back on version 1`,
    );
    expect(text).not.toMatch(/AGAINST|follow it/);
  });
});
