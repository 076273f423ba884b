/**
 * The function (or its alias) is deleted while lshift rolls it back. Retrying the alias write
 * cannot help and no command can fix it: the rollback stops at once (after a GetAlias confirms
 * the deletion), says so, offers no fix, and ends `failed` (exit 1), never `unsafe` with a split
 * that no longer exists. A missing version or a throttle is never taken for a deletion.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForCheck, exitCodeForRollback, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import {
  ALARM,
  ALIAS,
  createFleetWorld,
  createWorld,
  deadRecord,
  FN,
  linear,
  request,
  type World,
} from './world.js';

const isRestoreOf = (fn: string) => (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return args[0] === fn && write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

/** Someone deletes `fn` (or its alias) just as lshift sends its first rollback write. */
function deleteAtRollback(w: World, fn: string, what: 'function' | 'alias'): void {
  const isRestore = isRestoreOf(fn);
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || !isRestore(call.args)) return;
    if (what === 'function') w.lambda.deleteFunction(fn);
    else if (w.lambda.peekAlias(fn, ALIAS)) w.lambda.deleteAlias(fn, ALIAS);
  };
}

function restoreWrites(w: World, fn = FN): number {
  return w.lambda.callsOf('updateAlias').filter((c) => isRestoreOf(fn)(c.args)).length;
}

describe('a deploy whose function is deleted during its rollback', () => {
  it('stops at once: failed (exit 1), no fix command, says the function was deleted', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    deleteAtRollback(w, FN, 'function');
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('failed');
    expect(exitCodeForStatus(result.status)).toBe(1);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(result.aliasState).toBeUndefined();
    // One write, one confirming read, no retries and no sleeps between them.
    expect(restoreWrites(w)).toBe(1);
    expect(w.clock.sleeps.filter((ms) => [500, 1000, 2000].includes(ms))).toEqual([]);
    const reason = describeReason(result)!;
    expect(reason).toMatch(/^could not roll back \(at step 2 \(20%\): alarm demo-errors is ALARM/);
    // Its `rolling-back` mark landed on the function first: it really went during the rollback.
    expect(reason).toContain('function demo was deleted during the rollback');
    expect(result.cause).not.toHaveProperty('data.sinceLastWrite');
    expect(reason).toContain('nothing to roll back');
    expect(reason).not.toMatch(/lshift rollback|update-alias|is at version/);
    expect(w.sink.ofType('rollback.failed')).toHaveLength(1);
  });

  it('says the alias was deleted when only the alias is gone, and closes the record as failed', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    deleteAtRollback(w, FN, 'alias');
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('failed');
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'alias' } });
    expect(restoreWrites(w)).toBe(1);
    // The function's record (tags on it) landed `rolling-back`, but that says nothing of its
    // alias: all lshift knows is that the restore found it gone.
    expect(describeReason(result)).toContain(
      "alias live of function demo was gone when lshift went to roll it back (deleted after lshift's last write to it)",
    );
    expect(describeReason(result)).not.toContain('during the rollback');
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('failed');
  });

  it('keeps retrying (unsafe, exit 4) a write refused for a missing version while the alias is still there', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.lambda.fail({
      op: 'updateAlias',
      match: isRestoreOf(FN),
      times: Number.POSITIVE_INFINITY,
      error: new OperationError('VERSION_NOT_FOUND', 'Version 1 of function demo does not exist.'),
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED' });
    expect(restoreWrites(w)).toBe(4);
  });

  it('keeps retrying when the write says "not found" but the confirming read is throttled', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    const notFound = new OperationError('FUNCTION_NOT_FOUND', 'Function demo does not exist.');
    w.lambda.fail({
      op: 'updateAlias',
      match: isRestoreOf(FN),
      times: Number.POSITIVE_INFINITY,
      error: notFound,
    });
    // Every read after the deploy's own ones is throttled: unknown, so not "deleted".
    const throttled = new OperationError('THROTTLED', 'Rate exceeded');
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && isRestoreOf(FN)(call.args))
        w.lambda.fail({ op: 'getAlias', times: Number.POSITIVE_INFINITY, error: throttled });
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    expect(restoreWrites(w)).toBe(4);
  });
});

describe('lshift rollback of a function deleted under it', () => {
  it('ends failed (exit 1) after one write, with no fix command', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    deleteAtRollback(w, FN, 'function');
    const result = await rollbackDeployment(w.deps, {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual rollback',
    });

    expect(result.status).toBe('failed');
    expect(exitCodeForRollback(result.status)).toBe(1);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(restoreWrites(w)).toBe(1);
    expect(describeReason(result)).toBe(
      'function demo was deleted during the rollback: there is no traffic left to move and nothing to roll back',
    );
  });
});

describe('a release one of whose functions is deleted during its rollback', () => {
  it('rolls the others back as usual and reports the deleted one failed, with no fix for it', async () => {
    const names = ['fa', 'fb', 'fc'];
    const w = createFleetWorld(names);
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 90_000, reason: 'errors over 3' });
    deleteAtRollback(w, 'fb', 'function');
    const req: ReleaseRequest = {
      releaseId: 'r-gone01',
      members: names.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
      ),
    };
    const result = await runRelease(w.deps, req);

    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb.status).toBe('failed');
    expect(fb.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(fb.fixCommand).toBeUndefined();
    expect(restoreWrites(w, 'fb')).toBe(1);
    for (const fn of ['fa', 'fc']) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(result.functions.find((f) => f.functionName === fn)?.status).toBe('rolled_back');
    }
    // Not unsafe (exit 4): nothing is left split; a failure the operator must know about (exit 1).
    expect(result.status).toBe('failed');
    expect(exitCodeForStatus(result.status)).toBe(1);
    const text = renderReleaseResult(withReleaseReason(result));
    // Deleted as its restore was sent, after the release's `rolling-back` mark on fb landed: a
    // write of the rollback saw it there, so it went during the rollback, as a single deploy's
    // would (deletion-words.ts). Before (2 December 2026) a release never said so.
    expect(fb.cause).not.toHaveProperty('data.sinceLastWrite');
    expect(text).toContain('function fb was deleted during the rollback: nothing left to roll back');
    expect(text).not.toContain('lshift rollback fb');
  });
});

describe('lshift check rolling back a function deleted under it', () => {
  it('reports an error (exit 1), not a failed rollback (exit 4), with no fix', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { strategy: 'linear:10%:1m' }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
    deleteAtRollback(w, FN, 'function');
    const report = await runCheck(
      { ...w.deps, store: w.store },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );

    const [only] = report.results;
    expect(only?.action).toBe('error');
    expect(only?.reason).toContain(
      'function demo was deleted during the rollback: nothing left to roll back',
    );
    expect(only?.reason).not.toMatch(/lshift rollback|update-alias/);
    expect(exitCodeForCheck(report)).toBe(1);
    expect(restoreWrites(w)).toBe(1);
  });
});
