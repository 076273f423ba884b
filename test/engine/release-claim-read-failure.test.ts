/**
 * `lshift rollback --release` whose read of a function it had claimed fails right after the claim
 * (a GetAlias throttled past the SDK's own attempts): the row ended THROTTLED and the claim was put
 * back — the runner it had stopped handed a split with nobody driving it — as the single rollback
 * did before claim-read-retry.ts (ac73e9cb). Now the release's reads of what it claimed are tried
 * again on the same terms (engine/release-rollback-reads.ts); reads that keep failing keep the
 * claim, and the row says so and what to run.
 */
import { describe, expect, it } from 'vitest';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { throttled } from '../helpers/fake-lambda.js';
import { NAMES, RELEASE, seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';

/** fa, fb, fc of RELEASE at 25% on version 2, their runner dead. */
function release(): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) seedAbandonedMember(w, fn, { id: `d-${i}`, releaseId: RELEASE });
  return w;
}

/**
 * The person's ports: once fb is claimed and its rollback has begun (its first GetAlias after the
 * claim: a read that fails before is the claim's own read-back, said as such), fb's `what` read
 * fails `times` times (Infinity: for good).
 */
function fbFailingAfterClaim(w: World, times: number, what: 'alias' | 'record' = 'alias') {
  let claimed = false;
  let rolling = false;
  let failures = 0;
  const fails = (fn: string, kind: 'alias' | 'record') =>
    fn === 'fb' && kind === what && rolling && failures++ < times;
  const store: StateStore = Object.create(w.store);
  store.read = async (fn, alias) => {
    if (fails(fn, 'record')) throw throttled('lambda:ListTags');
    return w.store.read(fn, alias);
  };
  store.write = async (fn, alias, record, ...rest) => {
    await w.store.write(fn, alias, record, ...rest);
    if (fn === 'fb' && record.phase === 'rolling-back' && record.owner === PERSON) claimed = true;
  };
  const lambda: LambdaPort = Object.create(w.lambda);
  lambda.getAlias = async (fn, alias) => {
    if (fn === 'fb' && claimed) rolling = true;
    if (fails(fn, 'alias')) throw throttled('lambda:GetAlias');
    return w.lambda.getAlias(fn, alias);
  };
  return { store, lambda };
}

async function rollBack(w: World, times: number, what: 'alias' | 'record' = 'alias') {
  return rollbackReleaseClaimed(
    { ...w.deps, ...fbFailingAfterClaim(w, times, what), owner: PERSON },
    {
      releaseId: RELEASE,
      targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
      reason: 'manual rollback',
    },
  );
}

describe('lshift rollback --release: a read of a claimed function that fails after the claim', () => {
  it('GetAlias of fb throttled once: tried again, every function rolled back', async () => {
    const w = release();
    const result = await rollBack(w, 1);
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('rolled_back');
    for (const fn of NAMES) {
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({ phase: 'rolled-back', owner: PERSON });
    }
    expect(w.sink.warnings().map((x) => x.message)).toContain(
      'could not read the alias of fb alias live after claiming it: THROTTLED: AWS throttled lambda:GetAlias; trying again in 1 s (the claim is kept)',
    );
  });

  it('the record of fb throttled twice: read again, every function rolled back', async () => {
    const w = release();
    const result = await rollBack(w, 2, 'record');
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('rolled_back');
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back', owner: PERSON });
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('GetAlias of fb throttled for good: its claim is kept, not put back, and its row says what to run', async () => {
    const w = release();
    const result = await rollBack(w, Number.POSITIVE_INFINITY);
    for (const fn of ['fa', 'fc'])
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({ phase: 'rolled-back', owner: PERSON });
    // Not handed back to the runner it stopped (`shifting` under ci@runner:7).
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: PERSON });
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.25 } });
    const row = result.errors.find((e) => e.functionName === 'fb');
    expect(row).toMatchObject({ code: 'THROTTLED' });
    expect(row?.message).toContain(
      `Nothing was moved. This rollback's claim on fb:live is kept (rolling-back, under ${PERSON})`,
    );
    expect(row?.message).toContain(
      `Run \`lshift rollback --release ${RELEASE} fb --alias live\` again to finish it now`,
    );
    expect(result.status).not.toBe('rolled_back');
  });
});
