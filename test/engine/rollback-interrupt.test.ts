/**
 * Ctrl-C (SIGTERM, SIGHUP) during a person's `lshift rollback <function>`: before its alias write
 * it stops with INTERRUPTED (exit 1) and puts its claim back as the record was, so another person
 * or a check claims the function at once instead of waiting ~3 minutes for the claim to go stale.
 * Once the alias write has started it finishes.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { slowAliasWrites } from '../helpers/fake-lambda.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const ANN = 'rollback:ann@laptop:41';
const BOB = 'rollback:bob@desk:77';
const CHECK = 'check:cron@host-b:2';

/** FN at 25% on version 2 with a dead runner, on a manual clock. */
function abandonedDeploy(): { w: World; before: DeploymentRecord } {
  const w = createWorld({ auto: false });
  w.lambda.addVersion(FN);
  w.lambda.addVersion(FN);
  w.lambda.addAlias(FN, ALIAS, '1');
  w.store.seed(FN, ALIAS, deadRecord(w, { id: 'd-1', strategy: 'linear:25%:1m' }));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
  return { w, before: w.store.peek(FN, ALIAS)! };
}

function rollback(w: World, owner: string, opts: { signal?: AbortSignal; slowMs?: number } = {}) {
  const lambda = opts.slowMs ? slowAliasWrites(w.lambda, w.clock, opts.slowMs) : w.lambda;
  return rollbackClaimed(
    { ...w.deps, lambda, store: w.store, owner },
    {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual rollback',
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
}

/** Ann's rollback, interrupted `afterMs` into it; what it threw. */
async function interruptedAfter(w: World, afterMs: number, opts: { slowMs?: number } = {}) {
  const ctrlC = new AbortController();
  w.clock.after(afterMs, () => ctrlC.abort(new Error('interrupted by SIGINT')));
  const [ended] = await runTogether(
    w,
    rollback(w, ANN, { signal: ctrlC.signal, ...opts }).catch((error: unknown) => error),
  );
  return ended;
}

const aliasWrites = (w: World) => w.lambda.callsOf('updateAlias').length;
const claimsBy = (w: World, owner: string) => w.store.writes.filter((x) => x.record.owner === owner).length;

/** Bob, right after: claims and rolls back at once (one claim's 3-s read-back), nothing waited for. */
async function expectBobRollsBackAtOnce(w: World): Promise<void> {
  const startedAt = w.clock.now();
  const [bob] = await runTogether(w, rollback(w, BOB));
  expect(bob.status).toBe('rolled_back');
  expect(bob.byOther).toBeUndefined();
  expect(w.clock.now() - startedAt).toBeLessThan(10_000);
  expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: BOB });
}

describe('rollback <function> interrupted before its alias write', () => {
  it.each([0, 1000, 2900])(
    '%i ms in (its claim written, read back): INTERRUPTED, the record as it was',
    async (ms) => {
      const { w, before } = abandonedDeploy();

      const ended = await interruptedAfter(w, ms);

      expect(ended).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
      expect((ended as Error).message).toContain('interrupted by SIGINT before the rollback wrote the alias');
      expect(claimsBy(w, ANN)).toBe(1);
      expect(w.store.peek(FN, ALIAS)).toEqual(before);
      expect(aliasWrites(w)).toBe(0);
      await expectBobRollsBackAtOnce(w);
    },
  );

  it('while it waits on a check’s fresh claim: INTERRUPTED at once (not after the 60-s wait), nothing written', async () => {
    const { w, before } = abandonedDeploy();
    const held = { ...before, phase: 'rolling-back' as const, owner: CHECK, heartbeatAt: w.clock.now() };
    w.store.seed(FN, ALIAS, held);
    const startedAt = w.clock.now();

    const ended = await interruptedAfter(w, 5000);

    expect(ended).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(w.clock.now() - startedAt).toBeLessThan(10_000);
    expect(w.store.writes).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toEqual(held);
    expect(aliasWrites(w)).toBe(0);
  });

  it('after the check it waited on let go (its rollback failed), during its own claim: the claim goes back', async () => {
    const { w, before } = abandonedDeploy();
    w.store.seed(FN, ALIAS, { ...before, phase: 'rolling-back', owner: CHECK, heartbeatAt: w.clock.now() });
    // The check's rollback fails and it puts the record back as it was.
    w.clock.after(10_000, () => w.store.seed(FN, ALIAS, before));

    const ended = await interruptedAfter(w, 13_000);

    expect(ended).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(claimsBy(w, ANN)).toBe(1);
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
    expect(aliasWrites(w)).toBe(0);
    await expectBobRollsBackAtOnce(w);
  });
});

describe('rollback <function> interrupted while its claim write hangs', () => {
  // Found by a hostile pass: SIGTERM during a claim write that hung waited out its attempts and
  // ended NETWORK_ERROR. The CLI now abandons calls in flight before the alias write; the claim
  // write may have landed all the same.
  it('the abandoned claim write landed: put back, INTERRUPTED (not the call’s own error), nothing written to the alias', async () => {
    const { w, before } = abandonedDeploy();
    const ctrlC = new AbortController();
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (record.owner !== ANN || ctrlC.signal.aborted) return;
      ctrlC.abort(new Error('interrupted by SIGTERM'));
      throw new OperationError(
        'INTERRUPTED',
        'lambda:TagResource on function demo was abandoned: This operation was aborted.',
      );
    };
    const [ended] = await runTogether(
      w,
      rollback(w, ANN, { signal: ctrlC.signal }).catch((error: unknown) => error),
    );

    expect(ended).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect((ended as Error).message).toContain('interrupted by SIGTERM before the rollback wrote the alias');
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
    expect(aliasWrites(w)).toBe(0);
    await expectBobRollsBackAtOnce(w);
  });
});

describe('rollback <function> interrupted once its alias write started', () => {
  it('finishes the write: rolled back, its record closed (the rollback is one write)', async () => {
    const { w } = abandonedDeploy();
    const ctrlC = new AbortController();
    // The claim's read-back ends at 3 s; the write takes 4 s.
    w.clock.after(4000, () => ctrlC.abort(new Error('interrupted by SIGINT')));

    const [ann] = await runTogether(w, rollback(w, ANN, { signal: ctrlC.signal, slowMs: 4000 }));

    expect(ctrlC.signal.aborted).toBe(true);
    expect(ann.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: ANN });
  });
});
