/**
 * `lshift wait` of a CodeDeploy deployment that ended Succeeded over a move lshift's record then
 * closed rolled back (`lshift rollback`: "Nothing to roll back … now recorded as rolled back"), the
 * alias all on the stable version. It said "UNSAFE … Fix: lshift rollback", exit 4, and that
 * rollback said nothing was left: a loop for CI (found by a hostile pass, session 65: F7).
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const MIN = 60_000;

async function succeededThenRolledBackWorld(phase: 'rolled-back' | 'promoted', aliasOn: '1' | 'split') {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaAllAtOnce',
    description: 'lshift deploy of demo:live [lshift-run:d-ours01]',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  await w.clock.advance(10 * MIN); // CodeDeploy ends it Succeeded: all on version 2
  expect((await codedeploy.getDeployment(id))?.status).toBe('Succeeded');
  // Then `lshift rollback` puts the alias back and closes the record rolled back.
  w.lambda.moveAlias(FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: aliasOn === '1' ? {} : { '2': 0.5 },
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      id: 'd-ours01',
      engine: 'codedeploy',
      codeDeployId: id,
      phase,
      endedAt: w.clock.now() - 5_000,
      endReason: 'rolled back by lshift rollback',
    }),
  );
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
  return {
    id,
    follow: () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
  };
}

describe('lshift wait of a Succeeded deployment lshift has since recorded rolled back', () => {
  it('ends rolled back (exit 3), says why, and offers no rollback', async () => {
    const { id, follow } = await succeededThenRolledBackWorld('rolled-back', '1');
    const result = await follow();
    expect(result.outcome).toBe('rolled_back');
    expect(result.recordPhase).toBe('rolled-back');
    const text = describeFollow(result);
    expect(text).toContain(
      `✖ CodeDeploy deployment ${id} Succeeded: all traffic of demo:live is back on version 1.`,
    );
    expect(text).toContain(
      'Reason: CodeDeploy ended it Succeeded, but lshift deployment d-ours01 is recorded rolled back (rolled back by lshift rollback) and all traffic is on its stable version 1: nothing is left to roll back.',
    );
    expect(text).not.toContain('UNSAFE');
    expect(text).not.toContain('Fix:');
  });

  it('a split alias, or a record not closed rolled back, is still unsafe', async () => {
    for (const [phase, on] of [
      ['rolled-back', 'split'],
      ['promoted', '1'],
    ] as const) {
      const { follow } = await succeededThenRolledBackWorld(phase, on);
      const result = await follow();
      expect(result.outcome).toBe('unsafe');
      expect(describeFollow(result)).toContain('Fix: lshift rollback demo --alias live');
    }
  });
});
