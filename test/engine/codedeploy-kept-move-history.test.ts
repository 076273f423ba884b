/**
 * `lshift history` of a record left open by a stop WITHOUT rollback (kept for a person's move of
 * the alias) that lshift did not see end. Found in session 65's note: once CodeDeploy ended the
 * deployment Succeeded over the move, `lshift status` said OVERRIDDEN (exit 4) while history said
 * `IN PROGRESS`. It asks CodeDeploy (one GetDeployment) and says what status says.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { askAboutKeptMove } from '../../src/cli/history-kept-move.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

/** The deploy's stop without rollback refused: the record keeps the keep-move mark, open. */
async function refusedStop() {
  const w = codeDeployWorld('Canary10Percent15Minutes');
  const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = async () => {
    throw new OperationError('ACCESS_DENIED', 'Access denied: codedeploy:StopDeployment', {});
  };
  w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
    functionVersion: '1',
    additionalWeights: { '2': 0.5 },
  });
  expect((await runDeploy(w.deps, request(canary(10, 900)))).status).toBe('unsafe');
  const history = async () => {
    const record = w.store.peek(FN, ALIAS);
    const alias = await w.lambda.getAlias(FN, ALIAS);
    if (!alias) throw new Error('no alias');
    const answer = await askAboutKeptMove(w.codedeploy, record, () => w.lambda.getAlias(FN, ALIAS));
    return buildHistory(FN, ALIAS, alias, record, w.clock.now(), false, answer);
  };
  return { w, realStop, history };
}

describe('lshift history of a kept-move record', () => {
  it('CodeDeploy Succeeded over the move: OVERRIDDEN, not IN PROGRESS', async () => {
    const { w, history } = await refusedStop();
    await w.clock.advance(20 * 60_000);
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Succeeded');
    const h = await history();
    expect(h.latest?.outcome).toBe('overridden');
    const text = renderHistory(h);
    expect(text).toContain('latest: d-');
    expect(text).toContain('OVERRIDDEN version 1 → 2');
    expect(text).not.toContain('IN PROGRESS');
    expect(text).toContain('CodeDeploy then ended it Succeeded, moving the alias over that move');
    expectValidResultOf('history', { schemaVersion: 4, ...h });
  });

  it('the stop landed late, the move kept: KEPT BY HAND', async () => {
    const { w, realStop, history } = await refusedStop();
    expect(await realStop('d-FAKE1', false)).toBe('stopping');
    const h = await history();
    expect(h.latest?.outcome).toBe('kept by hand');
    expect(renderHistory(h)).toContain('KEPT BY HAND version 1 → 2');
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
  });

  it('CodeDeploy still runs it: IN PROGRESS, saying the stop was not seen to end and what CodeDeploy says', async () => {
    const { history } = await refusedStop();
    const h = await history();
    expect(h.latest?.outcome).toBe('in progress');
    expect(h.latest?.reason).toContain('did not see the stop end; AWS CodeDeploy says it is InProgress');
  });
});
