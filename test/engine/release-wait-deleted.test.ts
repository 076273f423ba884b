/**
 * A function of a release deleted while the release waits without polling health: a hook (a
 * function's own, or the release's) or a lockstep level waiting for one function's provisioned
 * concurrency. The wait beats every function's record (beatWhileWaiting), so the heartbeat that
 * finds the deleted function gone ends the wait — as a hold's poll would (release-deleted-at-once
 * .test.ts) — and the release decides there: the deleted function fails, the others roll back.
 * Before (2 December 2026) the wait ran to its end (a 10-minute hook, a 4-minute allocation) while
 * the others' aliases stayed split.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';
import { TAKEN_OVER_REASON } from '../../src/engine/hook-phase.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { fleetWorld, fn, release, runUntil, sleepHook } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

const DELETED_AT_MS = 100_000;

/** From `atMs` on, `name` is gone with its record (tags on it): its record's writes and reads fail. */
function deleteAt(w: World, name: string, atMs: number): void {
  let gone = false;
  const notFound = (op: string) =>
    new OperationError('FUNCTION_NOT_FOUND', `Function ${name} does not exist (lambda:${op}).`, {});
  const write = w.store.write.bind(w.store);
  const read = w.store.read.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === name) throw notFound('TagResource');
    return write(functionName, alias, record);
  };
  w.store.read = async (functionName: string, alias: string) => {
    if (gone && functionName === name) throw notFound('ListTags');
    return read(functionName, alias);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction(name);
  });
}

async function expectDecidedFor(w: World, running: Promise<ReleaseResult>, deleted: string): Promise<void> {
  const result = withReleaseReason(await running);
  expect(result.status).toBe('failed');
  expect(result.failed).toEqual({ functionName: deleted, alias: ALIAS });
  expect(fn(result, deleted)).toMatchObject({
    status: 'failed',
    cause: {
      code: 'ROLLBACK_TARGET_DELETED',
      data: { what: 'function', missingBefore: true, after: { code: 'FUNCTION_DELETED' } },
    },
  });
  for (const other of ['fa', 'fb', 'fc'].filter((f) => f !== deleted)) {
    expect(fn(result, other).status, other).toBe('rolled_back');
    expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
  }
  expect(result.reason).toMatch(
    new RegExp(`^function ${deleted} failed: function ${deleted} was deleted during the release`),
  );
  expect(w.clock.pendingSleeps).toBe(0);
}

describe('a function of a release deleted during a wait that does not poll health', () => {
  it("fb deleted 100 s into fa's own pre-traffic hook: the hook ends at the next heartbeat, fa and fc roll back", async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    deleteAt(w, 'fb', DELETED_AT_MS);
    const own = (f: string) => (f === 'fa' ? { hooks: { pre: [cmdHook('sleep 600')] } } : {});
    const { settled, running } = await runUntil(w, release(undefined, undefined, own), 200_000);

    // Not at the hook's end (600 s): the first heartbeat after the deletion found it.
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const ended = w.sink.ofType('hook.completed');
    expect(ended).toEqual([expect.objectContaining({ phase: 'pre', ok: false })]);
    expect(ended[0]?.reason).not.toBe(TAKEN_OVER_REASON);
    expect(ended[0]?.reason).toBe('ended: function fb was deleted');
    // Before any traffic moved: the others are unchanged; fb is gone — not "on its stable
    // version" — and the release fails for it (exit 1), as when a hold's poll finds it.
    const result = withReleaseReason(await running);
    expect(result.status).toBe('failed');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'failed',
      cause: {
        code: 'ROLLBACK_TARGET_DELETED',
        data: { what: 'function', missingBefore: true, after: { code: 'FUNCTION_DELETED' } },
      },
    });
    // A hook's beat reads each record before its heartbeat (it may carry an abort), as a hold's
    // poll does: that read finds fb gone.
    for (const f of ['fa', 'fc']) {
      expect(fn(result, f), f).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'FUNCTION_DELETED', data: { foundBy: 'read', functionName: 'fb' } },
      });
    }
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.sink.ofType('rollback.failed').map((e) => e.message)).toEqual([
      'function fb was deleted during the release',
    ]);
    expect(result.reason).toBe(
      'function fb failed: function fb was deleted during the release: a read of its deployment record found no function before any traffic moved. There is no traffic left to move and nothing to roll back; fa and fc are unchanged, all traffic still on their stable versions',
    );
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it("fc deleted 100 s into the release's post-traffic hook: the hook ends, fa and fb roll back from 100%", async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // The canary promotes at 60 s; the release's post hook starts then.
    deleteAt(w, 'fc', 160_000);
    const hooks = { post: [cmdHook('sleep 600')] };
    const { settled, running } = await runUntil(w, release(hooks), 260_000);
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    await expectDecidedFor(w, running, 'fc');
  });

  it("fb deleted 100 s into a level's wait for fa's provisioned concurrency: the wait ends at the next heartbeat", async () => {
    const w = fleetWorld();
    // fa's allocation takes 4 minutes after each routing change (48 reads 5 s apart).
    w.lambda.setProvisionedConcurrency('fa', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    deleteAt(w, 'fb', DELETED_AT_MS);
    const { settled, running } = await runUntil(w, release(undefined, linear(50, 600)), 200_000);
    expect(settled).toBe(true);
    await expectDecidedFor(w, running, 'fb');
    // No step past the first level: the release did not wait for the allocation to end.
    expect(w.sink.ofType('step.started').filter((e) => e.index > 0)).toEqual([]);
  });
});
