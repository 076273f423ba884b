/**
 * `lshift wait` looks for a person's move of the alias as a deploy's follower does
 * (follow-hand-move.ts). Before, it read only CodeDeploy's status: a move by hand under a
 * `--detach`ed deployment was undone by CodeDeploy's next step, and the wait said "Succeeded".
 */

import { describe, expect, it } from 'vitest';
import { describeFollow, isSplitByHandLeft } from '../../src/cli/describe-follow.js';
import { SCHEMA_VERSION } from '../../src/cli/schema-version.js';
import { exitCodeForWait, waitResult } from '../../src/cli/wait-result.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { KEEP_MOVE_SUCCEEDED_FIRST_REASON } from '../../src/engine/record-view.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { followDepsOf, startDeployOf } from '../helpers/follow-deps.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

async function detachedWorld(config: string) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await startDeployOf(codedeploy, config);
  // A `deploy --detach`'s record: its run exited, CodeDeploy shifts on alone.
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 10 }),
  );
  const deps = followDepsOf(w, codedeploy);
  const wait = () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  return { w, codedeploy, id, wait };
}

describe('lshift wait and a move by hand', () => {
  it('all traffic put back by hand at the 10% step: CodeDeploy stopped without its rollback, the record closed, exit 5', async () => {
    const { w, codedeploy, id, wait } = await detachedWorld(
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    );
    w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await wait();

    // Before: CodeDeploy's 100% undid the move, "✔ … Succeeded", exit 0.
    expect(result).toMatchObject({ outcome: 'moved_by_hand', status: 'Stopped' });
    expect(w.clock.now() - w.start).toBeLessThan(90_000);
    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, false]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', endReason: 'moved by hand' });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeDefined();
    const text = describeFollow(result);
    expect(text).toContain(
      `✖ CodeDeploy deployment ${id} was stopped without its rollback after someone moved demo:live by hand`,
    );
    expect(text).toContain('someone moved it by hand');
    expect(text).not.toContain('lshift rollback');
    // All on one version: the person holds it, a conflict (exit 5), not a split nobody drives.
    expect(isSplitByHandLeft(result)).toBe(false);
    expect(text).not.toContain('UNSAFE');
    expect(waitResult(result).stalled).toBeUndefined();
    expect(exitCodeForWait(waitResult(result))).toBe(5);
    expectValidResultOf('wait', { schemaVersion: SCHEMA_VERSION, ...waitResult(result) });
    await w.clock.advance(10 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // h2's pass (session 65), as for a deploy's follow: exit 5 and the record closed `promoted
  // (moved by hand)`, though CodeDeploy's 100% had undone the person's split.
  it('a stop that finds CodeDeploy Succeeded over the move: unsafe (exit 4), the record marked, not closed', async () => {
    const { w, codedeploy, wait } = await detachedWorld('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const stop = codedeploy.stopDeployment.bind(codedeploy);
    codedeploy.stopDeployment = async (at: string, rollback: boolean) => {
      if (w.clock.now() < w.start + 300_000) await w.clock.advance(w.start + 301_000 - w.clock.now());
      return stop(at, rollback);
    };
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'unsafe', status: 'Succeeded' });
    expect(result.aliasState).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'paused',
      endReason: KEEP_MOVE_SUCCEEDED_FIRST_REASON,
    });
    expect(w.store.peek(FN, ALIAS)?.endedAt).toBeUndefined();
    const text = describeFollow(result);
    expect(text).toContain('✖ UNSAFE:');
    expect(text).toContain(
      "CodeDeploy's last step had moved the alias over that move, all traffic on version 2",
    );
    expect(text).toContain('lshift rollback demo --alias live');
  });

  it('CodeDeploy’s own steps (linear, several between polls) are no move by hand: Succeeded, exit 0', async () => {
    const { codedeploy, wait } = await detachedWorld('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('a stop that is refused: unsafe (exit 4), naming the stop without rollback', async () => {
    const { w, codedeploy, id, wait } = await detachedWorld(
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    );
    codedeploy.stopDeployment = async () => {
      throw new Error('AccessDenied');
    };
    w.lambda.moveAliasAt(w.start + 60_000, FN, ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'unsafe' });
    expect(describeFollow(result)).toContain(
      `Fix: aws deploy stop-deployment --deployment-id ${id} --no-auto-rollback-enabled`,
    );
  });
  it('CodeDeploy’s own rollback deployment (its weights move back) is not judged', async () => {
    const { w, codedeploy, id } = await detachedWorld('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    codedeploy.slowRollbacks(120_000);
    await w.clock.advance(30_000);
    await codedeploy.stopDeployment(id, true);
    const deps = followDepsOf(w, codedeploy);
    const rollback = `${id}-rb`;
    // As CodeDeploy's rollback writes the alias back while it still runs.
    w.lambda.moveAliasAt(w.clock.now() + 60_000, FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    // The rollback deployment's first read finds 10% on version 2, a later one 0%: backward.
    const result = await followCodeDeploy(deps, {
      deploymentId: rollback,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result.outcome).not.toBe('moved_by_hand');
    expect(codedeploy.callsOf('stopDeployment')).toHaveLength(1);
  });
});
