/**
 * A person's `lshift rollback` whose read right after its claim fails (a GetAlias or ListTags
 * throttled past the SDK's own attempts): the claim had stopped the live runner, then the rollback
 * ended THROTTLED ("Retry later.") and put the record back — the runner, seeing it handed back,
 * exited 4 and the alias stayed split at 10% with nobody watching, the record `shifting` under a
 * runner that had exited (h4, session 70). Now the reads after the claim are tried again
 * (engine/claim-read-retry.ts); reads that keep failing keep the claim, and say what to run.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { throttled } from '../helpers/fake-lambda.js';
import { ALIAS, canary, createWorld, deadRecord, driven, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';

/**
 * The rollback's ports: once its claim is written, `what` fails `times` times (Infinity: for good),
 * or — `forMs` — every read of it for that long (a burst of throttling).
 */
function failingAfterClaim(w: World, what: 'alias' | 'record', times: number, forMs?: number) {
  let claimedAt: number | undefined;
  let failures = 0;
  const fails = (kind: 'alias' | 'record') => {
    if (kind !== what || claimedAt === undefined) return false;
    if (forMs !== undefined) return w.clock.elapsedMs() - claimedAt < forMs;
    return failures++ < times;
  };
  const store: StateStore = Object.create(w.store);
  store.read = async (fn, alias) => {
    if (fails('record')) throw throttled('lambda:ListTags');
    return w.store.read(fn, alias);
  };
  store.write = async (fn, alias, record, ...rest) => {
    await w.store.write(fn, alias, record, ...rest);
    if (record.phase === 'rolling-back' && record.owner === OPERATOR) claimedAt ??= w.clock.elapsedMs();
  };
  const lambda: LambdaPort = Object.create(w.lambda);
  lambda.getAlias = async (fn, alias) => {
    if (fails('alias')) throw throttled('lambda:GetAlias');
    return w.lambda.getAlias(fn, alias);
  };
  return { store, lambda };
}

type Outcome =
  | Awaited<ReturnType<typeof rollbackClaimed>>
  | { error: string; message: string; hint?: string };

/** The live deploy (canary 10%, 1 h) and, at 100 s, the operator's rollback through failing reads. */
async function rollbackBesideLive(w: World, times: number) {
  const ports = failingAfterClaim(w, 'alias', times);
  const rollback = new Promise<Outcome>((resolve) => {
    w.clock.after(100_000, () => {
      rollbackClaimed(
        { ...w.deps, ...ports, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      ).then(resolve, (e) => resolve({ error: e.code, message: e.message, hint: e.hint }));
    });
  });
  const result = await driven(w, runDeploy(w.deps, request(canary(10, 3600))));
  return { result, rollback: await rollback };
}

describe('a read that fails right after a rollback claimed a live deployment', () => {
  it('GetAlias throttled once: tried again, the rollback lands, the runner ends rolled back by it (exit 3)', async () => {
    const w = createWorld({ auto: false });
    const { result, rollback } = await rollbackBesideLive(w, 1);
    expect(rollback).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.sink.warnings().map((x) => x.message)).toContain(
      'could not read the alias of demo alias live after claiming it: THROTTLED: AWS throttled lambda:GetAlias; trying again in 1 s (the claim is kept)',
    );
  });

  it('GetAlias throttled for good: the claim is kept (not handed back to the stopped runner), and the error says what to run', async () => {
    const w = createWorld({ auto: false });
    const { result, rollback } = await rollbackBesideLive(w, Number.POSITIVE_INFINITY);
    expect(rollback).toMatchObject({ error: 'THROTTLED' });
    const refused = rollback as { message: string; hint?: string };
    expect(refused.message).toContain(
      `Nothing was moved. This rollback's claim on demo:live is kept (rolling-back, under ${OPERATOR})`,
    );
    expect(refused.hint).toContain('Run `lshift rollback demo --alias live` again to finish it now');
    // Never put back as `shifting` under the runner it stopped.
    expect(w.store.writes.filter((x) => x.record.phase === 'shifting').at(-1)!.record.owner).toBe(
      'tester@host:1',
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: OPERATOR });
    // The runner it stopped says nobody finished it (exit 4, with the fix), as for any dead claim.
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_ABANDONED', data: { owner: OPERATOR } });
    expect(result.cause?.code === 'ROLLBACK_ABANDONED' && result.cause.data.handedBack).toBeFalsy();
    expect(describeReason(result)).toContain(OPERATOR);
    // Tried for its budget, not for ever.
    const tries = w.sink.warnings().filter((x) => x.message.startsWith('could not read the alias'));
    expect(tries.length).toBeGreaterThan(2);
    expect(tries.length).toBeLessThan(12);

    // The next rollback (the claim stale by now) takes it over and finishes it.
    const again = await driven(
      w,
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: 'rollback:ops@desk:9' },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      ),
    );
    expect(again).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('record reads throttled for 5 s after the claim, over a dead runner’s bake (all on the new version): rolled back, not refused', async () => {
    const w = createWorld({ auto: false });
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const ports = failingAfterClaim(w, 'record', 0, 5_000);
    const rollback = await driven(
      w,
      rollbackClaimed(
        { ...w.deps, ...ports, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'r' },
      ),
    );
    expect(rollback).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('the claim’s own read-back unreadable for good: STATE_UNREADABLE with the claim kept and what to run, not a raw error', async () => {
    const w = createWorld({ auto: false });
    w.store.seed(FN, ALIAS, deadRecord(w));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    const ports = failingAfterClaim(w, 'record', Number.POSITIVE_INFINITY);
    const refused = await driven(
      w,
      rollbackClaimed(
        { ...w.deps, ...ports, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'r' },
      ).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(refused).toMatchObject({ code: 'STATE_UNREADABLE', exitCode: 1 });
    expect((refused as Error).message).toContain("Could not read back this rollback's claim");
    expect((refused as Error).message).toContain(
      `claim on demo:live is kept (rolling-back, under ${OPERATOR})`,
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: OPERATOR });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});
