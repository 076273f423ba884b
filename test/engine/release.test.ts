import { describe, expect, it } from 'vitest';
import { DATA_THROUGH_KEY } from '../../src/domain/analysis/settle.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { ANALYSIS_GATE_NAME } from '../../src/engine/analysis-gate.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { guardsOf } from '../../src/engine/resume-guards.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { throttled } from '../helpers/fake-lambda.js';
import {
  ALIAS,
  canary,
  createFleetWorld,
  deadRecord,
  linear,
  request,
  resumeRequest,
  type World,
} from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];

/** The world's fakes with three functions (versions 1 and 2, alias on 1) and an OK alarm each. */
function fleetWorld(opts: { auto?: boolean } = {}): World {
  return createFleetWorld(FNS, opts);
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

/** `[function, percent on version 2]` of every alias write, in the order they were made. */
function writes(w: World): [string, number][] {
  return w.lambda.callsOf('updateAlias').map((c) => {
    const [fn, , write] = c.args as [
      string,
      string,
      { functionVersion: string; additionalWeights: Record<string, number> },
    ];
    const percent =
      write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
    return [fn, percent];
  });
}

/** Moves a manual clock a second at a time until `running` settles (holds run at once, as for real). */
async function runManually<T>(w: World, running: Promise<T>): Promise<T> {
  let ended = false;
  const done = running.finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return done;
}

describe('runRelease: several functions as one release', () => {
  it('moves every function in lockstep: all at each weight before any moves on, all promoted', async () => {
    // Manual time: the three holds run at once, as they would on a real clock.
    const w = fleetWorld({ auto: false });
    let ended = false;
    const running = runRelease(w.deps, release(linear(25, 60))).finally(() => {
      ended = true;
    });
    while (!ended) await w.clock.advance(1000);
    const result = await running;

    expect(result.status).toBe('promoted');
    expect(result.mode).toBe('lockstep');
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual(
      FNS.map((fn) => [fn, 'promoted']),
    );
    const levels = writes(w).map(([, p]) => p);
    expect(levels).toEqual([25, 25, 25, 50, 50, 50, 75, 75, 75, 100, 100, 100]);
    for (const fn of FNS) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'promoted', releaseId: 'r-abc123' });
    }
    // One schedule for all: 3 holds of 60 s, not 3 × 3 (the clock moves in whole seconds), then
    // one read-back of the release's promotion, not one per function (release-promotion-settle.ts).
    expect(w.clock.now() - w.start).toBeGreaterThanOrEqual(180_000 + PROMOTION_SETTLE_MS);
    expect(w.clock.now() - w.start).toBeLessThanOrEqual(182_000 + PROMOTION_SETTLE_MS);
  });

  it('one verdict: the second function failing rolls all three back, and the result names it', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('beta-errors', 'ALARM', { at: w.start + 90_000, reason: 'errors over 3' });
    const result = await runRelease(w.deps, release(linear(25, 60)));

    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'beta', alias: ALIAS });
    for (const fn of FNS) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      // Every record names the whole release (`rz=`, `rf=`: h3 F6), for the commands offered.
      expect(w.store.peek(fn, ALIAS)).toMatchObject({
        phase: 'rolled-back',
        releaseId: 'r-abc123',
        releaseSize: 3,
        releaseFunctions: FNS,
      });
    }
    const beta = result.functions.find((f) => f.functionName === 'beta');
    expect(beta?.cause).toMatchObject({ code: 'GATE_FAILED' });
    const alpha = result.functions.find((f) => f.functionName === 'alpha');
    expect(alpha?.cause?.detail).toMatch(/^function beta failed: alarm beta-errors is ALARM/);
    // Nobody went past 50%: the level after the failing hold never started.
    expect(Math.max(...writes(w).map(([, p]) => p))).toBe(50);
  });

  it('checks every function before the first write: a missing alias on the third moves nothing', async () => {
    const w = fleetWorld();
    const rel = release(canary(10, 300));
    rel.members[2] = { ...rel.members[2]!, alias: 'nope' };
    await expect(runRelease(w.deps, rel)).rejects.toThrow(/nope/);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('says every refusal, not only the first: missing aliases on the first and third', async () => {
    const w = fleetWorld();
    const rel = release(canary(10, 300));
    rel.members[0] = { ...rel.members[0]!, alias: 'gone' };
    rel.members[2] = { ...rel.members[2]!, alias: 'nope' };
    const error = await runRelease(w.deps, rel).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.message).toMatch(
      /gone[\s\S]*1 more of the release's functions refused too:\n {2}- gamma: .*nope/,
    );
    expect(error?.code).toBe('ALIAS_NOT_FOUND');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('a failed write ends the level: no later write of it starts, and every function rolls back', async () => {
    const w = fleetWorld();
    w.lambda.fail({
      op: 'updateAlias',
      match: (args) =>
        args[0] === 'beta' &&
        (args[2] as { additionalWeights: Record<string, number> }).additionalWeights['2'] === 0.5,
      error: throttled(),
    });
    const result = await runRelease(w.deps, release(linear(25, 60), { concurrency: 1 }));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('beta');
    // gamma never got its 50% write: a failure never skips ahead or reorders the level.
    expect(writes(w).slice(0, 5)).toEqual([
      ['alpha', 25],
      ['beta', 25],
      ['gamma', 25],
      ['alpha', 50],
      ['beta', 50],
    ]);
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('--stagger: one function after the other, each through the whole plan', async () => {
    // Manual time: the others are watched alongside each hold, as on a real clock.
    const w = fleetWorld({ auto: false });
    const result = await runManually(w, runRelease(w.deps, release(canary(10, 300), { stagger: true })));

    expect(result.status).toBe('promoted');
    expect(result.mode).toBe('stagger');
    expect(writes(w)).toEqual([
      ['alpha', 10],
      ['alpha', 100],
      ['beta', 10],
      ['beta', 100],
      ['gamma', 10],
      ['gamma', 100],
    ]);
    // Three canaries one after the other: 3 × 300 s (the manual clock moves a second at a time),
    // then one read-back of the release's promotion.
    expect(w.clock.now() - w.start).toBeGreaterThanOrEqual(900_000 + PROMOTION_SETTLE_MS);
    expect(w.clock.now() - w.start).toBeLessThanOrEqual(902_000 + PROMOTION_SETTLE_MS);
  });

  it('--stagger: the last function failing rolls back the ones already promoted', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('gamma-errors', 'ALARM', { at: w.start + 700_000 });
    const result = await runRelease(w.deps, release(canary(10, 300), { stagger: true }));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('gamma');
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('--stagger: a promoted function stays watched; its alarm firing while a later one walks rolls all back', async () => {
    const w = fleetWorld();
    // alpha walks 0–300 s and is promoted; beta walks 300–600 s.
    w.metrics.setAlarm('alpha-errors', 'ALARM', { at: w.start + 450_000 });
    const result = await runRelease(w.deps, release(canary(10, 300), { stagger: true }));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('alpha');
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
    // Within a poll of the alarm, not at the end of beta's walk (nor after gamma's).
    expect(w.clock.now() - w.start).toBeLessThan(480_000);
    expect(writes(w)).toEqual([
      ['alpha', 10],
      ['alpha', 100],
      ['beta', 10],
      ['alpha', 0],
      ['beta', 0],
    ]);
  });

  it('--stagger: a function whose turn has not come is watched too (its alarm fails the release)', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('gamma-errors', 'ALARM', { at: w.start + 100_000 });
    const result = await runRelease(w.deps, release(canary(10, 300), { stagger: true }));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('gamma');
    expect(writes(w)).toEqual([
      ['alpha', 10],
      ['alpha', 0],
    ]);
    const polled = w.sink.ofType('health.polled') as {
      alongside?: boolean;
      percent: number;
      target?: { functionName: string };
    }[];
    const gammaPolls = polled.filter((e) => e.target?.functionName === 'gamma');
    expect(gammaPolls.length).toBeGreaterThan(0);
    expect(gammaPolls.every((e) => e.alongside === true && e.percent === 0)).toBe(true);
  });

  it('--stagger: no record goes without a heartbeat while another function walks', async () => {
    const w = fleetWorld({ auto: false });
    let ended = false;
    const running = runRelease(w.deps, release(canary(10, 300), { stagger: true })).finally(() => {
      ended = true;
    });
    let oldest = 0;
    while (!ended) {
      await w.clock.advance(1000);
      for (const fn of FNS) {
        const record = w.store.peek(fn, ALIAS);
        if (record && record.phase !== 'promoted')
          oldest = Math.max(oldest, w.clock.now() - record.heartbeatAt);
      }
    }
    expect((await running).status).toBe('promoted');
    // Every record stays live (the stale limit is 120 s): a poll heartbeats every 60 s, plus a poll.
    expect(oldest).toBeLessThanOrEqual(75_000);
  });

  it('functions already on their target end with their own deploy.finished, as a single deploy', async () => {
    const w = fleetWorld();
    for (const fn of FNS) w.lambda.addAlias(fn, ALIAS, '2');
    const result = await runRelease(w.deps, release(canary(10, 60)));

    expect(result.status).toBe('nothing_to_deploy');
    const finished = w.sink.ofType('deploy.finished') as {
      result: { status: string };
      target?: { functionName: string };
    }[];
    expect(finished.map((e) => [e.target?.functionName, e.result.status])).toEqual(
      FNS.map((fn) => [fn, 'nothing_to_deploy']),
    );
  });

  it('an abort on the release command reader (the first function by name) is obeyed within a poll', async () => {
    const w = fleetWorld({ auto: false });
    // As `lshift abort --release` writes it: on a copy of the record as read, 95 s in (first hold).
    w.clock.at(w.start + 95_000, () => {
      const record = w.store.peek('alpha', ALIAS)!;
      const command = { verb: 'abort' as const, nonce: 'n1', state: 'sent' as const, by: 'ann@laptop:9' };
      w.store.seed('alpha', ALIAS, { ...record, command });
    });
    const result = await runManually(w, runRelease(w.deps, release(linear(10, 600))));

    expect(result.status).toBe('rolled_back');
    const obeyed = w.sink.ofType('operator.command') as { at: number; verb: string }[];
    expect(obeyed.map((e) => e.verb)).toEqual(['abort']);
    // Within one 10 s poll, not at the next 60 s heartbeat read.
    expect(obeyed[0]!.at - (w.start + 95_000)).toBeLessThanOrEqual(10_000);
    // The others roll back for the release's abort, not for a failure of alpha's.
    const beta = result.functions.find((f) => f.functionName === 'beta');
    expect(JSON.stringify(beta?.cause)).toContain('the release was aborted by ann@laptop:9');
    expect(JSON.stringify(beta?.cause)).not.toContain('function alpha failed');
    // Nor does the release name alpha as the function that failed it (`failed`, the CI summary).
    expect(result).not.toHaveProperty('failed');
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('a pause on one function holds every function of the release (each still polled) until resume', async () => {
    const w = fleetWorld({ auto: false });
    // linear 50% / 300 s: the first level holds from 0 to 300 s. A pause lands at 25 s on beta's
    // record (read with its heartbeat, about 60 s in), a resume at 400 s on alpha's (every poll).
    const send = (fn: string, at: number, verb: 'pause' | 'resume') =>
      w.clock.at(w.start + at * 1000, () => {
        const record = w.store.peek(fn, ALIAS)!;
        w.store.seed(fn, ALIAS, {
          ...record,
          command: { verb, nonce: `n${at}`, state: 'sent', by: 'ann@laptop:9' },
        });
      });
    send('beta', 25, 'pause');
    send('alpha', 400, 'resume');
    const result = await runManually(w, runRelease(w.deps, release(linear(50, 300))));

    expect(result.status).toBe('promoted');
    const obeyed = w.sink.ofType('operator.command') as { at: number; verb: string; obeyed: boolean }[];
    expect(obeyed.map((e) => [e.verb, e.obeyed])).toEqual([
      ['pause', true],
      ['resume', true],
    ]);
    const [paused, resumed] = obeyed.map((e) => e.at);
    // No weight moved anywhere while paused, and every function was still watched.
    const moved = w.lambda.callsOf('updateAlias').filter((c) => c.at > paused! && c.at < resumed!);
    expect(moved).toHaveLength(0);
    const polled = w.sink.ofType('health.polled') as { at: number; target?: { functionName: string } }[];
    for (const fn of FNS) {
      const whilePaused = polled.filter(
        (e) => e.target?.functionName === fn && e.at > paused! && e.at < resumed!,
      );
      expect(whilePaused.length, fn).toBeGreaterThanOrEqual(20);
    }
    // The next level comes after the resume: each hold had the rest of its 300 s left (~240 s).
    const second = w.lambda.callsOf('updateAlias').filter((c) => c.at > resumed!);
    expect(second.length).toBeGreaterThanOrEqual(3);
    expect(second[0]!.at - resumed!).toBeGreaterThan(200_000);
  });

  it('a promote on one function ends every function’s current hold (promote --release), not that one alone', async () => {
    const w = fleetWorld({ auto: false });
    // linear 50% / 300 s: alpha (the command reader) obeys at its poll after 25 s.
    w.clock.at(w.start + 25_000, () => {
      const record = w.store.peek('alpha', ALIAS)!;
      w.store.seed('alpha', ALIAS, {
        ...record,
        command: { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@x:1' },
      });
    });
    const result = await runManually(w, runRelease(w.deps, release(linear(50, 300))));
    expect(result.status).toBe('promoted');
    const obeyed = w.sink.ofType('operator.command') as { verb: string; obeyed: boolean }[];
    expect(obeyed.map((e) => [e.verb, e.obeyed])).toEqual([['promote', true]]);
    // Every function's 50% hold ended within a poll or two of the promote, not at 300 s.
    const completed = w.sink.ofType('step.completed') as {
      at: number;
      index: number;
      target?: { functionName: string };
    }[];
    const firstHolds = completed.filter((e) => e.index === 0);
    expect(firstHolds.map((e) => e.target?.functionName).sort()).toEqual(FNS);
    for (const e of firstHolds) expect(e.at - w.start).toBeLessThanOrEqual(50_000);
    // The level stayed together: 50% on all three before any 100%.
    const firstHundred = writes(w).findIndex(([, p]) => p === 100);
    expect(
      writes(w)
        .slice(0, firstHundred)
        .map(([, p]) => p),
    ).toEqual([50, 50, 50]);
  });

  it('--stagger: a promote ends the walking function’s hold; the ones watched alongside stay watched', async () => {
    const w = fleetWorld({ auto: false });
    // alpha walks 0–300 s; beta holds 10% from ~300 s; at 400 s the promote lands on alpha's
    // record (the command reader, watched alongside beta's hold).
    w.clock.at(w.start + 400_000, () => {
      const record = w.store.peek('alpha', ALIAS)!;
      w.store.seed('alpha', ALIAS, {
        ...record,
        command: { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@x:1' },
      });
    });
    const result = await runManually(w, runRelease(w.deps, release(canary(10, 300), { stagger: true })));
    expect(result.status).toBe('promoted');
    const completed = w.sink.ofType('step.completed') as {
      at: number;
      index: number;
      target?: { functionName: string };
    }[];
    const betaHold = completed.find((e) => e.index === 0 && e.target?.functionName === 'beta')!;
    expect(betaHold.at - w.start).toBeLessThanOrEqual(430_000);
    // alpha was still watched alongside after the promote (through gamma's walk).
    const polled = w.sink.ofType('health.polled') as {
      at: number;
      alongside?: boolean;
      target?: { functionName: string };
    }[];
    const alphaLater = polled.filter(
      (e) => e.target?.functionName === 'alpha' && e.alongside && e.at > betaHold.at,
    );
    expect(alphaLater.length).toBeGreaterThan(10);
  });

  it('--stagger: a promote read by a function watched alongside does not end its watch before the walking hold ends', async () => {
    // The promote lands on alpha's record (the command reader, promoted, watched alongside every
    // 10 s); beta walks, polling every 60 s, so it sees the promote up to a minute later. Until
    // then alpha must stay watched: its alarm firing a second after it obeyed ends the release
    // at alpha's next poll, with beta's hold cut short — not at beta's next hold or settle.
    // (Through the CLI every function polls at one --interval, so the gap is shorter — a settle
    // polls on its own grid, or a walking function's poll may come just before the reader's —
    // but it is the same gap: a watch alongside that took the promote as its own went blind.)
    const w = fleetWorld({ auto: false });
    const obeyed: number[] = [];
    const deps = {
      ...w.deps,
      events: {
        emit(event: Parameters<typeof w.sink.emit>[0]) {
          w.sink.emit(event);
          if (event.type !== 'operator.command' || obeyed.length > 0) return;
          obeyed.push(event.at);
          w.metrics.setAlarm('alpha-errors', 'ALARM', { at: event.at + 1_000, reason: 'Threshold Crossed' });
        },
      },
    };
    w.clock.at(w.start + 430_000, () => {
      const record = w.store.peek('alpha', ALIAS)!;
      w.store.seed('alpha', ALIAS, {
        ...record,
        command: { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@x:1' },
      });
    });
    const members = FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc12${i}`,
        ...canary(10, 300),
        pollIntervalSeconds: fn === 'beta' ? 60 : 10,
      }),
    );
    const result = await runManually(w, runRelease(deps, { releaseId: 'r-abc123', stagger: true, members }));
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'alpha', alias: ALIAS });
    const [at] = obeyed;
    expect(at! - w.start).toBeGreaterThanOrEqual(430_000);
    const failedPoll = (
      w.sink.ofType('health.polled') as {
        at: number;
        alarms: { state: string }[];
        target?: { functionName: string };
      }[]
    ).find((e) => e.target?.functionName === 'alpha' && e.alarms.some((a) => a.state === 'ALARM'));
    expect(failedPoll!.at - at!).toBeLessThanOrEqual(10_000);
    const betaHeld = (
      w.sink.ofType('step.completed') as { index: number; target?: { functionName: string } }[]
    ).filter((e) => e.target?.functionName === 'beta');
    expect(betaHeld).toEqual([]);
  });

  it('promote --full of a release: every function skips its remaining steps and goes to 100%', async () => {
    const w = fleetWorld({ auto: false });
    w.clock.at(w.start + 25_000, () => {
      const record = w.store.peek('alpha', ALIAS)!;
      w.store.seed('alpha', ALIAS, {
        ...record,
        command: { verb: 'promote-full', nonce: 'n1', state: 'sent', by: 'ann@x:1' },
      });
    });
    const result = await runManually(w, runRelease(w.deps, release(linear(25, 300))));
    expect(result.status).toBe('promoted');
    // 25% on all, then straight to 100% on all: 50% and 75% were skipped, as was the settle.
    expect(writes(w).map(([, p]) => p)).toEqual([25, 25, 25, 100, 100, 100]);
    expect(w.clock.now() - w.start).toBeLessThanOrEqual(60_000);
  });

  it('a function whose settle ended first stays watched until every function’s has (its alarm firing meanwhile rolls all back)', async () => {
    const w = fleetWorld({ auto: false });
    // An analysis gate per function saying how far its data reach: alpha's minutes are there at
    // once, beta's and gamma's only 120 s into the settle wait — alpha waits for them at 50%.
    let settleFrom: number | undefined;
    const gatesFor = (target: { functionName: string }) => [
      {
        name: ANALYSIS_GATE_NAME,
        async evaluate(window: { now: number; endOfStep: boolean }) {
          const lag = target.functionName === 'alpha' ? 0 : 120_000;
          settleFrom ??= window.now;
          const through = window.now >= settleFrom + lag ? window.now + 60_000 : 0;
          return [
            {
              outcome: 'pass' as const,
              gate: 'analysis',
              summary: 'ok',
              at: window.now,
              details: { [DATA_THROUGH_KEY]: through },
            },
          ];
        },
      },
    ];
    const { strategy, plan } = canary(50, 60);
    // alpha's alarm fires 90 s in: after its own settle ended (~70 s), before the others' (~180 s).
    w.metrics.setAlarm('alpha-errors', 'ALARM', { at: w.start + 90_000 });
    const rel = release({ strategy, plan: { ...plan, settleSeconds: 360 } });
    const result = await runManually(w, runRelease({ ...w.deps, gatesFor }, rel));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('alpha');
    expect(w.clock.now() - w.start).toBeLessThan(150_000);
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('events of a function name it (NDJSON: one line per event, naming the function)', async () => {
    const w = fleetWorld();
    await runRelease(w.deps, release(canary(10, 60)));
    const polled = w.sink.ofType('health.polled') as { target?: { functionName: string } }[];
    expect(new Set(polled.map((e) => e.target?.functionName))).toEqual(new Set(FNS));
  });
});

describe('runRelease: hooks and interrupts', () => {
  it("a release hook runs once; a function's own hooks run for it alone", async () => {
    const w = fleetWorld();
    const rel = release(canary(10, 60), {
      hooks: { pre: [cmdHook('./release-pre')], post: [cmdHook('./release-post')] },
    });
    rel.members = rel.members.map((m) => ({ ...m, hooks: { post: [cmdHook(`./smoke ${m.functionName}`)] } }));
    const result = await runRelease(w.deps, rel);

    expect(result.status).toBe('promoted');
    expect(w.hooks.callsOf('cmd:./release-pre')).toHaveLength(1);
    expect(w.hooks.callsOf('cmd:./release-post')).toHaveLength(1);
    for (const fn of FNS) {
      const own = w.hooks.callsOf(`cmd:./smoke ${fn}`);
      expect(own).toHaveLength(1);
      expect(own[0]?.payload).toMatchObject({ functionName: fn, phase: 'post', weight: 100 });
    }
  });

  it('a release hook is told about the release: every function, no single function as if it were about it', async () => {
    const w = fleetWorld({ auto: false });
    const rel = release(linear(50, 60), {
      hooks: {
        pre: [cmdHook('./release-pre')],
        step: [cmdHook('./release-step')],
        post: [cmdHook('./release-post')],
      },
    });
    rel.members = rel.members.map((m) => ({ ...m, hooks: { pre: [cmdHook(`./smoke ${m.functionName}`)] } }));
    const result = await runManually(w, runRelease(w.deps, rel));

    expect(result.status).toBe('promoted');
    const functionsAt = (weight: number) =>
      FNS.map((fn, i) => ({
        functionName: fn,
        alias: ALIAS,
        deploymentId: `d-abc12${i}`,
        stableVersion: '1',
        targetVersion: '2',
        weight,
      }));
    const [pre] = w.hooks.callsOf('cmd:./release-pre');
    expect(pre?.payload).toEqual({
      releaseId: 'r-abc123',
      phase: 'pre',
      functions: functionsAt(0),
      strategy: 'linear:50%:60s',
      startedAt: expect.any(String),
    });
    expect(w.hooks.callsOf('cmd:./release-step')[0]?.payload).toMatchObject({
      phase: 'step',
      functions: functionsAt(50),
    });
    expect(w.hooks.callsOf('cmd:./release-post')[0]?.payload).toMatchObject({
      phase: 'post',
      functions: functionsAt(100),
    });
    // A function's own hook is unchanged: it is told about that function alone.
    expect(w.hooks.callsOf('cmd:./smoke gamma')[0]?.payload).toMatchObject({
      deploymentId: 'd-abc122',
      functionName: 'gamma',
      alias: ALIAS,
      stableVersion: '1',
      targetVersion: '2',
      weight: 0,
    });
    expect(w.hooks.callsOf('cmd:./smoke gamma')[0]?.payload).not.toHaveProperty('functions');
  });

  it("--stagger: a release step hook sees each function's own weight", async () => {
    const w = fleetWorld({ auto: false });
    const rel = release(canary(10, 60), { stagger: true, hooks: { step: [cmdHook('./release-step')] } });
    const result = await runManually(w, runRelease(w.deps, rel));

    expect(result.status).toBe('promoted');
    const weights = w.hooks
      .callsOf('cmd:./release-step')
      .map((c) => ('functions' in c.payload ? c.payload.functions.map((f) => f.weight) : 'not the release'));
    // Before each function's promote: it is at 10%, the ones before it promoted, the later ones at 0.
    expect(weights).toEqual([
      [10, 0, 0],
      [100, 10, 0],
      [100, 100, 10],
    ]);
  });

  it("a release hook's events name the release, not its first function; a function's own name that function", async () => {
    const w = fleetWorld();
    const rel = release(canary(10, 60), { hooks: { pre: [cmdHook('./release-pre')] } });
    // beta's own hook has the same spec as the release's: only the event tells them apart.
    rel.members = rel.members.map((m) =>
      m.functionName === 'beta' ? { ...m, hooks: { pre: [cmdHook('./release-pre')] } } : m,
    );
    await runRelease(w.deps, rel);

    const hookEvents = w.sink.events.filter((e) => e.type.startsWith('hook.')) as {
      type: string;
      target?: { functionName: string };
      releaseId?: string;
    }[];
    expect(hookEvents.map((e) => [e.type, e.releaseId, e.target?.functionName])).toEqual([
      ['hook.started', 'r-abc123', undefined],
      ['hook.completed', 'r-abc123', undefined],
      ['hook.started', undefined, 'beta'],
      ['hook.completed', undefined, 'beta'],
    ]);
  });

  it('a failing hook of one function rolls every function back and names it', async () => {
    const w = fleetWorld();
    w.hooks.script('cmd:./smoke gamma', { ok: false, reason: 'smoke test failed' });
    const rel = release(canary(10, 60));
    rel.members = rel.members.map((m) => ({ ...m, hooks: { pre: [cmdHook(`./smoke ${m.functionName}`)] } }));
    const result = await runRelease(w.deps, rel);

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('gamma');
    // A pre-traffic hook fails before any weight moved: nothing was written anywhere.
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    for (const fn of FNS) expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
  });

  it('Ctrl-C mid-hold rolls every function back', async () => {
    const w = fleetWorld();
    const controller = new AbortController();
    w.clock.at(w.start + 90_000, () => controller.abort(new Error('SIGINT')));
    const rel = release({ ...linear(25, 60), signal: controller.signal }, { signal: controller.signal });
    const result = await runRelease(w.deps, rel);

    expect(result.status).toBe('rolled_back');
    expect(result.functions.map((f) => f.cause?.code)).toEqual(['INTERRUPTED', 'INTERRUPTED', 'INTERRUPTED']);
    // No function failed: `failed` (and the CI summary's "alpha failed the release") named the first
    // function that noticed the signal.
    expect(result).not.toHaveProperty('failed');
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});

describe('runRelease: --stagger interrupted with --on-interrupt leave', () => {
  it('is paused (exit 4), not "rolled back": the moved functions keep their weights', async () => {
    const w = fleetWorld();
    const controller = new AbortController();
    // alpha walks 0–300 s (promoted), beta holds 50% from ~300 s; Ctrl-C at 400 s.
    w.clock.at(w.start + 400_000, () => controller.abort(new Error('SIGINT')));
    const members = { ...canary(50, 300), signal: controller.signal, onInterrupt: 'leave' as const };
    const result = await runRelease(w.deps, release(members, { stagger: true, signal: controller.signal }));

    expect(result.status).toBe('paused');
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['alpha', 'paused'],
      ['beta', 'paused'],
      ['gamma', 'rolled_back'],
    ]);
    expect(w.lambda.peekAlias('beta', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.5 },
    });
  });
});

describe('resumeRelease: a release whose runner died', () => {
  /** A crashed lockstep release at linear 25%/60 s: alpha and beta at 50%, gamma's 50% write cut off. */
  function crashedWorld(ids: string[] = ['r-abc123', 'r-abc123', 'r-abc123']): World {
    const w = fleetWorld();
    FNS.forEach((fn, i) => {
      const percent = fn === 'gamma' ? 25 : 50;
      w.store.seed(
        fn,
        ALIAS,
        deadRecord(w, {
          id: `d-dead0${i}`,
          strategy: 'linear:25%:60s',
          stepIndex: percent / 25 - 1,
          percent,
          releaseId: ids[i],
        }),
      );
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': percent / 100 } });
    });
    return w;
  }

  const resumeOf = (fn: string) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] });

  it('continues from the highest level any function reached: all to 50%, then on together, all promoted', async () => {
    const w = crashedWorld();
    const result = await resumeRelease(w.deps, { members: FNS.map(resumeOf) });

    expect(result.status).toBe('promoted');
    expect(result.releaseId).toBe('r-abc123');
    expect(writes(w)).toEqual([
      ['alpha', 50],
      ['beta', 50],
      ['gamma', 50],
      ['alpha', 75],
      ['beta', 75],
      ['gamma', 75],
      ['alpha', 100],
      ['beta', 100],
      ['gamma', 100],
    ]);
    for (const fn of FNS)
      expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'promoted', releaseId: 'r-abc123' });
    // The id again for `abort --release`, as the release was taken over (NDJSON has it too).
    expect(w.sink.ofType('release.started')).toEqual([
      expect.objectContaining({
        releaseId: 'r-abc123',
        mode: 'lockstep',
        resumed: true,
        functions: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
      }),
    ]);
  });

  it("the release's own post-traffic hook, run after a resume, is the release's in its events and payload", async () => {
    const w = crashedWorld();
    const hooks = { post: [cmdHook('./release-post')] };
    const result = await resumeRelease(w.deps, { members: FNS.map(resumeOf), hooks });

    expect(result.status).toBe('promoted');
    const hookEvents = w.sink.events.filter((e) => e.type.startsWith('hook.'));
    expect(hookEvents.map((e) => ('target' in e ? e.target : undefined))).toEqual([undefined, undefined]);
    expect(hookEvents).toEqual([
      expect.objectContaining({ type: 'hook.started', phase: 'post', releaseId: 'r-abc123' }),
      expect.objectContaining({ type: 'hook.completed', ok: true, releaseId: 'r-abc123' }),
    ]);
    const [post] = w.hooks.callsOf('cmd:./release-post');
    expect(post?.payload).toMatchObject({
      releaseId: 'r-abc123',
      phase: 'post',
      functions: FNS.map((functionName) => ({ functionName, alias: ALIAS, targetVersion: '2', weight: 100 })),
    });
    expect(post?.payload).not.toHaveProperty('functionName');
  });

  it("refuses when the release's own post-traffic hook function no longer exists, before taking any record over", async () => {
    const w = crashedWorld();
    const hooks = { post: [parseHookSpec('lambda:gone', '--post-hook')] };
    await expect(resumeRelease(w.deps, { members: FNS.map(resumeOf), hooks })).rejects.toMatchObject({
      code: 'HOOK_FUNCTION_NOT_FOUND',
      exitCode: 1,
    });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  describe("each function's guards (gd=) against the resume's", () => {
    const releasePost = { post: [cmdHook('./release-post')] };
    /** The crashed release's records, each with the guards it ran with: its alarm and the release's post hook. */
    function guardedWorld(): World {
      const w = crashedWorld();
      for (const fn of FNS) {
        const record = w.store.peek(fn, ALIAS)!;
        const guards = guardsOf({ alarms: [`${fn}-errors`], releaseHooks: releasePost });
        w.store.seed(fn, ALIAS, { ...record, guards });
      }
      return w;
    }

    it("a resume without the release's own post-traffic hook is refused before any record is taken over", async () => {
      const w = guardedWorld();
      const refused = resumeRelease(w.deps, { members: FNS.map(resumeOf) });
      await expect(refused).rejects.toMatchObject({
        code: 'RESUME_GUARDS_DIFFER',
        exitCode: 2,
        message: expect.stringContaining(
          'the first run watched 1 alarm, ran a post-traffic hook and did not bake; this resume watches 1 alarm, runs no hook and does not bake',
        ),
      });
      expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
      expect(w.store.writes).toHaveLength(0);
    });

    it('one function whose alarm differs refuses the whole release', async () => {
      const w = guardedWorld();
      const members = FNS.map((fn) =>
        resumeRequest({ functionName: fn, alarms: [fn === 'beta' ? 'other' : `${fn}-errors`] }),
      );
      w.metrics.setAlarm('other', 'OK');
      await expect(resumeRelease(w.deps, { members, hooks: releasePost })).rejects.toMatchObject({
        code: 'RESUME_GUARDS_DIFFER',
        message: expect.stringContaining('Deployment d-dead01 of beta alias live'),
        // The whole release resumes together: its hint named beta alone.
        hint: expect.stringContaining(`Resume with \`lshift deploy ${FNS.join(' ')} --alias live --resume\``),
      });
      expect(w.store.writes).toHaveLength(0);
    });

    it('--guards-changed (on every member, as the CLI passes it) carries on and records the new guards', async () => {
      const w = guardedWorld();
      const members = FNS.map((fn) => ({ ...resumeOf(fn), guardsChanged: true }));
      const result = await resumeRelease(w.deps, { members });
      expect(result.status).toBe('promoted');
      expect(w.sink.logs('warn').filter((m) => m.startsWith('--guards-changed:'))).toHaveLength(3);
      for (const fn of FNS)
        expect(w.store.peek(fn, ALIAS)?.guards).toEqual(guardsOf({ alarms: [`${fn}-errors`] }));
    });

    it('with the same guards it carries on, every record keeping them', async () => {
      const w = guardedWorld();
      const result = await resumeRelease(w.deps, { members: FNS.map(resumeOf), hooks: releasePost });
      expect(result.status).toBe('promoted');
      for (const fn of FNS)
        expect(w.store.peek(fn, ALIAS)?.guards).toEqual(
          guardsOf({ alarms: [`${fn}-errors`], releaseHooks: releasePost }),
        );
    });
  });

  it('refuses functions of different releases before taking any record over', async () => {
    const w = crashedWorld(['r-abc123', 'r-other1', 'r-abc123']);
    await expect(resumeRelease(w.deps, { members: FNS.map(resumeOf) })).rejects.toThrow(/not one release/);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('refuses a --stagger release before taking any record over (lockstep would move them all at once)', async () => {
    const w = crashedWorld();
    for (const fn of FNS) w.store.seed(fn, ALIAS, { ...w.store.peek(fn, ALIAS)!, stagger: true });
    const error = await resumeRelease(w.deps, { members: FNS.map(resumeOf) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STAGGER_NOT_RESUMABLE', exitCode: 2 });
    expect(String((error as Error & { hint?: string }).hint)).toContain(
      'lshift rollback --release r-abc123` naming every function of the release (alpha beta gamma',
    );
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('a --stagger release resumed without the alarms it started with: refused as not resumable, not for its guards (whose hint named a resume that cannot work)', async () => {
    const w = crashedWorld();
    for (const fn of FNS) {
      const record = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, { ...record, stagger: true, guards: guardsOf({ alarms: [`${fn}-errors`] }) });
    }
    const members = FNS.map((fn) => resumeRequest({ functionName: fn, alarms: [] }));
    const error = await resumeRelease(w.deps, { members }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STAGGER_NOT_RESUMABLE', exitCode: 2 });
    const hint = String((error as Error & { hint?: string }).hint);
    expect(hint).toContain('lshift rollback --release r-abc123');
    // A resume of each alone is refused for the analysis flags too (RESUME_GUARDS_DIFFER).
    expect(hint).toContain("with the first run's --alarm, hook, --bake and analysis flags");
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.store.writes).toHaveLength(0);
  });

  it('a --stagger release with one function left (the others promoted) still resumes that one', async () => {
    const w = crashedWorld();
    for (const fn of FNS) w.store.seed(fn, ALIAS, { ...w.store.peek(fn, ALIAS)!, stagger: true });
    for (const fn of ['alpha', 'beta']) {
      w.store.seed(fn, ALIAS, { ...w.store.peek(fn, ALIAS)!, phase: 'promoted', percent: 100 });
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '2', additionalWeights: {} });
    }
    const result = await resumeRelease(w.deps, { members: FNS.map(resumeOf) });
    expect(result.status).toBe('promoted');
  });

  it('a --stagger release records it (sg=1), a lockstep one does not', async () => {
    const staggered = fleetWorld();
    await runRelease(staggered.deps, release(canary(10, 60), { stagger: true }));
    for (const fn of FNS) expect(staggered.store.peek(fn, ALIAS)?.stagger).toBe(true);
    const lockstep = fleetWorld();
    await runRelease(lockstep.deps, release(canary(10, 60)));
    for (const fn of FNS) expect(lockstep.store.peek(fn, ALIAS)?.stagger).toBeUndefined();
  });

  it('one verdict after a resume too: gamma failing rolls all three back', async () => {
    const w = crashedWorld();
    w.metrics.setAlarm('gamma-errors', 'ALARM', { at: w.start + 30_000 });
    const result = await resumeRelease(w.deps, { members: FNS.map(resumeOf) });
    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe('gamma');
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
