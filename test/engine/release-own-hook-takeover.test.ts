/**
 * A function's own hook in a release (`{function}`-scoped, or a `functions:` entry's hooks: run
 * in that function's run alone) while another lshift takes ANOTHER of the release's functions
 * over (`lshift rollback fb`). The wait beats every function's record (beatWhileWaiting), so the
 * heartbeat that finds fb claimed ends the hook at once — as for a hook of the whole release
 * (release-hook-takeover.test.ts) — and the release ends the same way: fb is left to its new owner
 * (nothing written), the others roll back for it; rolled back (exit 3) when fb's alias is on its
 * stable version (rolled back by the claimant), a conflict (exit 5) when it is not. Before, the hook ran to its end (or
 * its timeout) for a release that could no longer finish.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';
import { TAKEN_OVER_REASON } from '../../src/engine/hook-phase.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  fleetWorld,
  fn,
  outlastFollow,
  release,
  runUntil,
  sameLostReasons,
  sleepHook,
  TAKER,
  takeOverAt,
} from './release-takeover-world.js';
import type { World } from './world.js';
import { ALIAS, canary, linear } from './world.js';

/** The release's functions, each with `cmd:sleep 600` as its own hook of `phase` when `hooked`. */
function ownHook(phase: 'pre' | 'step' | 'post', hooked: string, shape = canary(10, 60)) {
  return release(undefined, shape, (f) =>
    f === hooked ? { hooks: { [phase]: [cmdHook('sleep 600')] } } : {},
  );
}

/**
 * The ending of a release that found `taken` taken over: it left to its new owner, the others rolled
 * back. Its alias still on its stable version (no traffic of it moved yet): rolled back by the
 * rollback that claimed it, and so is the release (exit 3); elsewhere: a conflict (exit 5).
 */
function expectStoppedFor(
  w: World,
  result: ReleaseResult,
  taken: string,
  deploymentId: string,
  takenAlias: 'on its stable version' | 'moved',
): void {
  expect(result.failed).toEqual({ functionName: taken, alias: ALIAS });
  if (takenAlias === 'moved') {
    expect(result.status).toBe('conflict');
    expect(fn(result, taken)).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    expect(describeReason(fn(result, taken))).toContain(
      `deployment ${deploymentId} was taken over by ${TAKER}`,
    );
  } else {
    expect(result.status).toBe('rolled_back');
    expect(fn(result, taken)).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: TAKER } },
    });
    expect(describeReason(fn(result, taken))).toContain(`stopped by the rollback of ${TAKER}`);
  }
  for (const other of ['fa', 'fb', 'fc'].filter((f) => f !== taken)) {
    expect(fn(result, other)).toMatchObject({ status: 'rolled_back', cause: { code: 'TAKEN_OVER' } });
    expect(fn(result, other).cause?.detail).toContain(`function ${taken} stopped: `);
    expect(fn(result, other).cause?.detail).toContain(`taken over by ${TAKER}`);
    expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
  }
  expect(w.store.peek(taken, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  expect(w.clock.pendingSleeps).toBe(0);
}

describe("a function's own pre-traffic hook in a release while another function is taken over", () => {
  it("`lshift rollback fb` 100 s into fa's own hook: the hook ends at the next heartbeat; fb is left to the rollback, fa and fc roll back", async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(w, ownHook('pre', 'fa'), 130_000);

    // The heartbeat at 120 s found fb's record claimed: fa's hook was ended then, not at 600 s.
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;
    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'pre', ok: false, reason: TAKEN_OVER_REASON }),
    ]);
    expectStoppedFor(w, result, 'fb', 'd-1', 'on its stable version');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('the hook of a function other than the first (fb), the first (fa) taken over: fa is left to it, fb and fc roll back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    takeOverAt(w, 100_000, ['fa']);
    const { settled, running } = await runUntil(w, ownHook('pre', 'fb'), 130_000);
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    expectStoppedFor(w, await running, 'fa', 'd-0', 'on its stable version');
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('its own function taken over (as before): that function is left to it, the others roll back', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    takeOverAt(w, 100_000, ['fa']);
    const { settled, running } = await runUntil(w, ownHook('pre', 'fa'), 130_000);
    expect(settled).toBe(true);
    expect(hook.signal?.aborted).toBe(true);
    expectStoppedFor(w, await running, 'fa', 'd-0', 'on its stable version');
  });
});

describe("a function's own step hook (traffic already moved) while another function is taken over", () => {
  it("ends at the next heartbeat: fa and fc go back to their stable version from 25%, fb's alias is left as it is", async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // 25% from 0 s; fa's own step hook before 50% starts at 60 s. fb is claimed 40 s into it.
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(w, ownHook('step', 'fa', linear(25, 60)), 130_000);
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fb']);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;

    expectStoppedFor(w, result, 'fb', 'd-1', 'moved');
    for (const other of ['fa', 'fc']) {
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.25 });
  });
});

describe("a function's own post-traffic hook while another function is taken over", () => {
  it('ends at the next heartbeat, and fa and fc are rolled back from 100%', async () => {
    const w = fleetWorld();
    const hook = sleepHook(w);
    // The canary ends (promote) at 60 s; fc's own post hook starts then. fb is claimed 100 s into it.
    takeOverAt(w, 160_000, ['fb']);
    const { settled, running } = await runUntil(w, ownHook('post', 'fc'), 240_000);
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fb']);
    expect(hook.signal?.aborted).toBe(true);
    const result = await running;

    expect(w.sink.ofType('hook.completed')).toEqual([
      expect.objectContaining({ phase: 'post', ok: false, reason: TAKEN_OVER_REASON }),
    ]);
    expectStoppedFor(w, result, 'fb', 'd-1', 'moved');
    for (const other of ['fa', 'fc']) {
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
  });
});

describe('two functions taken over whose reasons read the same', () => {
  // fa, the release's command reader, reads its record at every poll (so an abort is obeyed
  // within one): it would find its own claim first. fb and fc are found by the same heartbeat.
  it("fb and fc claimed at once during fc's own hook: the release names fc (the run that found it), not the first function with that text", async () => {
    const restore = sameLostReasons();
    try {
      const w = fleetWorld();
      const hook = sleepHook(w);
      takeOverAt(w, 100_000, ['fb', 'fc']);
      const { settled, running } = await runUntil(w, ownHook('pre', 'fc'), 130_000);
      expect(settled).toBe(true);
      expect(hook.signal?.aborted).toBe(true);
      const result = await running;

      // Both claimed before any traffic moved: rolled back by the claimant, the release too.
      expect(result.status).toBe('rolled_back');
      expect(result.failed).toEqual({ functionName: 'fc', alias: ALIAS });
      expect(fn(result, 'fc')).toMatchObject({
        status: 'rolled_back',
        cause: { code: 'ROLLED_BACK_BY_OTHER' },
      });
      expect(fn(result, 'fa')).toMatchObject({ status: 'rolled_back', cause: { code: 'TAKEN_OVER' } });
      expect(fn(result, 'fa').cause?.detail).toContain('function fc stopped: ');
      expect(w.store.peek('fc', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
    } finally {
      restore();
    }
  });
});
