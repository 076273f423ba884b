/**
 * A stop WITHOUT its rollback, asked by lshift's deploy to keep a person's move of the alias (37%
 * under a linear 10% config), taken only after CodeDeploy's own next step had written 20% over
 * that move (found by a hostile pass, session 66, F4: the stop held, its run killed). CodeDeploy
 * Stopped, no rollback, the alias at CodeDeploy's 20%: status, check, history and wait said "the
 * move was kept" (KEPT BY HAND) of CodeDeploy's weight. A weight one of its config's later steps
 * is not known to be the person's: none of them says so, and the wait does not close the record
 * as moved by hand.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { askAboutKeptMove } from '../../src/cli/history-kept-move.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_STEP_OVER_REASON, KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, FN, linear, request } from './world.js';

const gone = { checkOwner: 'check:tester@host:97', processes: { isRunning: (pid: number) => pid === 97 } };

/** The deploy's stop refused; CodeDeploy's next step writes over the person's 37%; the stop then lands. */
async function overwrittenThenStopped() {
  const w = codeDeployWorld('Linear10PercentEvery1Minute');
  const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async () => {
    throw new OperationError('ACCESS_DENIED', 'Access denied: codedeploy:StopDeployment', {});
  };
  w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.37 },
  });
  expect((await runDeploy(w.deps, request(linear(10, 60)))).status).toBe('unsafe');
  const record = w.store.peek(FN, ALIAS);
  expect(record).toMatchObject({ endReason: KEEP_MOVE_UNCONFIRMED_REASON, percent: 10 });
  // CodeDeploy's next step, written over the person's 37% while the stop is held.
  const until = w.start + 60_000 * Math.ceil((w.clock.now() - w.start + 1) / 60_000);
  await w.clock.advance(until - w.clock.now() + 1_000);
  await w.codedeploy.getDeployment('d-FAKE1');
  const onTwo = (await w.lambda.getAlias(FN, ALIAS))?.additionalWeights['2'] ?? 0;
  expect([0.2, 0.3, 0.4]).toContain(onTwo);
  expect(await realStop('d-FAKE1', false)).toBe('stopping');
  expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
  return w;
}

describe('a stop without rollback that landed after CodeDeploy’s own later step wrote over the move', () => {
  it('status: not KEPT BY HAND, no "the move was kept"', async () => {
    const w = await overwrittenThenStopped();
    const s = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy, ...gone },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(s.record?.againstKeptMove).toBeUndefined();
    const text = renderStatus(s);
    expect(text).not.toContain('KEPT BY HAND');
    expect(text).not.toContain('the move was kept');
    expect(text).toContain('STALLED');
  });

  it('check: not "the move was kept"', async () => {
    const w = await overwrittenThenStopped();
    await w.clock.advance(4 * 60_000);
    const checked = await runCheck(
      { ...w.deps, store: w.store, codedeploy: w.codedeploy, owner: 'check:cron@host:1' } as CheckDeps,
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM], staleAfterSeconds: 120 },
    );
    expect(checked.results[0]?.reason ?? '').not.toContain('the move was kept');
  });

  it('history: not KEPT BY HAND', async () => {
    const w = await overwrittenThenStopped();
    const record = w.store.peek(FN, ALIAS);
    const alias = await w.lambda.getAlias(FN, ALIAS);
    if (!alias) throw new Error('no alias');
    const answer = await askAboutKeptMove(w.codedeploy, record, () => w.lambda.getAlias(FN, ALIAS));
    const h = buildHistory(FN, ALIAS, alias, record, w.clock.now(), false, answer);
    expect(h.latest?.outcome).not.toBe('kept by hand');
    expect(renderHistory(h)).not.toContain('KEPT BY HAND');
  });

  it('wait: does not close the record as moved by hand', async () => {
    const w = await overwrittenThenStopped();
    const deps = {
      codedeploy: w.codedeploy,
      lambda: w.lambda,
      clock: w.clock,
      events: w.sink,
      store: w.store,
    };
    const waited = await followCodeDeploy(deps, {
      deploymentId: 'd-FAKE1',
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(waited.outcome).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });
});

describe('the live run whose stop for a move by hand lands after CodeDeploy’s own later step', () => {
  it('ends unsafe, the record kept open with its mark, and says the move was not kept', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    // The stop held until CodeDeploy's next step (20%) wrote over the person's 37%.
    w.codedeploy.stopDeployment = async (id: string, autoRollback: boolean) => {
      await w.clock.advance(60_000);
      await w.codedeploy.getDeployment(id);
      return realStop(id, autoRollback);
    };
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Stopped');
    const onTwo = w.lambda.peekAlias(FN, ALIAS)?.additionalWeights['2'];
    expect(onTwo === 0.2 || onTwo === 0.3).toBe(true);
    // Before: conflict (exit 5), "leaving the alias where it was put", the record closed moved by hand.
    expect(result.status).toBe('unsafe');
    const reason = describeReason(result);
    expect(reason).not.toContain('leaving the alias where it was put');
    expect(reason).toContain('the move was not kept');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ endReason: KEEP_MOVE_STEP_OVER_REASON });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
    // Its history says the stop was seen to end and the move not kept (not "did not see the stop end").
    const record = w.store.peek(FN, ALIAS);
    const alias = await w.lambda.getAlias(FN, ALIAS);
    if (!alias) throw new Error('no alias');
    const answer = await askAboutKeptMove(w.codedeploy, record, () => w.lambda.getAlias(FN, ALIAS));
    const text = renderHistory(buildHistory(FN, ALIAS, alias, record, w.clock.now(), false, answer));
    expect(text).not.toContain('did not see the stop end');
    expect(text).toContain(
      "CodeDeploy's own later step had written over the move first: the move was not kept",
    );
    expect(text).not.toContain('KEPT BY HAND');
    // A deploy refused by it says the same, and offers no stop AWS refuses.
    await w.clock.advance(10 * 60_000);
    const refused = await runDeploy({ ...w.deps, deployments: w.codedeploy }, request(linear(10, 60))).then(
      () => undefined,
      (e: unknown) => e as { code: string; hint: string },
    );
    expect(refused?.code).toBe('DEPLOYMENT_STALE');
    expect(refused?.hint).toContain(
      "saw that stop end, but CodeDeploy's own later step had written over the move first",
    );
    expect(refused?.hint).not.toContain('stop-deployment');
  });
});
