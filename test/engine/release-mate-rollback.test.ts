/**
 * A release fails (one function's alarm) and the rollback of another function — a mate — fails
 * too: the release must not read as rolled back cleanly. Its status is unsafe (exit 4), its
 * reason names the mate whose alias may still be split, and the mate's row says so.
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseResult, withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createWorld, linear, request, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];

function fleetWorld(): World {
  const w = createWorld();
  for (const fn of NAMES) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
  }
  return w;
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
