/**
 * `lshift wait` of a CodeDeploy deployment that ended long before, its alias since taken by a
 * later lshift deployment (here a native one at 20%, after this one was stopped by hand). It said
 * "UNSAFE … a human must look", exit 4, with `Fix: lshift rollback` — which rolls the later,
 * healthy deployment back (found by a hostile pass: /tmp/h3/cd-oldwait.sh).
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const MIN = 60_000;

async function endedThenTakenWorld(laterRecord: 'later' | 'ours' | 'earlier') {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    description: 'lshift deploy of demo:live [lshift-run:d-first1]',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  await w.clock.advance(30_000);
  await codedeploy.stopDeployment(id, true);
  await w.clock.advance(5 * MIN); // CodeDeploy's rollback ends: all on version 1
  await codedeploy.getDeployment(id);
  // Then a later deploy of version 2 moves the alias to 20% itself.
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
  const startedAt = {
    later: w.clock.now() - MIN,
    ours: w.clock.now() - MIN,
    earlier: w.start - 60 * MIN,
  }[laterRecord];
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      id: laterRecord === 'ours' ? 'd-first1' : 'd-later1',
      ...(laterRecord === 'ours' ? { engine: 'codedeploy' as const } : {}),
      owner: 'ann@desk:41',
      startedAt,
      heartbeatAt: w.clock.now() - 5_000,
    }),
  );
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
  return {
    w,
    id,
    follow: () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
  };
}

describe('lshift wait of a deployment whose alias a later lshift deployment holds now', () => {
  it('is judged by CodeDeploy’s word, names the holder, advises no rollback and closes nothing', async () => {
    const { w, id, follow } = await endedThenTakenWorld('later');
    const result = await follow();
    expect(result.outcome).toBe('rolled_back');
    expect(result.heldBy).toBe(
      'lshift deployment d-later1 (shifting at 20%, version 1 → 2, owner ann@desk:41)',
    );
    expect(result.recordPhase).toBeUndefined();
    expect((await w.store.read(FN, ALIAS))?.phase).toBe('shifting');
    const text = describeFollow(result);
    expect(text).toContain(
      `✖ CodeDeploy deployment ${id} ended Stopped; demo:live has been taken since by lshift deployment d-later1 (shifting at 20%, version 1 → 2, owner ann@desk:41), and routes version 1 (80%) + version 2 (20%): that deployment's traffic, not this one's. Nothing was changed.`,
    );
    expect(text).not.toContain('UNSAFE');
    expect(text).not.toContain('lshift rollback');
  });

  it('its own record (or one from before it) still leaves an alias CodeDeploy did not leave so unsafe', async () => {
    for (const which of ['ours', 'earlier'] as const) {
      const { follow } = await endedThenTakenWorld(which);
      const result = await follow();
      expect(result.outcome).toBe('unsafe');
      expect(result.heldBy).toBeUndefined();
      expect(describeFollow(result)).toContain('Fix: lshift rollback demo --alias live');
    }
  });
});
