import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

/** A hook that takes `ms` of clock time (or ends early, failed, when the deployment aborts). */
function slowHook(w: World, ms: number) {
  return (_payload: unknown, opts: { signal?: AbortSignal }) =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
      opts.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'killed', durationMs: 0 }));
    });
}

function heartbeatsOf(w: World, phase: string): number[] {
  return w.store.writes.filter((x) => x.record.phase === phase).map((x) => x.record.heartbeatAt - w.start);
}

describe('runDeploy: heartbeats while hooks run', () => {
  it('writes a heartbeat every 30 s during a 10-minute pre-traffic hook, and stops when it ends', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:slow', slowHook(w, 600_000));
    const done = runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('slow')] } }));
    await w.clock.advance(0);
    await w.clock.advance(600_000);
    const beats = heartbeatsOf(w, 'pre-hook');
    expect(beats).toEqual(Array.from({ length: 20 }, (_, i) => i * HEARTBEAT_INTERVAL_MS));
    await w.clock.advance(60_000 + PROMOTION_SETTLE_MS);
    const result = await done;

    expect(result.status).toBe('promoted');
    // The record never looked stale: no gap between two writes reached the staleness limit.
    const all = w.store.writes.map((x) => x.record.heartbeatAt);
    const gaps = all.slice(1).map((t, i) => t - all[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS);
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('beats during a long step hook too (the record keeps its step)', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:soak', slowHook(w, 300_000));
    const done = runDeploy(w.deps, request({ ...canary(10, 60), hooks: { step: [cmdHook('soak')] } }));
    await w.clock.advance(0);
    await w.clock.advance(60_000);
    await w.clock.advance(300_000 + PROMOTION_SETTLE_MS);
    const result = await done;
    expect(result.status).toBe('promoted');
    const during = w.store.writes
      .map((x) => x.record)
      .filter((r) => r.heartbeatAt > w.start + 60_000 && r.heartbeatAt < w.start + 360_000);
    expect(during.length).toBeGreaterThanOrEqual(9);
    expect(during.every((r) => r.phase === 'shifting' && r.stepIndex === 0 && r.percent === 10)).toBe(true);
  });

  it('stops beating at once on Ctrl-C during a hook (no sleep left behind)', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    w.hooks.script('cmd:slow', slowHook(w, 600_000));
    w.clock.after(95_000, () => controller.abort(new Error('SIGINT')));
    const done = runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('slow')] }, signal: controller.signal }),
    );
    await w.clock.advance(0);
    await w.clock.advance(95_000);
    const result = await done;
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toBe(
      'interrupted before any traffic moved, during the pre-traffic hook; alias live unchanged',
    );
    expect(heartbeatsOf(w, 'pre-hook')).toEqual([0, 30_000, 60_000, 90_000]);
    expect(w.clock.pendingSleeps).toBe(0);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });

  it('a takeover seen at a heartbeat during a hook ends the hook at once and stops the deploy (taken over)', async () => {
    const w = createWorld({ auto: false });
    let hookSignal: AbortSignal | undefined;
    const slow = slowHook(w, 600_000);
    w.hooks.script('cmd:slow', (payload, opts) => {
      hookSignal = opts.signal;
      return slow(payload, opts);
    });
    // `lshift rollback` from another machine claims the record 100 s into the hook.
    w.clock.after(100_000, () => {
      const current = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, {
        ...current,
        phase: 'rolling-back',
        owner: 'rollback:ops@desk:3',
        heartbeatAt: w.clock.now(),
      });
    });
    const done = runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('slow')] } }));
    let settled = false;
    const settle = () => {
      settled = true;
    };
    done.then(settle, settle);
    await w.clock.advance(0);
    await w.clock.advance(130_000);

    // The heartbeat at 120 s found the claim: the hook was ended then, not 8 minutes later.
    expect(settled).toBe(true);
    expect(hookSignal?.aborted).toBe(true);
    const result = await done;
    // The claimant's rollback, seen with all traffic on the stable version (none had moved): the
    // deploy was rolled back by someone else — exit 3, not a conflict a pipeline would retry.
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({
      code: 'ROLLED_BACK_BY_OTHER',
      data: { owner: 'rollback:ops@desk:3' },
    });
    expect(result.finishedBy).toMatchObject({ owner: 'rollback:ops@desk:3', phase: 'rolling-back' });
    expect(describeReason(result)).toMatch(
      /^stopped by the rollback of rollback:ops@desk:3 before any traffic moved, while this lshift still ran it \(rolling back since [^)]+\): all traffic is still on version 1$/,
    );
    const hookEnd = w.sink.ofType('hook.completed')[0];
    expect(hookEnd).toMatchObject({ ok: false, reason: expect.stringContaining('taken over') });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: 'rollback:ops@desk:3' });
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('starts no heartbeat sleep for a hook that returns at once (an auto clock does not jump)', async () => {
    const w = createWorld();
    await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('quick')] } }));
    expect(w.clock.sleeps).not.toContain(HEARTBEAT_INTERVAL_MS);
    expect(w.clock.now() - w.start).toBe(60_000 + PROMOTION_SETTLE_MS);
  });
});
