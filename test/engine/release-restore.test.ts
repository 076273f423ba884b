/**
 * A failed release puts traffic back first (release-settle.ts): one `rolling-back` mark on the
 * failing function's record, then every alias, then the records. These tests pin that order,
 * and that a crash anywhere between the mark and the records still ends with every function
 * on its stable version through `deploy --resume` or `lshift check`.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import type { DeployDeps } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { aliasWritten, crashingDeps } from './crash.js';
import { ALIAS, createFleetWorld, linear, request, resumeRequest, type World } from './world.js';

const name = (i: number) => `f${String(i).padStart(3, '0')}`;

function fleetWorld(n: number): { w: World; names: string[] } {
  const names = Array.from({ length: n }, (_, i) => name(i));
  const w = createFleetWorld(names);
  return { w, names };
}

function release(names: string[]): ReleaseRequest {
  return {
    releaseId: 'r-abc123',
    members: names.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
}

interface Logged {
  port: 'lambda' | 'store' | 'event';
  op: string;
  args: unknown[];
}

/** The world's Lambda and store calls and the events, in the order they were made. */
function loggedDeps(w: World, log: Logged[]): DeployDeps {
  const wrap = <T extends object>(target: T, port: 'lambda' | 'store'): T =>
    new Proxy(target, {
      get: (obj, key, receiver) => {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          log.push({ port, op: String(key), args });
          return value.apply(obj, args);
        };
      },
    });
  return {
    ...w.deps,
    lambda: wrap(w.lambda, 'lambda'),
    store: wrap(w.store, 'store'),
    events: {
      emit: (event) => {
        log.push({ port: 'event', op: event.type, args: [event] });
        w.sink.emit(event);
      },
    },
  };
}

const isRestore = (c: Logged) =>
  c.op === 'updateAlias' &&
  (c.args[2] as { functionVersion: string }).functionVersion === '1' &&
  Object.keys((c.args[2] as { additionalWeights: object }).additionalWeights).length === 0;
const phaseOf = (c: Logged) => (c.args[2] as DeploymentRecord).phase;
const onStable = (w: World, fn: string) => w.lambda.peekAlias(fn, ALIAS);

describe('a failed release: the mark, then every alias, then the records', () => {
  it('100 functions, one bad: between its verdict and the last alias only 100 UpdateAlias and the one mark', async () => {
    const { w, names } = fleetWorld(100);
    const bad = name(50);
    w.metrics.setAlarm(`${bad}-errors`, 'ALARM', { at: w.start + 90_000, reason: 'errors over 3' });
    const log: Logged[] = [];
    const result = await runRelease(loggedDeps(w, log), release(names));

    expect(result.status).toBe('rolled_back');
    expect(result.failed?.functionName).toBe(bad);
    const verdict = log.findIndex(
      (c) =>
        c.op === 'health.polled' &&
        (c.args[0] as { target?: { functionName: string }; verdicts: { outcome: string }[] }).target
          ?.functionName === bad &&
        (c.args[0] as { verdicts: { outcome: string }[] }).verdicts.some((v) => v.outcome === 'fail'),
    );
    const lastAlias = log.length - 1 - [...log].reverse().findIndex(isRestore);
    const window = log.slice(verdict + 1, lastAlias + 1).filter((c) => c.port !== 'event');
    const mark = window.findIndex((c) => c.op === 'write');
    // The mark: the failing function's `rolling-back` write (after its ownership read); after
    // it, nothing but the 100 restores.
    expect(window[mark]?.args[0]).toBe(bad);
    expect(window.slice(0, mark).filter((c) => c.args[0] === bad)).toHaveLength(1);
    expect(phaseOf(window[mark]!)).toBe('rolling-back');
    expect(window.slice(mark + 1).every(isRestore)).toBe(true);
    expect(window.slice(mark + 1)).toHaveLength(100);
    // Before it, only the reads of heartbeats already due in the poll that gave the verdict
    // (their writes are dropped; behind Lambda's limiter the restores overtake such reads).
    expect(window.slice(0, mark).every((c) => c.op === 'read')).toBe(true);
    // After the last alias write was sent: every other record says `rolling-back` too (its
    // ownership read and write: a check or status mid-rollback sees it), then each record is
    // closed once, after its own ownership read: a rollback's claim may land after the release's
    // restore (release-closing-claim.test.ts). Before, the closing writes skipped it (99 reads).
    const after = log.slice(lastAlias + 1).filter((c) => c.port === 'store');
    const written = after.filter((c) => c.op === 'write');
    expect(written.filter((c) => phaseOf(c) === 'rolling-back').map((c) => c.args[0])).toEqual(
      names.filter((fn) => fn !== bad),
    );
    expect(after.filter((c) => c.op === 'read')).toHaveLength(199);
    const closes = written.filter((c) => phaseOf(c) === 'rolled-back');
    expect(closes).toHaveLength(100);
    expect(written).toHaveLength(199);
    // The mark is closed last: a crash among these writes still leaves it saying `rolling-back`.
    expect(after.at(-1)?.args[0]).toBe(bad);
    // No heartbeat, and only the one `rolling-back`, before the last alias write was sent.
    const writesBeforeLastAlias = log.slice(verdict + 1, lastAlias + 1).filter((c) => c.op === 'write');
    expect(writesBeforeLastAlias.filter((c) => phaseOf(c) !== 'rolled-back')).toHaveLength(1);
    for (const fn of names) {
      expect(onStable(w, fn)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'rolled-back', releaseId: 'r-abc123' });
    }
  });
});

describe('a crash between the mark and the records', () => {
  const N = 10;
  /** Runs the release until the `restored`-th alias restore landed, then "kills" its runner. */
  async function crashedAfterRestores(restored: number) {
    const { w, names } = fleetWorld(N);
    // f000 fails, is marked, and is restored first; the alarm clears once its traffic is back.
    w.metrics.setAlarm(`${name(0)}-errors`, 'ALARM', { at: w.start + 90_000 });
    const restore = (a: { functionVersion: string; additionalWeights: object }) =>
      a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0;
    const { deps, crash } = crashingDeps(w, aliasWritten(restored, restore));
    // One restore at a time, so the crash leaves exactly `restored` aliases back.
    await runRelease(deps, { ...release(names), concurrency: 1 });
    expect(crash.crashed).toBe(true);
    w.metrics.setAlarm(`${name(0)}-errors`, 'OK');
    // The runner is gone: every heartbeat goes stale.
    await w.clock.sleep(600_000);
    return { w, names };
  }

  function expectAllStable(w: World, names: string[]): void {
    for (const fn of names) {
      expect(onStable(w, fn), fn).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('rolled-back');
    }
  }

  it.each([1, 5, N])('after %i of 10 aliases: the records left behind say so', async (restored) => {
    const { w, names } = await crashedAfterRestores(restored);
    const phases = names.map((fn) => w.store.peek(fn, ALIAS)?.phase);
    expect(phases[0]).toBe('rolling-back');
    expect(phases.slice(1).every((p) => p === 'shifting')).toBe(true);
    const split = names.filter((fn) => Object.keys(onStable(w, fn)?.additionalWeights ?? {}).length > 0);
    expect(split).toHaveLength(N - restored);
  });

  it.each([1, 5, N])(
    'after %i of 10 aliases: deploy --resume rolls the whole release back',
    async (restored) => {
      const { w, names } = await crashedAfterRestores(restored);
      const members = names.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));
      const result = await resumeRelease(w.deps, { members });

      expect(result.status).toBe('rolled_back');
      // Nothing moved forward: every alias write of the resume puts version 1 back.
      const resumed = w.lambda.callsOf('updateAlias').slice(-N);
      expect(resumed.every((c) => (c.args[2] as { functionVersion: string }).functionVersion === '1')).toBe(
        true,
      );
      expectAllStable(w, names);
    },
  );

  it('after 3 of 10 records were closed: the mark is still there, and lshift check closes the rest', async () => {
    const { w, names } = fleetWorld(N);
    w.metrics.setAlarm(`${name(0)}-errors`, 'ALARM', { at: w.start + 90_000 });
    let closed = 0;
    const { deps, crash } = crashingDeps(w, (call) => {
      if (call.port !== 'store' || call.op !== 'write') return false;
      return (call.args[2] as DeploymentRecord).phase === 'rolled-back' && ++closed === 3;
    });
    await runRelease(deps, { ...release(names), concurrency: 1 });
    expect(crash.crashed).toBe(true);
    expect(w.store.peek(name(0), ALIAS)?.phase).toBe('rolling-back');
    w.metrics.setAlarm(`${name(0)}-errors`, 'OK');
    await w.clock.sleep(600_000);
    const checkDeps = { ...w.deps, store: w.store };
    const req = { functionNames: names, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
    await checkReleases(checkDeps, await runCheck(checkDeps, req));
    expectAllStable(w, names);
  });

  it.each([1, 5, N])(
    'after %i of 10 aliases: lshift check rolls the whole release back',
    async (restored) => {
      const { w, names } = await crashedAfterRestores(restored);
      const deps = { ...w.deps, store: w.store };
      const req = { functionNames: names, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
      const report = await checkReleases(deps, await runCheck(deps, req));

      expect(
        report.results.every((r) => r.action === 'rolled_back'),
        JSON.stringify(report.results),
      ).toBe(true);
      expectAllStable(w, names);
    },
  );

  it("a function lshift check rolled back is not pointed at the release's resume any more", async () => {
    const { w, names } = fleetWorld(2);
    // Both aliases split at the first weight, then the runner dies.
    const { deps, crash } = crashingDeps(w, aliasWritten(2));
    await runRelease(deps, release(names));
    expect(crash.crashed).toBe(true);
    w.metrics.setAlarm(`${name(0)}-errors`, 'ALARM');
    await w.clock.sleep(600_000);
    const checkDeps = { ...w.deps, store: w.store };
    const req = { functionNames: names, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
    const report = await checkReleases(checkDeps, await runCheck(checkDeps, req));

    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back']);
    for (const r of report.results) expect(r.reason, r.functionName).not.toContain('--resume');
    // The alarm's reason is one sentence with the deployment it was read during.
    expect(report.results[0]!.reason).toContain('(1.0) during deployment d-0');
    expectAllStable(w, names);
  });
});
