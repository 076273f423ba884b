/**
 * A lockstep level waits for its last write to be ready: after fa's weight write, for fa's
 * provisioned concurrency to be READY again (minutes, at worst). The others wait for it and their
 * records beat from fa's wait (beatWhileWaiting). When another lshift takes fb over meanwhile
 * (`lshift rollback fb`), the wait ends at the heartbeat that finds it — not when fa's allocation is
 * done — and the release ends as when a function's own step finds it taken over: fb is left to its
 * new owner (conflict, nothing more written), fa and fc roll back for it. With --stagger, fb and
 * fc wait their turn behind fa's wait the same way.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import {
  fleetWorld,
  fn,
  outlastFollow,
  release,
  runUntil,
  sameLostReasons,
  TAKER,
  takeOverAt,
} from './release-takeover-world.js';
import { ALIAS } from './world.js';

describe("a lockstep level waiting for one function's provisioned concurrency while another is taken over", () => {
  it('`lshift rollback fb` 100 s into the wait: it ends at the next heartbeat; fb is left to the rollback, fa and fc roll back', async () => {
    const w = fleetWorld();
    // fa's allocation takes 4 minutes after each routing change (48 reads 5 s apart).
    w.lambda.setProvisionedConcurrency('fa', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(w, release(undefined), 130_000);

    // The heartbeat at 120 s found fb's record claimed: the level stopped waiting then.
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fb']);
    const result = await running;
    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    expect(describeReason(fn(result, 'fb'))).toContain(`deployment d-1 was taken over by ${TAKER}`);
    for (const other of ['fa', 'fc']) {
      expect(fn(result, other)).toMatchObject({ status: 'rolled_back', cause: { code: 'TAKEN_OVER' } });
      expect(fn(result, other).cause?.detail).toContain('function fb stopped: ');
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    }
    // Nothing written to fb after the takeover: its alias is as the level's 10% left it.
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.1 });
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
    expect(w.clock.pendingSleeps).toBe(0);
    // Each function's 10% step was ended from outside: fb by its taker, fa (still waiting for its
    // allocation) and fc (never held) for fb. None reads completed, as if its hold had run.
    for (const f of ['fa', 'fb', 'fc']) {
      expect(fn(result, f).steps, f).toEqual([
        expect.objectContaining({ percent: 10, result: 'stopped', endedAt: expect.any(Number) }),
      ]);
    }
  });

  it('the waiting function itself (fa) taken over: as before, fa is left to it, fb and fc roll back', async () => {
    const w = fleetWorld();
    w.lambda.setProvisionedConcurrency('fa', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    takeOverAt(w, 100_000, ['fa']);
    const { settled, running } = await runUntil(w, release(undefined), 130_000);
    // Ended for the others; its claim is followed (never ending here) before the release ends.
    expect(settled).toBe(false);
    await outlastFollow(w, ['fa']);
    const result = await running;
    expect(result.failed).toEqual({ functionName: 'fa', alias: ALIAS });
    expect(fn(result, 'fa')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
    for (const other of ['fb', 'fc']) expect(fn(result, other).status).toBe('rolled_back');
    expect(w.store.peek('fa', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });

  it("--stagger: fb, waiting its turn behind fa, taken over during fa's wait: fb left as it is (rolled back by the claimant: it never moved), fa rolled back", async () => {
    const w = fleetWorld();
    w.lambda.setProvisionedConcurrency('fa', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    takeOverAt(w, 100_000, ['fb']);
    const { settled, running } = await runUntil(w, { ...release(undefined), stagger: true }, 130_000);
    expect(settled).toBe(true);
    const result = await running;
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER' },
    });
    expect(result.status).toBe('rolled_back');
    for (const other of ['fa', 'fc']) expect(fn(result, other).status).toBe('rolled_back');
    // fa's 10% is undone; fb and fc never moved.
    for (const name of ['fa', 'fb', 'fc']) {
      expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolling-back', owner: TAKER });
  });
});

describe('two functions taken over during a wait for provisioned concurrency, their reasons reading the same', () => {
  it("--stagger, fa and fb claimed at once during fb's wait: the release names fb (the run that found it), not fa", async () => {
    const restore = sameLostReasons();
    try {
      const w = fleetWorld();
      // fa has none; fb's allocation takes 4 minutes after its write (at 60 s, after fa's hold).
      w.lambda.setProvisionedConcurrency('fb', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
      // fb first; fa (the release's command reader, whose record fb's wait reads about every
      // 10 s for an abort) just before the beat at 120 s that finds them both.
      takeOverAt(w, 100_000, ['fb']);
      takeOverAt(w, 115_000, ['fa']);
      const { settled, running } = await runUntil(w, { ...release(undefined), stagger: true }, 130_000);
      // Ended for the others; its claim is followed (never ending here) before the release ends.
      expect(settled).toBe(false);
      await outlastFollow(w, ['fa', 'fb']);
      const result = await running;
      expect(result.status).toBe('conflict');
      expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
      expect(fn(result, 'fb')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
      // Both were found by then, their reasons reading the same.
      expect(fn(result, 'fa')).toMatchObject({ status: 'conflict', cause: { code: 'TAKEN_OVER' } });
      expect(fn(result, 'fc').status).toBe('rolled_back');
      expect(fn(result, 'fc').cause?.detail).toContain('function fb stopped: ');
      // Nothing written to fb after the takeover: its alias is as its own 10% left it.
      expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.1 });
    } finally {
      restore();
    }
  });
});
