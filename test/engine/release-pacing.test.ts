/**
 * How a healthy lockstep release moves when its writes take time (issue 13, the fleet bench):
 * one hold clock per level, one poll grid, record writes that do not hold up the level's alias
 * writes, and a release function's longer heartbeat. Lambda's rate limit is played by fakes
 * whose writes take clock time one after the other.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPT_MS, timeBounds } from '../../src/aws/time-bounds.js';
import { LONGEST_CALL_MS, releaseHeartbeatMs } from '../../src/engine/deploy-types.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, createWorld, linear, request, type World } from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];

function fleetWorld(): World {
  return createFleetWorld(FNS, { auto: false });
}

function release(percent: number, holdSeconds: number, rel: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    releaseId: 'r-pace01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-pace0${i}`,
        ...linear(percent, holdSeconds),
      }),
    ),
    ...rel,
  };
}

/** Makes every call of `method` take `ms` of clock time, one call after the other (a rate limit). */
function oneAtATime<T extends object>(w: World, target: T, method: keyof T, ms: number): void {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let turn: Promise<unknown> = Promise.resolve();
  (target as Record<keyof T, unknown>)[method] = (...args: unknown[]) => {
    const mine = turn.then(async () => {
      await w.clock.sleep(ms);
      return original(...args);
    });
    turn = mine.catch(() => undefined);
    return mine;
  };
}

interface Poll {
  fn: string;
  step: number;
  at: number;
  end: boolean;
}

/** A gate per function that notes every poll: seconds since the start, and whether it ended the step. */
function probes(w: World, polls: Poll[]): (target: { functionName: string }) => HealthGate[] {
  return (target) => [
    {
      name: 'probe',
      async evaluate(window) {
        const at = (window.now - w.start) / 1000;
        polls.push({ fn: target.functionName, step: window.stepIndex, at, end: window.endOfStep });
        return [{ outcome: 'pass', gate: 'probe', summary: 'ok', at: window.now }];
      },
    },
  ];
}

async function runToEnd(w: World, rel: ReleaseRequest, polls: Poll[] = []) {
  let ended = false;
  const deps = { ...w.deps, gatesFor: probes(w, polls) };
  const running = runRelease(deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return running;
}

/** Seconds since the start at which each function's alias write of `percent` was made. */
function writeTimes(w: World, percent: number): number[] {
  return w.lambda
    .callsOf('updateAlias')
    .filter((c) => {
      const write = c.args[2] as { functionVersion: string; additionalWeights: Record<string, number> };
      const p = write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
      return p === percent;
    })
    .map((c) => (c.at - w.start) / 1000);
}

describe('a lockstep release level: one clock, one grid', () => {
  it('every function ends its hold at the level start + hold, or 90% of the hold after the last write if that is later', async () => {
    const w = fleetWorld();
    // Alias writes land 3 s apart (Lambda's rate): alpha at 3 s, beta at 6 s, gamma at 9 s.
    oneAtATime(w, w.lambda, 'updateAlias', 3_000);
    const polls: Poll[] = [];
    const result = await runToEnd(w, release(25, 60), polls);
    expect(result.status).toBe('promoted');

    // Seconds from the first level's start (its first write was asked for there).
    const t0 = writeTimes(w, 25)[0]! - 3;
    const ends = (step: number) =>
      FNS.map((fn) => polls.find((p) => p.fn === fn && p.step === step && p.end)!.at - t0);
    // Level 1 starts at 0 and would end at 60 s, but gamma's write came 9 s in (> 6 s, 10%): it
    // is watched 54 s after its write, to 63 s, and every function ends then, together.
    expect(ends(0)).toEqual([63, 63, 63]);
    expect(writeTimes(w, 50).map((t) => t - t0)).toEqual([66, 69, 72]);
    // Level 2 counts from 63 s (not from 60 s, nor from each one's own write): its last write
    // at 72 s keeps 54 s, to 126 s; level 3 from 126 s.
    expect(ends(1)).toEqual([126, 126, 126]);
    expect(ends(2)).toEqual([189, 189, 189]);
  });

  it("polls of every function fall on one grid from the level's start, whenever its write landed", async () => {
    const w = fleetWorld();
    oneAtATime(w, w.lambda, 'updateAlias', 4_000);
    const polls: Poll[] = [];
    await runToEnd(w, release(50, 60), polls);
    const t0 = writeTimes(w, 50)[0]! - 4;
    const grid = (fn: string) => polls.filter((p) => p.fn === fn && p.step === 0).map((p) => p.at - t0);
    // The level's writes land at 4, 8 and 12 s, and the holds begin once all did (12 s): every
    // function polls on the level's 10 s grid (not 22, 32, …), and all end 54 s after the last
    // write (66 s).
    for (const fn of FNS) expect(grid(fn)).toEqual([20, 30, 40, 50, 60, 66]);
  });
});

describe('weight writes of a level in flight', () => {
  it('32 at once: with a 1 s round trip, 40 functions are written in 2 s, not 5', async () => {
    const w = createWorld({ auto: false });
    const fns = Array.from({ length: 40 }, (_, i) => `fn-${i}`);
    for (const fn of fns) {
      w.lambda.addFunction(fn);
      w.lambda.addVersion(fn);
      w.lambda.addVersion(fn);
      w.lambda.addAlias(fn, ALIAS, '1');
      w.metrics.setAlarm(`${fn}-errors`, 'OK');
    }
    const write = w.lambda.updateAlias.bind(w.lambda);
    w.lambda.updateAlias = async (...args) => {
      await w.clock.sleep(1_000);
      return write(...args);
    };
    const rel: ReleaseRequest = {
      releaseId: 'r-pace02',
      members: fns.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-p${i}`, ...linear(50, 60) }),
      ),
    };
    await runToEnd(w, rel);
    const first = writeTimes(w, 50);
    expect(first).toHaveLength(40);
    // 32 land 1 s after the level starts, the other 8 a second later: not in five rounds of 8.
    expect(Math.max(...first) - Math.min(...first)).toBe(1);
  });
});

describe('record writes of a release level', () => {
  it("a function's record write does not hold up the other functions' alias writes", async () => {
    const w = fleetWorld();
    // Each record write takes 5 s; alias writes are instant. One write at a time per level.
    oneAtATime(w, w.store, 'write', 5_000);
    await runToEnd(w, release(25, 60, { concurrency: 1 }));
    const first = writeTimes(w, 25);
    // All three alias writes of the level go out together, not 5 s apart behind each record.
    expect(first).toEqual([first[0], first[0], first[0]]);
    // Every record still got its step, in order, after its alias write.
    for (const fn of FNS) {
      const steps = w.store.writes
        .filter((s) => s.functionName === fn && s.record.phase === 'shifting')
        .map((s) => s.record.percent);
      expect(steps).toEqual([25, 50, 75, 100]);
    }
  });

  it('one record write per function and level: no heartbeat within a 60 s hold', async () => {
    const w = fleetWorld();
    await runToEnd(w, release(25, 60));
    for (const fn of FNS) {
      const shifting = w.store.writes.filter((s) => s.functionName === fn && s.record.phase === 'shifting');
      // 25, 50, 75, 100: four levels, four writes (a 30 s heartbeat would add one per hold).
      expect(shifting.map((s) => s.record.percent)).toEqual([25, 50, 75, 100]);
    }
  });
});

describe("a release function's heartbeat", () => {
  it('heartbeats every 60 s during a long hold (a single deploy: 30 s)', async () => {
    const w = fleetWorld();
    await runToEnd(w, release(50, 300));
    const beats = w.store.writes
      .filter((s) => s.functionName === 'alpha' && s.record.phase === 'shifting' && s.record.percent === 50)
      .map((s) => s.record.heartbeatAt);
    // The step write, then one heartbeat a minute (at the first poll 60 s after the last write).
    expect(beats.map((t) => (t - beats[0]!) / 1000)).toEqual([0, 60, 120, 180, 240]);
  });

  it('is a whole number of polls, at most 60 s, so a hung call after it stays below the stale limit', () => {
    expect(timeBounds(MAX_ATTEMPT_MS).callMs).toBe(LONGEST_CALL_MS);
    // Written at the first poll once due: every 6th, 2nd, or every poll.
    expect(releaseHeartbeatMs(10)).toBe(55_000);
    expect(releaseHeartbeatMs(30)).toBe(45_000);
    expect(releaseHeartbeatMs(44)).toBe(30_000);
    expect(releaseHeartbeatMs(60)).toBe(30_000);
    expect(releaseHeartbeatMs(10, 300)).toBe(55_000);
    for (let p = 1; p <= 60; p++) {
      const polls = Math.ceil(releaseHeartbeatMs(p) / (p * 1000));
      expect(polls * p * 1000 + LONGEST_CALL_MS, `--interval ${p}`).toBeLessThanOrEqual(106_000);
      // Never more often than every poll, nor than a single deploy.
      expect(releaseHeartbeatMs(p), `--interval ${p}`).toBeGreaterThanOrEqual(30_000);
    }
  });
});
