/**
 * A runner follows a person's `lshift rollback` of its deployment (taker-follow.ts) and its record
 * stays unreadable past the whole follow bound (an endpoint stalled right after the claim): the
 * last read, at the end of the follow, failed too. It ended "taken over" (exit 5, which a
 * pipeline reads as: busy, retry later) with the alias possibly still split and nobody known to
 * drive it (h2, session 71, on the sandbox: /tmp/h2/repro1.sh STALL=200). What became of that
 * rollback is not known: unsafe (exit 4), `lshift status` first, then the rollback.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';
const STALLED = new Error('NETWORK_ERROR: the endpoint did not answer in time');

/** The operator's claim at 100 s (alias untouched, still split at 10%); `onFollow` once the runner follows it. */
function claimThenStall(w: World, onFollow: () => void): void {
  w.clock.after(100_000, () => {
    w.store.seed(FN, ALIAS, {
      ...w.store.peek(FN, ALIAS)!,
      phase: 'rolling-back',
      owner: OPERATOR,
      heartbeatAt: w.clock.now(),
    });
  });
  const emit = w.sink.emit.bind(w.sink);
  let stalled = false;
  w.sink.emit = (event) => {
    emit(event);
    if (stalled || event.type !== 'log' || !event.message.includes('following it until')) return;
    stalled = true;
    w.store.failReads(STALLED);
    onFollow();
  };
}

async function run(w: World) {
  const done = runDeploy(w.deps, request(canary(10, 3600)));
  await w.clock.advance(0);
  await w.clock.advance(130_000 + FOLLOW_ROLLBACK_MS + 10 * 60_000);
  return done;
}

describe('runDeploy: its record unreadable through the whole follow of a rollback that claimed it', () => {
  it('the alias unreadable too: unsafe (exit 4), state unknown, `lshift status` then the rollback — not taken over (exit 5)', async () => {
    const w = createWorld({ auto: false });
    claimThenStall(w, () =>
      w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY, error: STALLED }),
    );
    const result = await run(w);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'TAKEN_OVER',
      data: { by: OPERATOR, stateUnknown: 'record' },
    });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toBe(
      'deployment d-abc123 was taken over at step 1 (10%) by the rollback of rollback:ops@desk:3, which this lshift followed for its whole bound without a read of its record answering at the end: whether that rollback put alias live back is not known, and alias live could not be read either. Run `lshift status demo --alias live` to see where it is and who holds it; if it is still split and nobody is rolling it back, `lshift rollback demo --alias live` puts all traffic on version 1',
    );
    // It only read after the claim: one weight write of its own (10%); the claim is the claimer's.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: OPERATOR });
  });

  it('the alias readable and still split: unsafe (exit 4), the split said', async () => {
    const w = createWorld({ auto: false });
    claimThenStall(w, () => {});
    const result = await run(w);
    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({
      code: 'TAKEN_OVER',
      data: { by: OPERATOR, stateUnknown: 'record' },
    });
    expect(result.aliasState).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.1 } });
    expect(describeReason(result)).toMatch(
      /whether that rollback put alias live back is not known, and alias live is at version 1 \(90%\) \+ version 2 \(10%\)\. Run `lshift status demo --alias live`/,
    );
  });

  it('the alias readable and all back on the stable version: rolled back by the claimer (exit 3), as the alias says', async () => {
    const w = createWorld({ auto: false });
    claimThenStall(w, () =>
      w.clock.after(60_000, () =>
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} }),
      ),
    );
    const result = await run(w);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
  });

  it('the alias readable and moved whole to another version: a conflict (exit 5), as before', async () => {
    const w = createWorld({ auto: false });
    claimThenStall(w, () =>
      w.clock.after(60_000, () =>
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '3', additionalWeights: {} }),
      ),
    );
    const result = await run(w);
    expect(result.status).toBe('conflict');
    expect(result.cause?.code).toBe('TAKEN_OVER');
  });
});

describe('runDeploy: the rollback that claimed it closed its record failed, and the alias unreadable', () => {
  it('unsafe (exit 4), state unknown: that rollback failed and the alias may be split — not taken over (exit 5)', async () => {
    const w = createWorld({ auto: false });
    claimThenStall(w, () => w.store.healReads());
    // Their rollback fails (the alias still split), then the alias reads stop answering.
    w.clock.after(170_000, () => {
      w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, phase: 'failed', endedAt: w.clock.now() });
      w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY, error: STALLED });
    });
    const result = await run(w);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { by: OPERATOR, stateUnknown: 'alias' } });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(describeReason(result)).toBe(
      'deployment d-abc123 was taken over at step 1 (10%) by the rollback of rollback:ops@desk:3, whose record says it ended without putting alias live back (it failed, or met a split someone made and left it), and alias live could not be read: whether it is split is not known. Run `lshift status demo --alias live` to see where it is and who holds it; if it is still split and nobody is rolling it back, `lshift rollback demo --alias live` puts all traffic on version 1',
    );
  });
});

describe('runDeploy: the rollback that claimed it closed its record rolled back, and the alias unreadable', () => {
  /** Their rollback puts all traffic back and closes `rolled-back`; then `aliasFailures` alias reads fail. */
  function rolledBackThenAliasStalls(w: World, aliasFailures: number): void {
    claimThenStall(w, () => w.store.healReads());
    w.clock.after(170_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, phase: 'rolled-back', endedAt: w.clock.now() });
      w.lambda.fail({ op: 'getAlias', times: aliasFailures, error: STALLED });
    });
  }

  it('the alias answering again inside the bound: rolled back by the claimer (exit 3) — not taken over (exit 5)', async () => {
    const w = createWorld({ auto: false });
    rolledBackThenAliasStalls(w, 3);
    const result = await run(w);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'ROLLED_BACK_BY_OTHER', data: { owner: OPERATOR } });
  });

  it('the alias unread to the end of the bound: unsafe (exit 4), state unknown, `lshift status` first — not taken over (exit 5)', async () => {
    const w = createWorld({ auto: false });
    rolledBackThenAliasStalls(w, Number.POSITIVE_INFINITY);
    const result = await run(w);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'TAKEN_OVER',
      data: { by: OPERATOR, stateUnknown: 'alias-rolled-back' },
    });
    expect(describeReason(result)).toBe(
      'deployment d-abc123 was taken over at step 1 (10%) by the rollback of rollback:ops@desk:3, whose record says it rolled alias live back, but alias live could not be read to confirm it (the alias is the truth, not the record): whether all traffic is on version 1 is not known. Run `lshift status demo --alias live` to see where it is and who holds it; if it is still split and nobody is rolling it back, `lshift rollback demo --alias live` puts all traffic on version 1',
    );
    // It wrote nothing after the claim: the record stays as the claimer closed it.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: OPERATOR });
  });
});
