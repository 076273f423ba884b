/**
 * `lshift rollback --release` over a release whose runner died, one of whose functions someone
 * then moved by hand to a version of their own (`aws lambda update-alias`). Its row said
 * RECORD_INVALID, "it is rolling-back from version 1 to 2" (this rollback's own claim) and told
 * the person to delete the record with `aws lambda untag-resource` (found by a hostile pass over
 * releases). It is left as the person put it, its record as it was, and the row names both ways
 * out; the release's other functions are rolled back.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import { ALIAS } from './world.js';

describe('rollback --release with a function moved by hand to a version of its own', () => {
  it('rolls the others back, leaves it and its record alone, and names both ways out', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '4', additionalWeights: {} });
    const before = w.store.peek('fb', ALIAS);
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(result.errors).toEqual([
      {
        functionName: 'fb',
        alias: ALIAS,
        code: 'NOTHING_TO_ROLL_BACK',
        message:
          'NOTHING_TO_ROLL_BACK: Alias live of function fb routes all traffic to version 4, which deployment d-1 (version 1 → 2, 20% when last recorded) never wrote: someone moved it (by hand, or with `lshift rollback --to`), so lshift will not guess where its traffic should go. ' +
          'Put all traffic on its stable version 1 and close the deployment: `lshift rollback fb --alias live --to 1`; or keep version 4 and close it: `lshift alias fb live 4`.',
      },
    ]);
    // fb is on one version, as it was: exit 1 (failed, that alias unchanged).
    expect(exitCodeForRollback(result.status)).toBe(1);
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb')).toEqual([]);
    expect(w.store.peek('fb', ALIAS)).toEqual(before);
  });

  // Its claim stopped a live runner ('taken over … following it'), then the refusal put the record
  // back under a runner that had let go: shifting, nobody driving, status STALLED (h3, session 69,
  // as 4bc3384b for one function). It is not claimed: a live runner closes it itself.
  it('writes no claim on it: a live runner there is not taken over', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '4': 0.5 } });
    await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(w.store.writes.filter((x) => x.functionName === 'fb')).toEqual([]);
    expect(w.store.writes.filter((x) => x.functionName === 'fa').length).toBeGreaterThan(0);
  });

  // A CodeDeploy one (not "moved by hand": RECORD_INVALID) was claimed and put back the same way.
  it('a CodeDeploy member on a foreign version: no claim written on it either', async () => {
    const w = abandonedRelease();
    w.store.seed('fb', ALIAS, { ...w.store.peek('fb', ALIAS)!, engine: 'codedeploy', codeDeployId: 'd-ABC' });
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '4': 0.5 } });
    const before = w.store.writes.length;
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.errors.map((e) => [e.functionName, e.code])).toEqual([['fb', 'RECORD_INVALID']]);
    expect(w.store.writes.slice(before).filter((x) => x.functionName === 'fb')).toEqual([]);
  });

  // Left split by hand (its stable version and one of its own): exit 1 said "alias unchanged"
  // beside a split nobody drives (found by a hostile pass). A split left is exit 4.
  it('one left split between its stable version and one of its own: exit 4 (unsafe), not 1', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '4': 0.5 } });
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: RELEASE,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.errors.map((e) => [e.functionName, e.code])).toEqual([['fb', 'NOTHING_TO_ROLL_BACK']]);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForRollback(result.status)).toBe(4);
  });
});
