/**
 * `lshift wait` racing the live deploy run that follows the same CodeDeploy deployment: a move by
 * hand it sees is that run's to keep (it stops CodeDeploy without its rollback), so the wait does
 * not stop it too. Found in session 65's note: the wait said nothing of the move it left to that
 * run. It says it, once, and follows on.
 */
import { describe, expect, it } from 'vitest';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function raceLiveRun() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
  // The deploy's run lives: its heartbeat stays fresh while the wait runs.
  const record = deadRecord(w, { phase: 'shifting', engine: 'codedeploy', codeDeployId: id, percent: 10 });
  w.store.seed(FN, ALIAS, { ...record, heartbeatAt: w.clock.now() });
  w.clock.every(20_000, () => w.store.seed(FN, ALIAS, { ...record, heartbeatAt: w.clock.now() }));
  w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  const deps = followDepsOf(w, codedeploy);
  const result = await followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  return { w, codedeploy, result };
}

describe('lshift wait and a move by hand its live deploy run keeps', () => {
  it('leaves the stop to that run, and says so once', async () => {
    const { w, codedeploy } = await raceLiveRun();
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    const said = w.sink.events
      .filter((e) => e.type === 'log')
      .map((e) => (e.type === 'log' ? e.message : ''))
      .filter((m) => m.includes('leaves it to that run'));
    // Before: nothing said of the move.
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('someone moved it by hand');
    expect(said[0]).toContain('the deploy run that follows this deployment (ci@runner:7');
  });
});
