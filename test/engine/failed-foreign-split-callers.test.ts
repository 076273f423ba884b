/**
 * A `failed` deployment (1 → 2) whose alias someone then split onto a version it never wrote:
 * 3 (70%) + 1 (30%). `lshift rollback` claims the record first and refuses it (moved by hand,
 * NOTHING_TO_ROLL_BACK); a rollback that could not claim it — the claim's read throttled, the
 * rollback's own read not — put all traffic on 3 and closed it "rolled back to version 3", exit 0:
 * `lshift rollback --release` so (found by h4, session 69, after h2's direct call). Both now refuse
 * as the claimed rollback does (rollback-destination.ts asClaimed). `lshift check` passes --to
 * (its stable version) and `deploy --supersede` --to as well: neither reaches that choice.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { abandonedRelease, RELEASE } from './release-world.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const SPLIT = { functionVersion: '3', additionalWeights: { '1': 0.3 } };
const THROTTLED = new Error('ThrottlingException: Rate exceeded');
const REFUSED = 'routes version 3 (70%) + version 1 (30%), which deployment';

function movedWorld(phase: DeploymentRecord['phase']) {
  const w = createWorld();
  w.lambda.addVersion(FN);
  w.store.seed(FN, ALIAS, deadRecord(w, { phase, percent: 20 }));
  w.lambda.moveAlias(FN, ALIAS, SPLIT);
  return w;
}

describe('a failed or paused deployment split since onto a version it never wrote', () => {
  it('`rollback --release` whose claim read was throttled refuses it as the claimed rollback does', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.store.seed('fb', ALIAS, { ...w.store.peek('fb', ALIAS)!, phase: 'failed' });
    w.lambda.moveAlias('fb', ALIAS, SPLIT);
    const before = w.store.peek('fb', ALIAS);
    // The release's own look, then fb's claim read: throttled; rollbackRelease's read answers.
    w.store.failReads(THROTTLED, 2);
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      { releaseId: RELEASE, targets: [{ functionName: 'fb', alias: ALIAS }], reason: 'manual rollback' },
    );
    expect(result.functions).toEqual([]);
    expect(result.errors).toMatchObject([{ functionName: 'fb', code: 'NOTHING_TO_ROLL_BACK' }]);
    expect(result.errors[0]!.message).toContain(REFUSED);
    expect(exitCodeForRollback(result.status)).toBe(4);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(SPLIT);
    expect(w.store.peek('fb', ALIAS)).toEqual(before);
  });

  it('`lshift rollback` whose claim read was throttled refuses it too', async () => {
    const w = movedWorld('failed');
    w.store.failReads(THROTTLED, 1);
    const error = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOTHING_TO_ROLL_BACK', exitCode: 2 });
    expect((error as Error).message).toContain(REFUSED);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('failed');
  });

  it.each(['failed', 'paused'] as const)('unclaimed (%s): refused; --to still chooses', async (phase) => {
    const w = movedWorld(phase);
    const req = { functionName: FN, alias: ALIAS, reason: 'manual rollback' };
    const error = await rollbackDeployment(w.deps, req).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOTHING_TO_ROLL_BACK' });
    expect((error as { hint?: string }).hint ?? (error as Error).message).toContain('--to 1');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    const chosen = await rollbackDeployment(w.deps, { ...req, to: '3' });
    expect(chosen).toMatchObject({ status: 'rolled_back', toVersion: '3' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
  });
});
