/**
 * A single deploy's step record write follows its own alias write by one round trip; `lshift
 * rollback` claims the record before it writes the alias, so a claim can land in between. Written
 * blind (the alias write "proved" the deployment ours), the record went over the claim, the
 * rollback met a 412 on its alias write (exit 5) and the deploy went on to promote: the operator
 * asked for a rollback and did not get one. The write reads first (one `ListTags` a step), the
 * claim stands, and the deploy follows that rollback (settle-result.ts, followRollbackOf).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { keepClaimBeating } from './claim-beat.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

const TAKER = 'rollback:ops@desk:3';

/** Right after the deploy's alias write to `percent` lands, `lshift rollback` claims the record. */
function claimAfterWrite(w: World, percent: number): { claim?: DeploymentRecord } {
  const write = w.lambda.updateAlias.bind(w.lambda);
  const seen: { claim?: DeploymentRecord } = {};
  w.lambda.updateAlias = async (functionName: string, alias: string, aliasWrite: AliasWrite) => {
    const written = await write(functionName, alias, aliasWrite);
    if (!seen.claim && aliasWrite.additionalWeights['2'] === percent / 100) {
      const current = w.store.peek(FN, ALIAS)!;
      seen.claim = { ...current, phase: 'rolling-back', owner: TAKER, heartbeatAt: w.clock.now() };
      w.store.seed(FN, ALIAS, seen.claim);
      keepClaimBeating(w, FN, ALIAS, TAKER);
    }
    return written;
  };
  return seen;
}

async function run(w: World) {
  const running = runDeploy(w.deps, request({ ...linear(25, 60) }));
  await w.clock.advance(0);
  await w.clock.advance(600_000);
  return running;
}

describe("a rollback's claim between a deploy's alias write and its step record write", () => {
  it('the claim stands and the deploy is not promoted; the rollback puts the alias back a second later: rolled back by it (exit 3)', async () => {
    const w = createWorld({ auto: false });
    const taker = claimAfterWrite(w, 50);
    w.clock.after(61_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      const at = w.clock.now();
      w.store.seed(FN, ALIAS, { ...taker.claim!, phase: 'rolled-back', endedAt: at, heartbeatAt: at });
    });
    const result = await run(w);

    expect(w.store.peek(FN, ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolled-back' });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause?.code).toBe('ROLLED_BACK_BY_OTHER');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('the rollback met a 412 and gave up: the deploy still does not promote over its claim (a conflict, exit 5)', async () => {
    const w = createWorld({ auto: false });
    claimAfterWrite(w, 50);
    const result = await run(w);

    expect(w.store.peek(FN, ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolling-back' });
    const writes = w.lambda.aliasWrites().map((a) => a.additionalWeights);
    expect(writes).toEqual([{ '2': 0.25 }, { '2': 0.5 }]);
    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
  });
});
