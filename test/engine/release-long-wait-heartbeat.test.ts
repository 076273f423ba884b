/**
 * A release's functions each have a record that others judge by its heartbeat (stale after
 * 120 s). During a hold every function polls and beats; these are the waits where only one
 * function (or none) does something and the others wait for it: a hook of the whole release
 * (run once), one function's own hook, one function's wait for provisioned concurrency after its
 * weight write (lockstep: the level waits for it; --stagger: the others wait their turn).
 */
import { describe, expect, it } from 'vitest';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createFleetWorld, request, type World } from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];

function fleetWorld(): World {
  return createFleetWorld(FNS, { auto: false });
}

function release(overrides: Partial<DeployRequest> = {}, rel: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    releaseId: 'r-abc123',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-abc12${i}`, ...overrides }),
    ),
    ...rel,
  };
}

/** A hook that takes `ms` of clock time. */
function slowHook(w: World, ms: number) {
  return () =>
    new Promise<HookResult>((resolve) => {
      w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
    });
}

/**
 * Runs the release a second at a time on the manual clock and returns how old the oldest
 * heartbeat of a record still in flight got (a record that looks older than 120 s is taken for
 * abandoned by `lshift check` and `--resume`).
 */
async function oldestHeartbeat(w: World, rel: ReleaseRequest): Promise<{ status: string; oldest: number }> {
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  let oldest = 0;
  while (!ended) {
    await w.clock.advance(1000);
    for (const fn of FNS) {
      const record = w.store.peek(fn, ALIAS);
      if (record && record.endedAt === undefined)
        oldest = Math.max(oldest, w.clock.now() - record.heartbeatAt);
    }
  }
  return { status: (await running).status, oldest };
}

/** What the release's hold heartbeat allows: 60 s, plus a poll (10 s) and a little. */
const LIVE_BOUND_MS = 75_000;

describe('a release: no record goes without a heartbeat while one part of the release waits', () => {
  it('during a 10-minute pre-traffic hook of the whole release (run once)', async () => {
    const w = fleetWorld();
    w.hooks.script('cmd:./release-pre', slowHook(w, 600_000));
    const seen = await oldestHeartbeat(
      w,
      release(canary(10, 60), { hooks: { pre: [cmdHook('./release-pre')] } }),
    );
    expect(seen.status).toBe('promoted');
    expect(seen.oldest).toBeLessThanOrEqual(LIVE_BOUND_MS);
  });

  it("during one function's own 5-minute pre-traffic hook", async () => {
    const w = fleetWorld();
    w.hooks.script('cmd:./smoke beta', slowHook(w, 300_000));
    const rel = release(canary(10, 60));
    rel.members = rel.members.map((m) => ({ ...m, hooks: { pre: [cmdHook(`./smoke ${m.functionName}`)] } }));
    const seen = await oldestHeartbeat(w, rel);
    expect(seen.status).toBe('promoted');
    expect(seen.oldest).toBeLessThanOrEqual(LIVE_BOUND_MS);
  });

  it("lockstep: while the level waits 4 minutes for one function's provisioned concurrency", async () => {
    const w = fleetWorld();
    w.lambda.setProvisionedConcurrency('beta', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    const seen = await oldestHeartbeat(w, release(canary(10, 60)));
    expect(seen.status).toBe('promoted');
    expect(seen.oldest).toBeLessThanOrEqual(LIVE_BOUND_MS);
  });

  it("--stagger: while the others wait for one function's provisioned concurrency", async () => {
    const w = fleetWorld();
    w.lambda.setProvisionedConcurrency('alpha', ALIAS, 10, Array(48).fill('IN_PROGRESS'));
    const seen = await oldestHeartbeat(w, release(canary(10, 60), { stagger: true }));
    expect(seen.status).toBe('promoted');
    expect(seen.oldest).toBeLessThanOrEqual(LIVE_BOUND_MS);
  });
});
