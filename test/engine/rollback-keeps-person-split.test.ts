/**
 * A person's `lshift rollback` of an unfinished deployment meets a 412 and re-reads the alias: it
 * writes again only over a routing that deployment's plan writes (own-routing.ts,
 * ownRoutingOfRecord) — its runner's step write landing late. It took any routing between the
 * deployment's two versions for that: a second person's `aws lambda update-alias` to a split the
 * plan never wrote (2 + 1@35%), made while the rollback's write was held, was written over. Now a
 * conflict (exit 5; a split left, exit 4 since session 67), the alias left where that person put it, in the words of a deploy's own
 * rollback (rollback-keeps-person-move.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

/** A live deployment (linear:10%:1m) at its 2nd step (20%); `moved` lands just before the rollback's write. */
function rollbackMeeting(moved: RoutingState, record: Partial<DeploymentRecord> = {}) {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start, ...record }));
  let landed = false;
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || landed) return;
    landed = true;
    w.lambda.moveAlias(FN, ALIAS, moved);
  };
  const run = rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'op2' },
  );
  return { w, run };
}

const split = (percent: number): RoutingState => ({
  functionVersion: '1',
  additionalWeights: { '2': percent / 100 },
});

describe('lshift rollback writes over only the routings its deployment writes', () => {
  // A split left is exit 4 since session 67 (rollback-person-split-close.test.ts): nobody drives it.
  it('a person splits the alias at a weight the plan never wrote (35%): left there, unsafe (exit 4)', async () => {
    const { w, run } = rollbackMeeting(split(35));
    const result = await run;
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(split(35));
    expect(result.status).toBe('unsafe');
    expect(exitCodeForRollback(result.status)).toBe(4);
    expect(describeReason(result)).toContain(
      'alias live was changed by someone else during the rollback: it routes version 1 (65%) + version 2 (35%), a routing this deployment never wrote; lshift did not overwrite it',
    );
  });

  it('the split the other way round (2 + 1@35%): not the deployment’s either, left there (exit 4)', async () => {
    const moved = { functionVersion: '2', additionalWeights: { '1': 0.35 } };
    const { w, run } = rollbackMeeting(moved);
    const result = await run;
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(moved);
    expect(exitCodeForRollback(result.status)).toBe(4);
  });

  it.each([
    ['its recorded weight written again (20%)', split(20), {}],
    ['an earlier step of its plan (10%)', split(10), {}],
    ['its next step, written before its record (30%)', split(30), {}],
    ['a later step of its plan, its record lagging behind its obeyed promotes (60%)', split(60), {}],
    [
      'all traffic on the new version after an operator’s promote --full',
      { functionVersion: '2', additionalWeights: {} },
      { command: { verb: 'promote-full', nonce: 'p1', state: 'sent', by: 'ann@laptop:9' } },
    ],
    // Found by a hostile pass: the runner obeyed a promote --full, its 100% write was held, then
    // a pause replaced the command in the record; the write landing late was left as a stranger's
    // (exit 5, all traffic on the new version, the runner ending "nobody is rolling it back").
    [
      'all traffic on the new version after a promote --full the record no longer shows (a pause since)',
      { functionVersion: '2', additionalWeights: {} },
      { command: { verb: 'pause', nonce: 'q2', state: 'sent', by: 'bob@laptop:7' } },
    ],
    // The price: a second person's move of all traffic to the new version, at one of the plan's
    // weights, cannot be told from that late write, and is written over (the stable version back).
    ['all traffic put on the new version by hand', { functionVersion: '2', additionalWeights: {} }, {}],
  ] as const)('%s: its own, rolled back over', async (_, moved, record) => {
    const { w, run } = rollbackMeeting(moved, record as Partial<DeploymentRecord>);
    await expect(run).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect((await w.store.read(FN, ALIAS))?.phase).toBe('rolled-back');
  });
});
