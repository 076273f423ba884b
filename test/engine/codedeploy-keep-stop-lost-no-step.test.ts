/**
 * lshift's stop WITHOUT rollback, for a person's move, whose answer was lost (a timeout after the
 * request went out), CodeDeploy then saying Stopped with no rollback named, the alias still the
 * person's (no later CodeDeploy step over it). The run said "it moves the alias no more", though a
 * lost answer does not say that Stopped is lshift's stop: someone's stop WITH auto-rollback reads
 * the same until CodeDeploy creates its rollback deployment a moment later, which would move the
 * alias back (h3's s69 F4). It now says what is not known and how to confirm it
 * (codedeploy-stop-keeping.ts; docs/codedeploy.md). The step-over case is
 * codedeploy-keep-stop-answer-lost.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, createWorld, deadRecord, FN, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

/** StopDeployment taken at once (no step over the move), its answer lost. */
function loseStopAnswer(codedeploy: FakeCodeDeploy) {
  const real = codedeploy.stopDeployment.bind(codedeploy);
  codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
    await real(at, rollback);
    throw new OperationError('NETWORK_ERROR', 'codedeploy:StopDeployment timed out after 30 s', {});
  };
}

const UNKNOWN =
  "but CodeDeploy then said the deployment Stopped with no rollback named (that stop, or someone else's: not known): the alias stays where it was put unless it was someone's stop with its rollback, which CodeDeploy would start within moments and which would move it back — `aws deploy get-deployment --deployment-id d-FAKE1` names a rollback deployment if one came, `lshift status demo --alias live` shows where the alias is";

describe('a stop without rollback whose answer was lost, CodeDeploy Stopped, the alias still the person’s', () => {
  it('lshift wait: the move kept, said as not known to be settled', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await startDeployOf(codedeploy, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
    );
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, SPLIT);
    loseStopAnswer(codedeploy);
    const result = await followCodeDeploy(followDepsOf(w, codedeploy), {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result.outcome).toBe('moved_by_hand');
    expect(JSON.stringify(result)).toContain(UNKNOWN);
    expect(JSON.stringify(result)).not.toContain('it moves the alias no more');
    expect(w.lambda.peekAlias(FN, ALIAS)?.additionalWeights).toEqual({ '2': 0.37 });
  });

  it('a deploy’s run: the same words', async () => {
    const w = codeDeployWorld('Linear10PercentEvery1Minute');
    w.lambda.moveAliasAt(w.start + 20_000, FN, ALIAS, SPLIT);
    loseStopAnswer(w.codedeploy);
    const result = await runDeploy(w.deps, request(canary(10, 60)));
    expect(result.status).toBe('unsafe');
    // Before: "…, but CodeDeploy says the deployment Stopped without its rollback: it moves the
    // alias no more, which stays where it was put".
    expect(result.cause?.detail).toContain(UNKNOWN);
    expect(w.lambda.peekAlias(FN, ALIAS)?.additionalWeights).toEqual({ '2': 0.37 });
  });
});
