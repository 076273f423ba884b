/**
 * `lshift rollback fa` of one function of a release: the release's other functions keep their
 * traffic — split, with nobody driving them, when the release's runner died. It said only "Rolled
 * back fa…", exit 0 (found by a hostile pass, following status's advice for a function moved by
 * hand). Now the result names the release and how to roll the rest of it back.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback, describeRollback } from '../../src/cli/describe-rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { ALIAS, createWorld, deadRecord, FN } from '../engine/world.js';

async function rollbackOf(releaseId: string | undefined, routing: Record<string, number>, version = '1') {
  const w = createWorld();
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: version, additionalWeights: routing });
  w.store.seed(FN, ALIAS, deadRecord(w, releaseId ? { releaseId } : {}));
  const result = await rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:me@laptop:9' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
  return { result, text: describeClaimedRollback(withReason(result)) };
}

const NOTE =
  'demo is one function of release r-rel001; this command left its other functions alone (a release still running rolls them back itself once it sees this rollback): `lshift rollback --release r-rel001` (naming no function, it finds each function of the release at its own alias by its record) rolls the whole release back';

describe('lshift rollback of one function of a release', () => {
  it('rolled back: says this command left the release’s others alone (a running release may roll them back), and how to roll them back', async () => {
    const { result, text } = await rollbackOf('r-rel001', { '2': 0.2 });
    expect(result).toMatchObject({ status: 'rolled_back', releaseId: 'r-rel001' });
    expect(text).toContain(
      'Rolled back demo:live from version 1 (80%) + version 2 (20%) to version 1: all traffic is on version 1.',
    );
    expect(text).toContain(NOTE);
  });

  it('already back on stable (moved by hand), its record closed: the same note', async () => {
    const { result, text } = await rollbackOf('r-rel001', {});
    expect(result).toMatchObject({ status: 'nothing_to_deploy', releaseId: 'r-rel001' });
    expect(text).toContain('Nothing to roll back');
    expect(text).toContain(NOTE);
  });

  // Session 60, F3: under a release's header, "✔ Nothing to roll back: deployment d-… was already
  // rolled back: all traffic of alias prod is …" did not say which function.
  it('already rolled back: the line names its function', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.store.seed(FN, ALIAS, deadRecord(w, { releaseId: 'r-rel001' }));
    const deps = { ...w.deps, store: w.store, owner: 'rollback:me@laptop:9' };
    const req = { functionName: FN, alias: ALIAS, reason: 'manual rollback' };
    await rollbackClaimed(deps, req);
    const again = await rollbackClaimed(deps, req);
    expect(again.status).toBe('nothing_to_deploy');
    expect(describeRollback(withReason(again))).toMatch(
      /^✔ Nothing to roll back on demo:live: deployment d-dead01 \(version 1 → 2\) was already rolled back/,
    );
  });

  it('a split alias is said as it was, not as if all traffic had been on the other version', async () => {
    // 50/50 of versions 1 and 2: it said "from version 2 to 1".
    const { text } = await rollbackOf(undefined, { '2': 0.5 });
    expect(text).toBe(
      '✔ Rolled back demo:live from version 1 (50%) + version 2 (50%) to version 1: all traffic is on version 1.',
    );
    // All traffic on version 2 (a promoted deployment): from version 2 to 1, as before.
    const { text: whole } = await rollbackOf(undefined, {}, '2');
    expect(whole).toContain('Rolled back demo:live from version 2 to 1: all traffic is on version 1.');
  });

  it('a deployment of one function: no release note', async () => {
    const { result, text } = await rollbackOf(undefined, { '2': 0.2 });
    expect(result.status).toBe('rolled_back');
    expect(result.releaseId).toBeUndefined();
    expect(text).not.toContain('release');
  });
});
