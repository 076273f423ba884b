/**
 * `lshift rollback --to <its own new version>` of an unfinished `--engine codedeploy` deployment
 * closes it promoted (moved by hand), as `lshift alias` onto that version would (d863e7d6). Until
 * now that close was untested against a concurrent stop: someone stopped the CodeDeploy deployment
 * WITH its rollback, whose rollback deployment (CodeDeploy's own, back to version 1) still runs.
 * The rollback waits for that rollback to end before it writes, so its move to version 2 is the
 * last one: the alias stays on 2 once CodeDeploy is done, and the record says what the alias holds.
 * Coverage of behaviour that was already right (no fix: nothing to be red without).
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };

describe('rollback --to its own new version beside a stop with rollback', () => {
  it('waits for CodeDeploy’s rollback, then moves the alias to 2 and closes it promoted (moved by hand)', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda).slowRollbacks(60_000);
    const record = deadRecord(w, {
      engine: 'codedeploy',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 10,
    });
    const id = await codedeploy.createDeployment({
      ...GROUP,
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      description: `lshift deploy of demo:live [lshift-run:${record.id}]`,
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    await w.clock.advance(1000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
    });
    leaveDeployment(w, { ...record, codeDeployId: id });
    // Someone's stop with auto-rollback: CodeDeploy's rollback deployment runs for 60 s.
    await codedeploy.stopDeployment(id, true);
    const driver = createCodeDeployTrafficDriver(
      { codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5, group: GROUP, runToken: record.id },
    );
    const startedAt = w.clock.now();
    const result = await rollbackDeployment(
      { ...w.deps, store: w.store, trafficFor: () => driver, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'manual', to: '2' },
    );

    expect(result.status).toBe('rolled_back');
    // Its one alias write came after CodeDeploy's rollback ended.
    expect((await codedeploy.getDeployment(`${id}-rb`)).status).toBe('Succeeded');
    expect(w.clock.now() - startedAt).toBeGreaterThanOrEqual(60_000);
    expect(w.lambda.aliasWrites()).toEqual([
      expect.objectContaining({ functionVersion: '2', additionalWeights: {} }),
    ]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      endReason: 'moved by hand',
      codeDeployId: id,
    });
    await w.clock.advance(120_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });
});
