/**
 * The release's reason when one of its functions was deleted and the release was stopped by
 * something else (a Ctrl-C, another function's alarm): said of what stopped it, the others said to
 * be back, the deletion said as such — whichever function noticed the interrupt first. Before
 * (2 December 2026), when the deleted function was the one that noticed a Ctrl-C, the release read
 * "function beta failed: could not roll back (interrupted at step 2 (40%)): function beta was
 * deleted during the release…", blaming the Ctrl-C on it, and never said the others were back.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf, type OutcomeCause } from '../../src/domain/outcome.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';

const POSITION = { kind: 'step', index: 1, percent: 40 } as const;

function member(functionName: string, status: DeployResult['status'], cause: OutcomeCause): DeployResult {
  return {
    status,
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    cause,
    position: POSITION,
    trafficMoved: true,
  };
}

const interrupted = causeOf('INTERRUPTED', { left: false });
const deletedAfter = (after: OutcomeCause, data: { missingBefore?: true; sinceLastWrite?: true }) =>
  causeOf('ROLLBACK_TARGET_DELETED', { what: 'function', after, ...data });

function release(failed: string | undefined, beta: OutcomeCause): ReleaseResult {
  return {
    releaseId: 'r-del001',
    status: 'failed',
    mode: 'lockstep',
    ...(failed ? { failed: { functionName: failed, alias: 'live' } } : {}),
    functions: [
      member('alpha', 'rolled_back', interrupted),
      member('beta', 'failed', beta),
      member('delta', 'rolled_back', interrupted),
    ],
    startedAt: 0,
    endedAt: 60_000,
  };
}

describe("a release's reason when a deleted function did not stop it", () => {
  it.each([
    ['the deleted function noticed the Ctrl-C first', 'beta'],
    ['another function noticed it first', 'alpha'],
    ['none is named', undefined],
  ])('Ctrl-C, %s: interrupted, the others back, the deletion after', (_name, failed) => {
    const result = withReleaseReason(release(failed, deletedAfter(interrupted, { missingBefore: true })));
    expect(result.reason).toBe(
      'the release was interrupted at step 2 (40%); alpha and delta are back on their stable versions; function beta was deleted during the release: nothing left to roll back',
    );
  });

  it("an operator's abort carried by the deleted function: the release was aborted, not beta's failure", () => {
    const aborted = causeOf('OPERATOR_ABORTED', { by: 'ann@laptop:9', reason: 'bad release' });
    const r = release('beta', deletedAfter(aborted, { sinceLastWrite: true }));
    const result = withReleaseReason({
      ...r,
      functions: r.functions.map((f) => (f.functionName === 'beta' ? f : { ...f, cause: aborted })),
    });
    expect(result.reason).toMatch(
      /^the release was aborted at step 2 \(40%\) by ann@laptop:9: bad release; /,
    );
    expect(result.reason).toContain('alpha and delta are back on their stable versions');
    expect(result.reason).toContain(
      "function beta was gone when the release went to roll it back (deleted after lshift's last write to it): nothing left to roll back",
    );
    expect(result.reason).not.toContain('function beta failed');
  });

  it('its own weight write met the deletion: that is what stopped the release, and the others are said to be back', () => {
    const met = causeOf('WEIGHT_WRITE_FAILED', { percent: 60, error: 'FUNCTION_NOT_FOUND' });
    const result = withReleaseReason(
      release('beta', causeOf('ROLLBACK_TARGET_DELETED', { what: 'function', after: met })),
    );
    expect(result.reason).toMatch(
      /^function beta failed: function beta was deleted during the release: at step 2 \(40%\) its weight write found no function/,
    );
    expect(result.reason).toMatch(/; alpha and delta are back on their stable versions$/);
  });
});
