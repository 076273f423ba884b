/**
 * `lshift rollback --release` whose read-back of its claim on one function fails (ListTags
 * throttled past the SDK's own attempts, 3 s after the claim): that function's row said "claimed
 * its record … but could not read the claim back …, so it did not roll back" — the claim standing,
 * its runner stopped, the alias split — while a single `lshift rollback` reads its claim back again
 * on its read budget (claim-read-retry.ts readBackClaim). check-mates.ts claimMate, shared with
 * the check, never retried it. Now a person's release rollback reads it back again the same way,
 * the claim kept fresh meanwhile: a failure that passes rolls the function back; one that keeps
 * failing keeps the claim and says what to run. A check's claim is unchanged (it judges again).
 */
import { describe, expect, it } from 'vitest';
import { CHECK_CLAIM_SETTLE_MS } from '../../src/engine/check-claim.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { throttled } from '../helpers/fake-lambda.js';
import { NAMES, RELEASE, seedAbandonedMember } from './release-world.js';
import { ALIAS, createWorld, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';

function release(): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) seedAbandonedMember(w, fn, { id: `d-${i}`, releaseId: RELEASE });
  return w;
}

/** fb's record unreadable (ListTags throttled) for `forMs` after its claim: its looks, its read-back, and on. */
function fbUnreadableAfterClaim(w: World, forMs: number): StateStore {
  let claimedAt: number | undefined;
  const store: StateStore = Object.create(w.store);
  store.read = async (fn, alias) => {
    if (fn === 'fb' && claimedAt !== undefined && w.clock.elapsedMs() < claimedAt + forMs)
      throw throttled('lambda:ListTags');
    return w.store.read(fn, alias);
  };
  store.write = async (fn, alias, record, ...rest) => {
    await w.store.write(fn, alias, record, ...rest);
    if (fn === 'fb' && record.phase === 'rolling-back' && record.owner === PERSON)
      claimedAt ??= w.clock.elapsedMs();
  };
  return store;
}

function rollBack(w: World, forMs: number) {
  return rollbackReleaseClaimed(
    { ...w.deps, store: fbUnreadableAfterClaim(w, forMs), owner: PERSON },
    {
      releaseId: RELEASE,
      targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
      reason: 'manual rollback',
    },
  );
}

describe('lshift rollback --release: the read-back of a claim that fails', () => {
  it('unreadable for 10 s after the claim: read back again, every function rolled back', async () => {
    const w = release();
    // Past the claim's 3-s settle: its read-back fails, and so does the first read again.
    expect(CHECK_CLAIM_SETTLE_MS).toBeLessThan(10_000);
    const result = await rollBack(w, 10_000);
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
      'could not read the deployment record of fb alias live after claiming it: THROTTLED: AWS throttled lambda:ListTags; trying again in 1 s (the claim is kept)',
    );
  });

  it('unreadable for good: the claim kept (not put back), the row says so and what to run', async () => {
    const w = release();
    const result = await rollBack(w, Number.POSITIVE_INFINITY);
    for (const fn of ['fa', 'fc'])
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({ phase: 'rolled-back', owner: PERSON });
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: PERSON });
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.25 } });
    const row = result.errors.find((e) => e.functionName === 'fb');
    expect(row).toMatchObject({ code: 'STATE_UNREADABLE' });
    expect(row?.message).toContain(
      "Could not read back this rollback's claim on the deployment record of fb alias live",
    );
    expect(row?.message).toContain(
      `Nothing was moved. This rollback's claim on fb:live is kept (rolling-back, under ${PERSON})`,
    );
    expect(row?.message).toContain(
      `Run \`lshift rollback --release ${RELEASE} fb --alias live\` again to finish it now`,
    );
    expect(result.status).not.toBe('rolled_back');
  });
});
