/**
 * `lshift history` of a keep-move record (a stop WITHOUT rollback, for a person's move) whose AWS
 * CodeDeploy deployment has ended without keeping the move: the stop landed after CodeDeploy's own
 * later step wrote over it (Stopped, `r=@km` or `r=@ko`). It said `IN PROGRESS` while `lshift
 * status` said STALLED (session 67's note): nothing moves the alias, nobody closes the record.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { askAboutKeptMove } from '../../src/cli/history-kept-move.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { SCHEMA_VERSION } from '../../src/cli/schema-version.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { KEEP_MOVE_STEP_OVER_REASON } from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, FN, linear, request } from './world.js';

describe('lshift history of a keep-move record CodeDeploy ended without keeping the move', () => {
  it('the run saw its stop land after CodeDeploy’s later step (r=@ko): STALLED, as status says, not IN PROGRESS', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    const realStop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = async (id: string, autoRollback: boolean) => {
      await w.clock.advance(60_000);
      await w.codedeploy.getDeployment(id);
      return realStop(id, autoRollback);
    };
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.37 },
    });
    expect((await runDeploy(w.deps, request(linear(10, 60)))).status).toBe('unsafe');
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ endReason: KEEP_MOVE_STEP_OVER_REASON });
    const alias = await w.lambda.getAlias(FN, ALIAS);
    if (!alias) throw new Error('no alias');

    const answer = await askAboutKeptMove(w.codedeploy, record, () => w.lambda.getAlias(FN, ALIAS));
    const h = buildHistory(FN, ALIAS, alias, record, w.clock.now(), false, answer);
    expect(h.latest?.outcome).toBe('stalled');
    expectValidResultOf('history', { schemaVersion: SCHEMA_VERSION, ...JSON.parse(JSON.stringify(h)) });
    const text = renderHistory(h);
    expect(text).not.toContain('IN PROGRESS');
    expect(text).toContain('latest: d-abc123 STALLED version 1 → 2');
    expect(text).toContain(
      'CodeDeploy deployment d-FAKE1 Stopped: The deployment was stopped by the user: nothing moves the alias any more, and nobody has closed its record',
    );
    const status = await getStatus(
      { ...w.deps, codedeploy: w.codedeploy },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(renderStatus(status)).toContain('STALLED');
  });
});
