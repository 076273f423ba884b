/**
 * A single deploy whose function is deleted at some moment of the shift, in every order: during
 * a hold (between two heartbeats, or before one), before the first weight write, during a bake,
 * during the rollback itself. Its words (the result's data, the reason, the `rollback.failed`
 * event the TTY step line and the GitHub summary show) say when only as far as lshift knows it.
 * Before (until 2 December 2026) a deletion the rollback's `rolling-back` mark found was said to
 * have happened "during the rollback", though it may have been up to a heartbeat spacing (30 s)
 * or more before the verdict.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import type { DeployResult } from '../../src/domain/events.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALARM, createWorld, FN, linear, request, type World } from './world.js';

const SINCE =
  "function demo was gone when lshift went to roll it back (deleted after lshift's last write to it)";

/** At `atMs` the function is deleted, its record (tags on it) with it: every later write fails. */
function deleteAt(w: World, atMs: number): void {
  let gone = false;
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === FN)
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        `Function ${FN} does not exist (lambda:TagResource).`,
        {},
      );
    return write(functionName, alias, record);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction(FN);
  });
}

async function deployFailingAt(w: World, alarmAtMs: number, bakeSeconds?: number): Promise<DeployResult> {
  w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + alarmAtMs, reason: 'errors over 3' });
  return runDeploy(w.deps, request({ ...linear(10, 60), ...(bakeSeconds ? { bakeSeconds } : {}) }));
}

function failedMessage(w: World): string | undefined {
  const [failed] = w.sink.ofType('rollback.failed');
  return failed?.message;
}

describe('a deploy whose function was deleted during a hold, found only when it rolls back', () => {
  it('says it was gone when lshift went to roll it back, not that it was deleted during the rollback', async () => {
    const w = createWorld();
    // Heartbeats land at 30 s; deleted at 35 s; the alarm at 36 s decides at the 40 s poll,
    // before the next heartbeat: the `rolling-back` mark is the first write to find it gone.
    deleteAt(w, 35_000);
    const result = await deployFailingAt(w, 36_000);

    expect(result.status).toBe('failed');
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_TARGET_DELETED',
      data: { what: 'function', sinceLastWrite: true },
    });
    expect(result.cause).not.toHaveProperty('data.missingBefore');
    const reason = describeReason(result)!;
    expect(reason).toBe(
      `could not roll back (at step 1 (10%): alarm demo-errors is ALARM: errors over 3): ${SINCE}: there is no traffic left to move and nothing to roll back`,
    );
    expect(failedMessage(w)).toBe(SINCE);
  });

  it('found gone by a heartbeat of the hold: deleted during the deployment', async () => {
    const w = createWorld();
    // Deleted at 25 s; the 30 s heartbeat finds it gone; the alarm decides at 40 s.
    deleteAt(w, 25_000);
    const result = await deployFailingAt(w, 36_000);

    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { missingBefore: true } });
    expect(result.cause).not.toHaveProperty('data.sinceLastWrite');
    expect(describeReason(result)).toContain('function demo was deleted during the deployment');
    expect(failedMessage(w)).toBe('function demo was deleted during the deployment');
  });
});

describe('a deploy whose function was deleted in other orders', () => {
  it('during the rollback itself (after its mark landed): deleted during the rollback', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 36_000, reason: 'errors over 3' });
    w.lambda.onCall = (call) => {
      const write = call.args[2] as AliasWrite;
      const restore = write?.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
      if (call.op === 'updateAlias' && restore && w.lambda.peekAlias(FN, 'live')) w.lambda.deleteFunction(FN);
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(result.cause).not.toHaveProperty('data.sinceLastWrite');
    expect(describeReason(result)).toContain('function demo was deleted during the rollback:');
    expect(failedMessage(w)).toBe('function demo was deleted during the rollback');
  });

  it('before the first weight write: the write met it, deleted during the deployment', async () => {
    const w = createWorld();
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && w.lambda.peekAlias(FN, 'live')) w.lambda.deleteFunction(FN);
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('failed');
    expect(describeReason(result)).toBe(
      'function demo was deleted during the deployment: at step 1 (10%) its weight write found no function, and the rollback found it gone too. There is no traffic left to move and nothing to roll back',
    );
    expect(failedMessage(w)).toBe('function demo was deleted during the deployment');
    expect(result.status).not.toBe('unsafe');
  });

  it('during the bake, between two heartbeats: gone when lshift went to roll it back', async () => {
    const w = createWorld();
    // 10 steps of 60 s reach 100% at 540 s; heartbeats every 30 s of the bake; deleted at
    // 665 s, the alarm decides at the 670 s poll before the 690 s heartbeat.
    deleteAt(w, 665_000);
    const result = await deployFailingAt(w, 666_000, 600);

    expect(result.cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { sinceLastWrite: true } });
    expect(describeReason(result)).toMatch(/^could not roll back \(during the bake \(100%\): /);
    expect(describeReason(result)).toContain(SINCE);
    expect(failedMessage(w)).toBe(SINCE);
  });
});

/**
 * A deletion found by a record read (its tags went with the function) is no unread record: the
 * hold before the next weight must not wait for a read that will never land (RECORD_UNREAD after
 * the stale limit, found by the suite under load); the next weight write meets the deletion, as
 * it did before.
 */
describe('a deploy whose record reads find the function deleted', () => {
  it('does not hold for its record: the next weight write meets the deletion (WEIGHT_WRITE_FAILED)', async () => {
    const w = createWorld();
    deleteAt(w, 35_000);
    let gone = false;
    w.clock.after(35_000, () => {
      gone = true;
    });
    const read = w.store.read.bind(w.store);
    w.store.read = async (functionName: string, alias: string) => {
      if (!gone) return read(functionName, alias);
      throw new OperationError('FUNCTION_NOT_FOUND', `Function ${FN} does not exist (lambda:ListTags).`, {});
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('failed');
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_TARGET_DELETED',
      data: { after: { code: 'WEIGHT_WRITE_FAILED', data: { error: 'FUNCTION_NOT_FOUND' } } },
    });
    expect(w.sink.logs('warn').filter((m) => m.includes('was to end'))).toEqual([]);
  });
});
