/**
 * A heartbeat whose write lands late — longer after the read that found the record its own than a
 * claimant waits before it reads its claim back (CHECK_CLAIM_SETTLE_MS: a process starved of CPU,
 * a TagResource retried by the SDK) — goes over a takeover unseen: `lshift rollback fb` claims
 * fb's record, finds its claim still there 3 s later, fences the alias (the same routing written
 * again, a new RevisionId) and closes the record `rolled-back`; then the release's heartbeat, read
 * before the claim, lands and puts its own `started` record back. Tags have no conditional write,
 * so nothing in the record is left to say so. Before, the release went on: fa's own pre-traffic
 * hook ran to its end (up to --hook-timeout; the e2e test's hour), fa and fc then moved traffic,
 * and only fb's next weight write (a 412 on the fence) stopped it; a single deploy's hook ran on
 * the same way. Now a hook's wait, which reads no alias, reads the alias of a function whose
 * write landed that late: written by someone else since, the function was taken over, and the
 * hook ends at that beat. A write landing within the settle cannot go over a
 * claim unseen: its claimant reads the record back after it and claims again (rollback-claim.ts).
 */
import { describe, expect, it } from 'vitest';
import { CHECK_CLAIM_SETTLE_MS } from '../../src/engine/check-claim.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { TAKEN_OVER_REASON } from '../../src/engine/hook-phase.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { fleetWorld, fn, release, runUntil, sleepHook, TAKER } from './release-takeover-world.js';
import type { World } from './world.js';
import { ALIAS, canary, createFleetWorld, FN, request } from './world.js';

/** fa's own `cmd:sleep 600` pre-traffic hook (the release's other functions have none). */
const faHook = () =>
  release(undefined, canary(10, 60), (f) => (f === 'fa' ? { hooks: { pre: [cmdHook('sleep 600')] } } : {}));

/**
 * `taken`'s (fb's) first record write from `fromMs` on lands `lateMs` after it was sent; meanwhile
 * `lshift rollback` of it runs whole: its claim, the fence (its alias written again as it is: a new
 * RevisionId), its close. Returns what the store held just before the late write landed.
 */
function rollbackUnderLateWrite(
  w: World,
  fromMs: number,
  lateMs: number,
  taken = 'fb',
): { overwritten?: string } {
  const seen: { overwritten?: string } = {};
  const write = w.store.write.bind(w.store);
  let done = false;
  w.store.write = async (functionName, alias, record) => {
    if (done || functionName !== taken || w.clock.elapsed() < fromMs)
      return write(functionName, alias, record);
    done = true;
    const before = w.store.peek(taken, ALIAS)!;
    const at = w.clock.now();
    w.store.seed(taken, ALIAS, { ...before, phase: 'rolling-back', owner: TAKER, heartbeatAt: at });
    w.lambda.moveAlias(taken, ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.store.seed(taken, ALIAS, {
      ...before,
      phase: 'rolled-back',
      owner: TAKER,
      heartbeatAt: at + 1,
      endedAt: at + 1,
    });
    await w.clock.sleep(lateMs);
    seen.overwritten = `${w.store.peek(taken, ALIAS)?.phase} by ${w.store.peek(taken, ALIAS)?.owner}`;
    return write(functionName, alias, record);
  };
  return seen;
}

describe("a release's late heartbeat that went over `lshift rollback` of its function, while a hook runs", () => {
  it('the alias written since says fb was taken over: the hook ends at that beat, nothing moves, fa and fc roll back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    const late = rollbackUnderLateWrite(w, 100_000, CHECK_CLAIM_SETTLE_MS + 1_000);
    const { settled, running } = await runUntil(w, faHook(), 200_000);

    // The late write went over the rollback's close: the store says nothing of it any more.
    expect(late.overwritten).toBe(`rolled-back by ${TAKER}`);
    expect(w.store.peek('fb', ALIAS)?.owner).not.toBe(TAKER);
    // Ended at the beat whose write landed late, not after 600 s.
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'pre', ok: false, reason: TAKEN_OVER_REASON }),
    ]);
    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    expect(fn(result, 'fb').cause?.detail).toContain('its RevisionId changed');
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other)).toMatchObject({ status: 'rolled_back', cause: { code: 'TAKEN_OVER' } });
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    }
    // No traffic moved anywhere: not fa's and fc's 10% before fb's fence stopped a weight write.
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('a write landing within the settle reads no alias: the release goes on as before (its claimant would have claimed again)', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    const seen = { late: false };
    const write = w.store.write.bind(w.store);
    w.store.write = async (functionName, alias, record) => {
      if (!seen.late && functionName === 'fb' && w.clock.elapsed() >= 100_000) {
        seen.late = true;
        await w.clock.sleep(CHECK_CLAIM_SETTLE_MS);
      }
      return write(functionName, alias, record);
    };
    const reads = () => w.lambda.callsOf('getAlias').length;
    let readsBefore = 0;
    w.clock.after(100_000, () => {
      readsBefore = reads();
    });
    const { running } = await runUntil(w, faHook(), 200_000);
    expect(seen.late).toBe(true);
    expect(reads()).toBe(readsBefore);
    expect(hook.signal?.aborted).toBe(false);
    await w.clock.advance(600_000);
    expect((await running).status).toBe('promoted');
  });
});

describe("a single deploy's late heartbeat that went over `lshift rollback`, while its pre-traffic hook runs", () => {
  it('ends the hook at that beat: a conflict (exit 5, TAKEN_OVER), no traffic moved', async () => {
    const w = createFleetWorld([FN], { auto: false });
    const hook = sleepHook(w);
    const late = rollbackUnderLateWrite(w, 100_000, CHECK_CLAIM_SETTLE_MS + 1_000, FN);
    let settled = false;
    const req = request({
      ...canary(10, 60),
      alarms: [`${FN}-errors`],
      hooks: { pre: [cmdHook('sleep 600')] },
    });
    const running = runDeploy(w.deps, req).finally(() => {
      settled = true;
    });
    await w.clock.advance(0);
    await w.clock.advance(200_000);

    expect(late.overwritten).toBe(`rolled-back by ${TAKER}`);
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(result).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    expect(result.cause?.detail).toContain('its RevisionId changed');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });
});
