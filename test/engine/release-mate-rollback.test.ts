/**
 * A release fails (one function's alarm) and the rollback of another function — a mate — fails
 * too: the release must not read as rolled back cleanly. Its status is unsafe (exit 4), its
 * reason names the mate whose alias may still be split, and the mate's row says so.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForCheck, exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, deadRecord, linear, request, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];

function fleetWorld(): World {
  return createFleetWorld(NAMES);
}

function release(): ReleaseRequest {
  return {
    releaseId: 'r-mate01',
    members: NAMES.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
}

describe("a release whose mate's rollback fails", () => {
  it('is unsafe (exit 4), and its reason and row name the mate left split', async () => {
    const w = fleetWorld();
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 90_000, reason: 'errors over 3' });
    // fb's alias cannot be put back: every restore write is refused.
    w.lambda.fail({
      op: 'updateAlias',
      times: Number.POSITIVE_INFINITY,
      match: (args) =>
        args[0] === 'fb' &&
        (args[2] as { functionVersion: string }).functionVersion === '1' &&
        Object.keys((args[2] as { additionalWeights: object }).additionalWeights).length === 0,
      error: new OperationError('ACCESS_DENIED', 'not allowed to update alias live of fb'),
    });
    const result = await runRelease(w.deps, release());

    expect(result.failed?.functionName).toBe('fc');
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb.status).toBe('unsafe');
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(Object.keys(w.lambda.peekAlias('fb', ALIAS)!.additionalWeights)).toHaveLength(1);

    const reasoned = withReleaseReason(result);
    expect(reasoned.reason).toContain('fc');
    expect(reasoned.reason).toContain('fb');
    expect(reasoned.reason).not.toMatch(/are back on their stable versions/);
    const text = renderReleaseResult(reasoned);
    expect(text).toContain('✖ Release r-mate01 unsafe');
    expect(text).toMatch(/✖ fb:live\s+unsafe/);
    expect(text).toContain('lshift rollback fb');
  });
});

describe("lshift check over a release whose mate's rollback fails", () => {
  /** fa and fb of release r-mate02, both at 25% with a dead runner; fa's alarm fires. */
  function abandonedRelease(): World {
    const w = fleetWorld();
    for (const [i, fn] of ['fa', 'fb'].entries()) {
      w.store.seed(
        fn,
        ALIAS,
        deadRecord(w, { id: `d-${i}`, releaseId: 'r-mate02', strategy: 'linear:25%:1m' }),
      );
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
    }
    w.metrics.setAlarm('fa-errors', 'ALARM', { reason: 'errors over 3' });
    return w;
  }
  const checkRequest = {
    functionNames: ['fa', 'fb'],
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: ['{function}-errors'],
  };

  it('a mate whose rollback throws (its alias unreadable) is rollback_failed and named, exit 4 — not healthy', async () => {
    const w = abandonedRelease();
    const deps = { ...w.deps, store: w.store };
    const report = await runCheck(deps, checkRequest);
    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'stalled']);
    // From now on fb's alias cannot be read: its rollback (with fa's) fails before any write.
    w.lambda.fail({
      op: 'getAlias',
      times: Number.POSITIVE_INFINITY,
      match: (args) => args[0] === 'fb',
      error: new OperationError('ACCESS_DENIED', 'not allowed to read alias live of fb'),
    });
    const checked = await checkReleases(deps, report);

    const fb = checked.results.find((r) => r.functionName === 'fb')!;
    expect(fb.action).toBe('rollback_failed');
    expect(fb.reason).toContain('release r-mate02: fa was rolled back by lshift check');
    expect(fb.reason).toContain('not allowed to read alias live of fb');
    expect(exitCodeForCheck(checked)).toBe(4);
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual({ '2': 0.25 });
  });

  it('a release rollback that throws altogether (no record readable) leaves the mate rollback_failed, and the report', async () => {
    const w = abandonedRelease();
    const deps = { ...w.deps, store: w.store };
    const report = await runCheck(deps, checkRequest);
    // checkReleases reads each record once for its release; fb's next read (the release
    // rollback's) fails, so rollbackRelease has no member left and throws.
    const reads = new Map<string, number>();
    const store = Object.assign(Object.create(w.store), {
      read: (fn: string, alias: string) => {
        reads.set(fn, (reads.get(fn) ?? 0) + 1);
        if (fn === 'fb' && reads.get(fn)! > 1) return Promise.reject(new Error('tags unreadable'));
        return w.store.read(fn, alias);
      },
    }) as typeof w.store;
    const checked = await checkReleases({ ...deps, store }, report);

    const fb = checked.results.find((r) => r.functionName === 'fb')!;
    expect(fb.action).toBe('rollback_failed');
    expect(fb.reason).toContain('tags unreadable');
    expect(exitCodeForCheck(checked)).toBe(4);
  });
});
