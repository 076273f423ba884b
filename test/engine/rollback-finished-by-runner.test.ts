/**
 * A person's `lshift rollback` claims a live deployment; the endpoint stalls before its alias
 * write lands, and the runner its claim stopped (which had not seen the claim yet) rolls back
 * itself over the stall and closes the record over the claim. The person's write then meets a
 * 412 and finds all traffic back. Seen on the sandbox (h1, session 70; again session 71): it said
 * "Nothing to roll back … the rollback write was refused (412) because the alias had already been
 * put there (an earlier write of this rollback, or another rollback)", as if nothing had been to
 * undo. Now it names who did: the deployment's own runner. Exit 0 as before (all traffic where it
 * asked: docs/exit-codes.md).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const RUNNER = 'ci@runner:7';
const ANN = 'rollback:ann@laptop:41';

/** FN at 10% on version 2, its runner's record fresh. */
function liveWorld(): World {
  const w = createWorld({ auto: true });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { id: 'd-1', owner: RUNNER, heartbeatAt: w.clock.now(), percent: 10 }),
  );
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  return w;
}

/** Before the person's write reaches the alias, `finish` runs (the runner's own rollback over the stall). */
function writesAfter(w: World, finish: () => void): LambdaPort {
  let done = false;
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (...args: Parameters<LambdaPort['updateAlias']>) => {
          if (!done) {
            done = true;
            finish();
          }
          return target.updateAlias(...args);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function rollBackAs(w: World, owner: string) {
  return () => {
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.store.seed(FN, ALIAS, {
      ...w.store.peek(FN, ALIAS)!,
      phase: 'rolled-back',
      owner,
      endedAt: w.clock.now(),
    });
  };
}

describe('lshift rollback whose claimed deployment was rolled back by someone else while its write waited', () => {
  it('by the runner its claim stopped: says that runner rolled it back, not "nothing to roll back" (exit 0)', async () => {
    const w = liveWorld();
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, lambda: writesAfter(w, rollBackAs(w, RUNNER)), owner: ANN },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    const story = JSON.stringify({ result, record: w.store.peek(FN, ALIAS) }, null, 1);
    expect(result.status, story).toBe('nothing_to_deploy');
    expect(exitCodeForRollback(result.status)).toBe(0);
    expect(result.cause, story).toMatchObject({
      code: 'NOTHING_TO_DO',
      data: { landed: true, finishedBy: { owner: RUNNER, deploymentId: 'd-1', ownRunner: true } },
    });
    const reason = describeReason(result);
    expect(reason).toBe(
      `deployment d-1 was rolled back by its own runner (${RUNNER}) while this rollback's alias write waited: all traffic of alias live is on version 1; this rollback's write was then refused (412) and overwrote nothing`,
    );
    expect(describeClaimedRollback({ ...result, reason })).toBe(
      `✔ demo:live was rolled back by the deployment's own runner, not by this command: all traffic is on version 1.\n  ${reason}.`,
    );
    // The runner's close stands: nothing of the person's landed over it.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: RUNNER });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('by another actor (a check that took the claim over): named by its owner mark', async () => {
    const w = liveWorld();
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, lambda: writesAfter(w, rollBackAs(w, 'check:ops@cron:5')), owner: ANN },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result.cause).toMatchObject({
      data: { finishedBy: { owner: 'check:ops@cron:5', deploymentId: 'd-1' } },
    });
    expect(JSON.stringify(result.cause)).not.toContain('ownRunner');
    expect(describeReason(result)).toMatch(
      /^deployment d-1 was rolled back by check:ops@cron:5 while this rollback's alias write waited/,
    );
  });
});
