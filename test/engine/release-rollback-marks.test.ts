/**
 * While a release rolls back, every function it is about to restore says so on its record
 * (`rolling-back`, this runner's), not only the one mark the rollback's crash safety rests on
 * (release-settle.ts): a `lshift check` or `lshift status` reading a function whose alias is
 * not back yet saw `shifting` with a fresh heartbeat for as long as the rollback took (minutes,
 * when its alias write is throttled). The other marks are queued behind the alias writes, which
 * overtake them: traffic goes back no later than before. A crash (kill -9) after the marks and
 * before the aliases is finished by `lshift check` and by `lshift rollback --release`.
 */
import { describe, expect, it } from 'vitest';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import { getStatus } from '../../src/engine/status.js';
import type { AliasWrite, LambdaPort } from '../../src/ports/lambda.js';
import { throttled } from '../helpers/fake-lambda.js';
import { beatsUnwritable } from './stuck-rollback.js';
import { ALIAS, canary, createFleetWorld, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const RUNNER = 'tester@host:1';

function release(): ReleaseRequest {
  return {
    releaseId: 'r-mark01',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
    ),
  };
}

function isRestore(write: AliasWrite): boolean {
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
}

/** The restore writes of `stuck` each hang `ms` and are throttled; `never`: every restore hangs for good (a process that died). */
function stuckRestores(w: World, opts: { stuck?: string; ms?: number; never?: boolean }): LambdaPort {
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (fn: string, alias: string, write: AliasWrite) => {
          if (isRestore(write) && opts.never) return new Promise(() => undefined);
          if (isRestore(write) && fn === opts.stuck) {
            await w.clock.sleep(opts.ms ?? 0);
            throw throttled();
          }
          return target.updateAlias(fn, alias, write);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** fc's alarm fires at 85 s: the release rolls back from its 91 s poll. */
function failingWorld(): World {
  const w = createFleetWorld(FNS, { auto: false });
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  return w;
}

describe("a release's rollback marks every function it is about to restore", () => {
  it("fb's restore throttled for minutes: 30 s into the rollback fb's record says rolling-back (this runner's), and status says so", async () => {
    const w = failingWorld();
    const runner = runRelease(
      { ...w.deps, lambda: stuckRestores(w, { stuck: 'fb', ms: 60_000 }) },
      release(),
    );
    runner.catch(() => undefined);
    await w.clock.advance(0);
    for (let s = 0; s < 121; s++) await w.clock.advance(1000);

    // The verdict was at 91 s; fb's alias is still split, its restore retried.
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.1 });
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolling-back',
      owner: RUNNER,
      releaseId: 'r-mark01',
    });
    const status = await getStatus(
      { ...w.deps, store: w.store },
      { functionName: 'fb', alias: ALIAS, alarms: [] },
    );
    expect(status.record).toMatchObject({ phase: 'rolling-back', releaseId: 'r-mark01' });
  });

  it('kill -9 after the marks, before any alias is back: `lshift check` rolls every function back', async () => {
    const w = failingWorld();
    // Its alias writes never answer, and nothing it writes after its marks lands: it beat while
    // they hung (beating-driver.ts), so a process that died leaves the store as this one does.
    const runner = runRelease(
      { ...w.deps, lambda: stuckRestores(w, { never: true }), store: beatsUnwritable(w) },
      release(),
    );
    runner.catch(() => undefined);
    await w.clock.advance(0);
    await w.clock.advance(95_000);
    // Every record marked, no alias back: the process dies here.
    for (const fn of FNS) {
      expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: RUNNER });
      expect(w.lambda.peekAlias(fn, ALIAS)?.additionalWeights).toEqual({ '2': 0.1 });
    }
    await w.clock.advance(10 * 60_000);

    // The check watches each record for the stale period on its own clock: drive it.
    const checking = runCheckWithReleases(
      { ...w.deps, store: w.store, owner: 'check:cron@ops:12' },
      { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
    );
    let done = false;
    checking.finally(() => {
      done = true;
    });
    for (let s = 0; !done && s < 3600; s++) await w.clock.advance(1000);
    const check = await checking;
    expect(check.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    for (const fn of FNS) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    }
  });

  it('kill -9 after the marks, before any alias is back: `lshift rollback --release` rolls every function back', async () => {
    const w = failingWorld();
    const runner = runRelease({ ...w.deps, lambda: stuckRestores(w, { never: true }) }, release());
    runner.catch(() => undefined);
    await w.clock.advance(0);
    await w.clock.advance(95_000);
    await w.clock.advance(10 * 60_000);

    const done = rollbackRelease(
      { ...w.deps, store: w.store },
      {
        releaseId: 'r-mark01',
        targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'crashed',
      },
    );
    const result = await done;
    expect(result.functions.map((f) => f.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
