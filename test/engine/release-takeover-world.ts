/**
 * A release of fa, fb, fc (canary 10% for 60 s) whose functions another lshift takes over while it
 * waits (a hook, provisioned concurrency): the world, a `cmd:sleep 600` hook on the fake clock,
 * the takeover, and a run to a given clock time.
 */
import { expect, vi } from 'vitest';
import type { ReleaseResult } from '../../src/domain/release-result.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { FOLLOW_ROLLBACK_MS } from '../../src/engine/settle-result.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { keepClaimBeating } from './claim-beat.js';
import { ALIAS, canary, createFleetWorld, request, type World } from './world.js';

export const FNS = ['fa', 'fb', 'fc'];
export const TAKER = 'rollback:ops@desk:3';

export function fleetWorld(): World {
  return createFleetWorld(FNS, { auto: false });
}

/**
 * The release `r-hook01` of fa, fb, fc (deployments d-0, d-1, d-2) walking `shape`; `own` adds to
 * one function's request (its own hooks).
 */
export function release(
  hooks: ReleaseRequest['hooks'],
  shape = canary(10, 60),
  own: (fn: string) => Partial<DeployRequest> = () => ({}),
): ReleaseRequest {
  return {
    releaseId: 'r-hook01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...shape,
        ...own(fn),
      }),
    ),
    hooks,
  };
}

/** `cmd:<command>` sleeps ten minutes of clock time, or ends (failed) when its signal aborts. */
export function sleepHook(w: World, command = 'sleep 600'): { signal?: AbortSignal } {
  const seen: { signal?: AbortSignal } = {};
  w.hooks.script(
    `cmd:${command}`,
    (_payload, opts) =>
      new Promise<HookResult>((resolve) => {
        seen.signal = opts.signal;
        w.clock.after(600_000, () => resolve({ ok: true, durationMs: 600_000 }));
        opts.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'killed', durationMs: 0 }));
      }),
  );
  return seen;
}

/**
 * Another lshift claims these functions' records at `atMs` (as `lshift rollback` does first) and
 * keeps its claim fresh, as a live claimer does (rollback-claim.ts, keepClaimFresh), while the
 * record stays its claim. `beating: false`: a claimer that died right after claiming.
 */
export function takeOverAt(w: World, atMs: number, fns: readonly string[], opts = { beating: true }): void {
  w.clock.after(atMs, () => {
    for (const fn of fns) {
      const current = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, {
        ...current,
        phase: 'rolling-back',
        owner: TAKER,
        heartbeatAt: w.clock.now(),
      });
      if (opts.beating) keepClaimBeating(w, fn, ALIAS, TAKER);
    }
  });
}

/** Starts the release and advances the clock to `untilMs`: whether it ended by then, and its result. */
export async function runUntil(w: World, rel: ReleaseRequest, untilMs: number) {
  let settled = false;
  const running = runRelease(w.deps, rel).finally(() => {
    settled = true;
  });
  running.catch(() => undefined);
  await w.clock.advance(0);
  await w.clock.advance(untilMs);
  return { settled, running };
}

export function fn(result: ReleaseResult, name: string) {
  return result.functions.find((f) => f.functionName === name)!;
}

/**
 * Every function's lostReason reads the same once its record is lost (a reason without a
 * function-specific part, as one `lshift rollback --release` could word it for each): which
 * function a release stopped for must come from the run that found it, not from the text.
 * Returns the undo.
 */
export function sameLostReasons(): () => void {
  const actual = DeploymentRecorder.prototype.lostReason;
  const spy = vi.spyOn(DeploymentRecorder.prototype, 'lostReason').mockImplementation(function (
    this: DeploymentRecorder,
  ) {
    return actual.call(this) === undefined ? undefined : `taken over by ${TAKER}`;
  });
  return () => spy.mockRestore();
}

/**
 * A claim that never ends (takeOverAt) on a function whose alias is split is followed once every
 * other function is settled (release-takers.ts, followClaims): by now the others are back and
 * their records closed; the release ends once the follow gives up (FOLLOW_ROLLBACK_MS).
 */
export async function outlastFollow(w: World, taken: readonly string[]): Promise<void> {
  for (const other of FNS.filter((f) => !taken.includes(f))) {
    expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  }
  await w.clock.advance(FOLLOW_ROLLBACK_MS);
}
