/**
 * A hook of the whole release (run once, in the first function's run) while another lshift takes
 * one of the release's functions over (`lshift rollback fb`, `rollback --release`, a check): the
 * hook is ended at the heartbeat that finds it, as a single deploy's hook is, whichever function
 * was taken over — not run to its end for a release that can no longer finish. The release then
 * ends as it does when it finds a function taken over between steps: that function is left to its
 * new owner (nothing written), the others roll back for it. A rollback's claim on a function whose
 * alias is all on its stable version (before any traffic moved) is that function rolled back by
 * the claimant: the release ends rolled back (exit 3), not a conflict (exit 5) a pipeline would
 * retry; a claim on a function whose alias is elsewhere (after the promote) stays a conflict.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { TAKEN_OVER_REASON } from '../../src/engine/hook-phase.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  FNS,
  fleetWorld,
  fn,
  outlastFollow,
  release,
  runUntil,
  sleepHook,
  TAKER,
  takeOverAt,
} from './release-takeover-world.js';
import { ALIAS, linear } from './world.js';

describe('a pre-traffic hook of the whole release while one of its functions is taken over', () => {
  it('`lshift rollback fb` 100 s in: the hook ends at the next heartbeat; fb is left to the rollback, fa and fc roll back before any traffic moved: rolled back (exit 3)', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('sleep 600')] }), 130_000);

    // The release heartbeat at 120 s found fb's record claimed: the hook was ended then, not at 600 s.
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'pre', ok: false, reason: TAKEN_OVER_REASON, releaseId: 'r-hook01' }),
    ]);

    // The ending of a function taken over between steps: fb is the one the release stopped for,
    // stopped by the rollback before any of its traffic moved (its alias is on version 1).
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      finishedBy: { owner: TAKER, phase: 'rolling-back' },
    });
    expect(describeReason(fn(result, 'fb'))).toContain(`stopped by the rollback of ${TAKER}`);
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other)).toMatchObject({ status: 'rolled_back', cause: { code: 'TAKEN_OVER' } });
      expect(fn(result, other).cause?.detail).toContain('function fb stopped: ');
      expect(fn(result, other).cause?.detail).toContain(`taken over by ${TAKER}`);
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    }
    // No alias was ever written, and fb's record is still the rollback's.
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('the first function (whose run executes the hook) taken over: the others roll back, they do not stop as conflicts; rolled back (exit 3)', async () => {
    const w = fleetWorld();
    sleepHook(w);
    takeOverAt(w, 100_000, ['fa']);
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('sleep 600')] }), 130_000);
    expect(settled).toBe(true);
    const result = await running;

    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'fa', alias: ALIAS });
    expect(fn(result, 'fa')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER' },
    });
    for (const other of ['fb', 'fc']) {
      expect(fn(result, other).status).toBe('rolled_back');
      expect(fn(result, other).cause?.detail).toContain('function fa stopped: ');
      // Closed, not left `started` with a heartbeat that stopped (a check would find it abandoned).
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    }
    expect(w.store.peek('fa', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });

  it('`lshift rollback --release` (every record claimed): every function is left to it, nothing written; rolled back by it (exit 3)', async () => {
    const w = fleetWorld();
    sleepHook(w);
    takeOverAt(w, 100_000, FNS);
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('sleep 600')] }), 130_000);
    expect(settled).toBe(true);
    const result = await running;

    expect(result.status).toBe('rolled_back');
    for (const name of FNS) {
      expect(fn(result, name)).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
      });
      expect(w.store.peek(name, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
    }
    expect(w.lambda.aliasWrites()).toEqual([]);
  });
});

describe('a post-traffic hook of the whole release while one of its functions is taken over', () => {
  it('ends at the next heartbeat, and the release ends as its last step would have: fb left to its new owner (its alias on version 2: a conflict), fa and fc rolled back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // The canary ends (promote) at 60 s; the post hook starts then. fb is claimed 100 s into it.
    takeOverAt(w, 160_000, ['fb']);
    const { settled, running } = await runUntil(w, release({ post: [cmdHook('sleep 600')] }), 240_000);
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fb']);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;

    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'post', ok: false, reason: TAKEN_OVER_REASON }),
    ]);
    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other).status).toBe('rolled_back');
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });
});

describe('a step hook of the whole release (traffic already moved) while one of its functions is taken over', () => {
  it('ends at the next heartbeat: fa and fc go back to their stable version from 25%, fb is left to its new owner as it is', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // 25% from 0 s; the step hook before 50% starts at 60 s. fb is claimed 40 s into it.
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(
      w,
      release({ step: [cmdHook('sleep 600')] }, linear(25, 60)),
      130_000,
    );
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fb']);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;

    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other).status).toBe('rolled_back');
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    // Nothing written to fb after the takeover: its alias is as the release's 25% left it.
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.25 });
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });
});
