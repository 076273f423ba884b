/**
 * `lshift wait` keeps a person's move it met after CodeDeploy had reached a later step than the
 * one its `--detach`ed record was handed over at: status said "stopped at step 1 (linear:10%:1m)"
 * while the wait's own words said CodeDeploy had given version 2 20% (h4's pass, session 67, F6).
 * The record closed by hand now names the step CodeDeploy had reached.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { getStatus } from '../../src/engine/status.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

describe('lshift wait: the step of a move it kept', () => {
  it('the record closed by hand at the step CodeDeploy had reached (2), not the one it was handed over at (1)', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'paused',
        engine: 'codedeploy',
        codeDeployId: id,
        strategy: 'linear:10%:1m',
        stepIndex: 0,
        percent: 10,
      }),
    );
    // 50% 80 s in: CodeDeploy had given 20% (its step 2) and can give no more by then.
    w.lambda.moveAliasAt(w.start + 80_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await followCodeDeploy(followDepsOf(w, codedeploy), {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result.outcome).toBe('moved_by_hand');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', stepIndex: 1 });
    const status = renderStatus(
      await getStatus({ ...w.deps, codedeploy }, { functionName: FN, alias: ALIAS, alarms: [] }),
    );
    // Before: "stopped at step 1 (linear:10%:1m)".
    expect(status).toContain('stopped at step 2 (linear:10%:1m)');
  });
});
