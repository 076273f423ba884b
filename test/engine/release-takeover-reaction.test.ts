/**
 * How soon a running shift reacts to another lshift taking it over (`lshift rollback`, a check,
 * `deploy --resume` elsewhere): at the first point the takeover can be seen, not only at the
 * next heartbeat. The record a poll reads (a single deploy's, every poll; a release's command
 * reader's, every poll) shows it at once; before, that read was handed to the heartbeat, which
 * judged ownership only when it was due (30 s for a deploy, 60 s for a release), so the shift
 * kept its weights — and its hooks, polls and heartbeats — for up to that long after the record
 * said someone else held it. Measured on the fake clock: takeover at 95 s, reaction at 100 s
 * (the next poll, --interval 10 s) instead of 120 s.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import { FNS, fleetWorld, release, TAKER } from './release-takeover-world.js';
import { ALIAS, canary, createWorld, FN, linear, request, type World } from './world.js';

const TAKEN_AT_MS = 95_000;

/** At 95 s another lshift claims `fn`'s record (as `lshift rollback` does first), and moves its alias back. */
function takeOver(w: World, fn: string): { takenAt: () => number } {
  let at = 0;
  w.clock.after(TAKEN_AT_MS, () => {
    at = w.clock.now();
    const current = w.store.peek(fn, ALIAS)!;
    w.store.seed(fn, ALIAS, { ...current, phase: 'rolling-back', owner: TAKER, heartbeatAt: at });
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: {} });
  });
  return { takenAt: () => at };
}

/** Runs `work` on the manual fake clock and says when (clock ms) it ended. */
async function endedAt<T>(w: World, work: Promise<T>): Promise<{ result: T; at: number }> {
  let at = 0;
  const running = work.then((result) => {
    at = w.clock.now();
    return result;
  });
  await w.clock.advance(0);
  await w.clock.advance(1_000_000);
  return { result: await running, at };
}

describe('a takeover is acted on at the first read that shows it', () => {
  it("a release: its command reader's record (fa) taken over 95 s into a 10-minute hold ends the release at the next poll (100 s), not at the heartbeat (120 s)", async () => {
    const w = fleetWorld();
    const taken = takeOver(w, FNS[0]!);
    const { result, at } = await endedAt(w, runRelease(w.deps, release(undefined, canary(10, 600))));

    // fa's alias is back on version 1 under the taker's claim: rolled back by it, and so is the
    // release once fb and fc are back (exit 3), as the single deploy below.
    expect(result.status).toBe('rolled_back');
    expect(result.functions.find((f) => f.functionName === 'fa')?.cause?.code).toBe('ROLLED_BACK_BY_OTHER');
    expect(result.failed).toEqual({ functionName: 'fa', alias: ALIAS });
    expect(at - taken.takenAt()).toBe(5_000);
    expect(w.store.peek('fa', ALIAS)).toMatchObject({ owner: TAKER, phase: 'rolling-back' });
  });

  it('a single deploy: taken over 95 s into a 10-minute hold, it stops at the next poll (100 s), not at the heartbeat (120 s)', async () => {
    const w = createWorld({ auto: false });
    const taken = takeOver(w, FN);
    const req = request({ ...canary(10, 600) });
    const { result, at } = await endedAt(w, runDeploy(w.deps, req));

    // Its alias is back on the stable version: rolled back by the taker (exit 3), said so.
    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('ROLLED_BACK_BY_OTHER');
    expect(at - taken.takenAt()).toBe(5_000);
  });
});

describe('a weight write that meets the takeover', () => {
  it("a release's next level finds fb's alias moved (at 95 s) before its writes: the release stops there (120 s), no function moved further", async () => {
    const w = fleetWorld();
    w.clock.after(TAKEN_AT_MS, () =>
      w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} }),
    );
    const { result, at } = await endedAt(w, runRelease(w.deps, release(undefined, linear(25, 60))));

    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    // 50% at 60 s is the last write applied; the read before 75% at 120 s ended the release there.
    // Before, the 75% writes went out together: fb's met the 412 after fa's and fc's landed.
    expect(at).toBe(w.start + 120_000);
    const fbWrites = w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb');
    expect(fbWrites.map((c) => (c.args[2] as { additionalWeights: object }).additionalWeights)).toEqual([
      { '2': 0.25 },
      { '2': 0.5 },
    ]);
    const weights = w.lambda.aliasWrites().map((write) => write.additionalWeights['2'] ?? 0);
    expect(Math.max(...weights)).toBe(0.5);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
