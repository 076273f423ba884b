/**
 * `lshift rollback --to <the deployment's own new version>` over a deployment that was not promoted
 * (abandoned mid-shift, or already rolled back) put all traffic on that new version and recorded it
 * `rolled back to version 6`. A later plain `lshift rollback` — a CI recovery step, a person undoing
 * version 6 — then said "Nothing to roll back: already rolled back" (exit 0) and moved nothing,
 * with all traffic on the deployment's new version, and `lshift check` skipped it ("rolled back …;
 * nothing to watch") (h4's hostile pass, session 69: the sandbox, `deploy --version 6` killed at
 * 90%, `rollback --to 6`, then `rollback` and `check`). An abandoned one is now closed as `lshift
 * alias` onto that version closes it (promoted, moved by hand), which `check` watches; and a
 * record rolled back onto its new version (after its promotion, or written so before) is undone by
 * the plain rollback, once, to its stable version, as a promoted one is — never further back.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runCheck } from '../../src/engine/check.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

function rollback(w: World, to?: string) {
  return rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback', ...(to === undefined ? {} : { to }) },
  );
}

describe('lshift rollback after `rollback --to` the deployment’s own new version', () => {
  it('abandoned at 90%, `--to 2` (its new version), then a plain rollback: back on 1, once', async () => {
    const w = createWorld();
    // A runner killed at 90% of deployment 1 → 2 (its heartbeat stale).
    w.store.seed(FN, ALIAS, deadRecord(w, { stepIndex: 8, percent: 90 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.9 } });

    await expect(rollback(w, '2')).resolves.toMatchObject({ status: 'rolled_back', toVersion: '2' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-dead01',
      phase: 'promoted',
      percent: 100,
      endReason: 'moved by hand',
    });
    // Watched by a check as any recent promotion, not skipped as rolled back.
    const check = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:3' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(check.results.map((r) => r.action)).toEqual(['healthy']);

    const undo = await rollback(w);
    expect(undo).toMatchObject({ status: 'rolled_back', toVersion: '1', fromVersion: '2' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'rolled-back' });

    // Never further back: a third run finds it done.
    const again = await rollback(w);
    expect(again.status).toBe('nothing_to_deploy');
    expect(describeReason(again)).toContain('was already rolled back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('a record written rolled back onto its new version (before this fix): a plain rollback goes back to 1', async () => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'rolled-back',
        percent: 0,
        endedAt: w.start - 60_000,
        endReason: 'rolled back to version 2',
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'nothing_to_deploy' });
  });

  it('promoted, rolled back to 1, `--to 2` (its new version) again, then a plain rollback: back on 1', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'rolled_back', toVersion: '1' });
    await expect(rollback(w, '2')).resolves.toMatchObject({ status: 'rolled_back', toVersion: '2' });
    // All traffic on its new version again: promoted by hand, watched by a check.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', endReason: 'moved by hand' });
    const check = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:3' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(check.results.map((r) => r.action)).toEqual(['healthy']);

    const undo = await rollback(w);
    expect(undo).toMatchObject({ status: 'rolled_back', toVersion: '1' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'rolled back to version 1: after it was promoted',
      owner: 'rollback:op@laptop:2',
    });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'nothing_to_deploy' });
  });

  it('its stable version deleted since: refused before any write (VERSION_NOT_FOUND), --to named', async () => {
    const w = createWorld();
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, {
        phase: 'rolled-back',
        percent: 0,
        endedAt: w.start - 60_000,
        endReason: 'rolled back to version 2',
      }),
    );
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    w.lambda.deleteVersion(FN, '1');
    await expect(rollback(w)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});
