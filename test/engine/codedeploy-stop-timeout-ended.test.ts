/**
 * A stop WITHOUT rollback (to keep a person's move of the alias) that times out while AWS
 * CodeDeploy has already ended the deployment Succeeded: CodeDeploy's last step moved the alias
 * over the move. Found in session 65's note: the run ended "CodeDeploy may move it again" and
 * offered `aws deploy stop-deployment …`, which AWS refuses on an ended deployment (status then
 * said OVERRIDDEN right). CodeDeploy is read once after the failed stop: the run ends as when the
 * stop is refused (DeploymentAlreadyCompletedException).
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { withReason } from '../../src/cli/describe-outcome.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { isKeepMoveUnconfirmed } from '../../src/engine/record-view.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, createWorld, deadRecord, FN, request } from './world.js';

const TIMEOUT = () =>
  new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});

/** The stop goes out after CodeDeploy's 100% step (5 min), then times out without an answer. */
function timeOutAfterSuccess(
  w: { clock: { now(): number; advance(ms: number): Promise<void> }; start: number },
  cd: FakeCodeDeploy,
) {
  cd.stopDeployment = async () => {
    if (w.clock.now() < w.start + 300_000) await w.clock.advance(w.start + 301_000 - w.clock.now());
    throw TIMEOUT();
  };
}

describe('a stop without rollback that times out', () => {
  it('deploy: CodeDeploy had Succeeded over the move: UNSAFE naming that, the rollback offered, not the stop AWS refuses', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    timeOutAfterSuccess(w, w.codedeploy);
    const result = await runDeploy(w.deps, request(canary(10, 300)));

    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({
      code: 'ALIAS_CHANGED',
      data: { codeDeploySucceededOver: 'd-FAKE1' },
    });
    const text = renderDeployResult(withReason(result));
    // Before: "lshift could not stop it: CodeDeploy may move it again", Fix: aws deploy stop-deployment.
    expect(text).not.toContain('may move it again');
    expect(text).not.toContain('stop-deployment');
    expect(text).toContain("CodeDeploy ended it Succeeded before lshift's stop reached it");
    expect(text).toContain(
      "lshift's stop of AWS CodeDeploy deployment d-FAKE1 failed (NETWORK_ERROR: codedeploy:StopDeployment timed out after 30 s), but CodeDeploy says the deployment had ended: it Succeeded (nothing was stopped)",
    );
    expect(text).toContain('lshift rollback');
    expect(isKeepMoveUnconfirmed(w.store.peek(FN, ALIAS)!)).toBe(true);
  });

  it('deploy: the stop took though its answer was lost (CodeDeploy Stopped, no rollback): the move kept, as a stop seen to end', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
    w.codedeploy.stopDeployment = async (id: string, rollback: boolean) => {
      await stop(id, rollback);
      throw TIMEOUT();
    };
    const result = await runDeploy(w.deps, request(canary(10, 900)));
    // A split nobody drives: exit 4, as any stop seen to end over one (5 until session 68).
    expect(result.status).toBe('unsafe');
    const text = renderDeployResult(withReason(result));
    // Not "it moves the alias no more": that Stopped may be someone's stop with its rollback to
    // come (h3's s69 F4, codedeploy-keep-stop-lost-no-step.test.ts).
    expect(text).toContain(
      "but CodeDeploy then said the deployment Stopped with no rollback named (that stop, or someone else's: not known)",
    );
    expect(text).not.toContain('may move it again');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('deploy: CodeDeploy still runs after the failed stop: the stop offered, as before', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    w.lambda.moveAliasAt(w.start + 120_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    w.codedeploy.stopDeployment = async () => {
      throw TIMEOUT();
    };
    const result = await runDeploy(w.deps, request(canary(10, 900)));
    expect(result.status).toBe('unsafe');
    expect(renderDeployResult(withReason(result))).toContain('CodeDeploy may move it again');
  });

  it('lshift wait: the same Succeeded under a timed-out stop ends UNSAFE naming it, no stop offered', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
    );
    w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    timeOutAfterSuccess(w, codedeploy);
    const deps = followDepsOf(w, codedeploy);
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result).toMatchObject({ outcome: 'unsafe', status: 'Succeeded' });
    expect(result.fixCommand ?? '').not.toContain('stop-deployment');
    const text = describeFollow(result);
    expect(text).toContain("CodeDeploy's last step had moved the alias over that move");
    expect(text).not.toContain('stop-deployment');
    expect(isKeepMoveUnconfirmed(w.store.peek(FN, ALIAS)!)).toBe(true);
  });
});
