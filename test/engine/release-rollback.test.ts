/**
 * `lshift rollback --release` when a record cannot be read: expired credentials or a denied
 * read are not "this function has no record of the release".
 */
import { describe, expect, it } from 'vitest';
import { describeReleaseRollbackLines } from '../../src/cli/rollback-release.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { RELEASE as ABANDONED, abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, createWorld, FN, type World, writesOf } from './world.js';

const OTHER = 'other';
const RELEASE = 'r-abc123';

function expired(): OperationError {
  return new OperationError(
    'CREDENTIALS_INVALID',
    'AWS rejected the credentials for lambda:GetFunctionConfiguration on function demo (ExpiredTokenException)',
  );
}

function splitMember(w: World, fn: string): void {
  w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  const record: DeploymentRecord = {
    id: `d-${fn}`,
    releaseId: RELEASE,
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:10%:10m',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: w.start - 60_000,
    owner: 'ci@runner:7',
    heartbeatAt: w.start - 60_000,
    history: ['1'],
  };
  w.store.seed(fn, ALIAS, record);
}

function worldOfTwo(): World {
  const w = createWorld();
  w.lambda.addFunction(OTHER);
  w.lambda.addVersion(OTHER);
  w.lambda.addVersion(OTHER);
  w.lambda.addAlias(OTHER, ALIAS, '1');
  splitMember(w, FN);
  splitMember(w, OTHER);
  return w;
}

const targets = [
  { functionName: FN, alias: ALIAS },
  { functionName: OTHER, alias: ALIAS },
];

describe('rollbackRelease with unreadable records', () => {
  it('fails with the read error, not RELEASE_NOT_FOUND, when no record can be read', async () => {
    const w = worldOfTwo();
    w.store.failReads(expired());
    await expect(
      rollbackRelease(w.deps, { releaseId: RELEASE, targets, reason: 'manual rollback' }),
    ).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    expect(writesOf(w.lambda)).toEqual([]);
  });

  it('reports a function whose record could not be read as an error, not as skipped', async () => {
    const w = worldOfTwo();
    w.store.failReads(expired(), 1);
    const result = await rollbackRelease(w.deps, { releaseId: RELEASE, targets, reason: 'manual rollback' });
    expect(result.skipped).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({ functionName: FN, code: 'CREDENTIALS_INVALID' }),
    ]);
    expect(result.errors[0]!.message).toContain('could not read the deployment record');
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([[OTHER, 'rolled_back']]);
    expect(result.status).toBe('failed');
  });
});

describe('rollbackRelease when one function is deleted during its rollback', () => {
  it('puts the other back and reports the deleted one failed, with no fix: not unsafe', async () => {
    const w = worldOfTwo();
    // Someone deletes OTHER just as its rollback write goes out.
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && call.args[0] === OTHER) w.lambda.deleteFunction(OTHER);
    };
    const result = await rollbackRelease(w.deps, { releaseId: RELEASE, targets, reason: 'manual rollback' });

    const other = result.functions.find((f) => f.functionName === OTHER)!;
    expect(other.status).toBe('failed');
    expect(other.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(other.fixCommand).toBeUndefined();
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === OTHER)).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status).toBe('failed');
  });
});

/**
 * A person's `rollback --release` whose claim landed but could not be read back said "owner this
 * check" and "other checks leave it to this one" (found by a pass): it is no check.
 */
describe('a person’s rollback --release whose claim was written but could not be read back', () => {
  it('says the claim is this rollback’s, and how to finish it', async () => {
    const w = abandonedRelease();
    const [first] = NAMES;
    // Once its claim is written, the first function's record can no longer be read.
    let claimed = false;
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (fn === first && record.phase === 'rolling-back') claimed = true;
    };
    const read = w.store.read.bind(w.store);
    w.store.read = async (fn, alias) => {
      if (claimed && fn === first) throw new Error('ThrottlingException: Rate exceeded');
      return read(fn, alias);
    };
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: ABANDONED,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    const said = JSON.stringify(result);
    expect(said).toContain(
      'claimed its record (`rolling-back`, owner this rollback) but could not read the claim back',
    );
    expect(said).toContain('run the same rollback again from this machine to finish it');
    expect(said).not.toContain('this check');
    expect(said).not.toContain('other checks leave it');
    // Not rolled back, its alias still 75/25: exit 4 with the alias state and the fix, not
    // `failed` (exit 1) — found by a pass, session 64 (DESIGN.md: no split without exit 4).
    expect(result.status).toBe('unsafe');
    const error = result.errors.find((e) => e.functionName === first)!;
    expect(error.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.25 } });
    expect(error.fixCommand).toContain(`--function-name ${first} --name ${ALIAS} --function-version 1`);
    const lines = describeReleaseRollbackLines(ABANDONED, result, true).join('\n');
    expect(lines).toContain(`Release ${ABANDONED}: unsafe`);
    expect(lines).toContain('its alias is left split: version 1 (75%) + version 2 (25%)');
    expect(lines).toContain(
      `Fix: run the same rollback again, or put all traffic on version 1: aws lambda update-alias --function-name ${first}`,
    );
  });

  it('stays failed (exit 1) when the alias of the function not rolled back is not split', async () => {
    const w = abandonedRelease();
    const [first] = NAMES;
    w.lambda.moveAlias(first!, ALIAS, { functionVersion: '1', additionalWeights: {} });
    let claimed = false;
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (fn === first && record.phase === 'rolling-back') claimed = true;
    };
    const read = w.store.read.bind(w.store);
    w.store.read = async (fn, alias) => {
      if (claimed && fn === first) throw new Error('ThrottlingException: Rate exceeded');
      return read(fn, alias);
    };
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:ann@laptop:41' },
      {
        releaseId: ABANDONED,
        targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'manual rollback',
      },
    );
    expect(result.status).toBe('failed');
    expect(result.errors.find((e) => e.functionName === first)!.fixCommand).toBeUndefined();
  });
});
