/**
 * The fence case of rollback-to-own-target.test.ts: a deployment abandoned in its bake (its runner
 * died with all traffic already on its new version), sent `lshift rollback --to` that version.
 * Nothing moved, but the record was closed `rolled back to version 2`, so `lshift check` skipped it
 * ("rolled back …; nothing to watch") with all traffic on the unvalidated new version (h4's hostile
 * pass, session 69, round 2). Closed as `lshift alias` onto that version closes it: promoted (moved
 * by hand), watched by a check, undone once by a plain rollback.
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

describe('lshift rollback --to the new version of a deployment abandoned in its bake', () => {
  it('closed promoted (moved by hand), said so, watched by check, then undone once', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { stepIndex: 9, percent: 100, phase: 'baking' }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });

    const sent = await rollback(w, '2');
    expect(sent).toMatchObject({ status: 'nothing_to_deploy', toVersion: '2' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'promoted',
      percent: 100,
      endReason: 'moved by hand',
    });
    const words = describeReason(sent);
    expect(words).toContain('now recorded as promoted (moved by hand)');
    expect(words).not.toContain('recorded as rolled back');

    const check = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:3' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(check.results.map((r) => r.action)).toEqual(['healthy']);

    await expect(rollback(w)).resolves.toMatchObject({
      status: 'rolled_back',
      toVersion: '1',
      fromVersion: '2',
    });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    await expect(rollback(w)).resolves.toMatchObject({ status: 'nothing_to_deploy' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
