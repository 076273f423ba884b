/**
 * A live deploy taken over by a person's `lshift rollback` whose rollback then met a split someone
 * made and left it (or failed there): that rollback's process exits 4 with the fix, but the deploy
 * it took over said "taken over" (a conflict, exit 5: "someone else holds it, retry later") over a
 * split nobody drives any more — and a CI job reads only the deploy's exit code (h3's pass, session
 * 67; the lead's brief, session 68). DESIGN.md §6 lets only exit 4 leave an alias split, with the
 * alias and the fix: unsafe, `TAKEN_OVER` with `splitLeft` (engine/taken-split-left.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForRollback, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';
const SPLIT: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

/** The operator's `lshift rollback` at 100 s, someone's `to` landing just before its alias write. */
function rollbackMeeting(w: World, to: RoutingState) {
  const lambda: LambdaPort = Object.create(w.lambda);
  let moved = false;
  lambda.updateAlias = (...args) => {
    if (!moved) w.lambda.moveAlias(FN, ALIAS, to);
    moved = true;
    return w.lambda.updateAlias(...args);
  };
  return new Promise<Awaited<ReturnType<typeof rollbackClaimed>>>((resolve, reject) => {
    w.clock.after(100_000, () => {
      rollbackClaimed(
        { ...w.deps, lambda, store: w.store, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      ).then(resolve, reject);
    });
  });
}

async function deployUntilEnd(w: World) {
  const done = runDeploy(w.deps, request(canary(10, 3600)));
  await w.clock.advance(0);
  await w.clock.advance(400_000);
  return done;
}

describe('a live deploy taken over by a person’s rollback that met a split', () => {
  it('the split left: the deploy exits 4 too, with the alias and the fix, not "taken over" (5)', async () => {
    const w = createWorld({ auto: false });
    const rollback = rollbackMeeting(w, SPLIT);
    const result = await deployUntilEnd(w);
    // The rollback's own process: exit 4 (session 67).
    expect(exitCodeForRollback((await rollback).status)).toBe(4);

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { splitLeft: 'by-hand', by: OPERATOR } });
    expect(result.aliasState).toEqual(SPLIT);
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.fixCommand).toContain(
      'aws lambda update-alias --function-name demo --name live --function-version 1',
    );
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    expect(describeReason(result)).toContain(
      `was taken over at step 1 (10%) by the rollback of ${OPERATOR}, and that rollback found alias live split by someone else and left it split`,
    );
    const text = renderDeployResult(withReason(result));
    expect(text).toContain(
      `✖ UNSAFE: demo:live was taken over by the rollback of ${OPERATOR}, which found it split by someone else and left it split: nobody drives that split; it needs a human.`,
    );
    expect(text).toContain('Alias as last seen: version 1 (50%) + version 2 (50%)');
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    // Nothing written over the split: one weight of its own (10%), the rollback's refused write.
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
  });

  it('its rollback failed with the alias split: exit 4 with the fix, not "taken over" (5)', async () => {
    const w = createWorld({ auto: false });
    w.clock.after(100_000, () =>
      w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, phase: 'rolling-back', owner: OPERATOR }),
    );
    w.clock.after(170_000, () =>
      w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, phase: 'failed', endedAt: w.clock.now() }),
    );
    const result = await deployUntilEnd(w);
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { splitLeft: 'failed', by: OPERATOR } });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toContain('that rollback failed and left alias live split');
    const text = renderDeployResult(withReason(result));
    expect(text).toContain('Alias as last seen: version 1 (90%) + version 2 (10%)');
    expect(text).toContain('Fix: lshift rollback demo --alias live');
  });

  it('moved whole onto another version during that rollback: still a conflict, exit 5 (the person holds it)', async () => {
    const w = createWorld({ auto: false });
    void rollbackMeeting(w, { functionVersion: '3', additionalWeights: {} });
    const result = await deployUntilEnd(w);
    expect(result.status).toBe('conflict');
    expect(result.cause?.code).toBe('TAKEN_OVER');
  });
});
