import { describe, expect, it } from 'vitest';
import { judgeRelease, type ReleaseMember } from '../../src/engine/check-release-verdict.js';
import type { CheckResult } from '../../src/engine/check-types.js';

/**
 * A release whose rollback failed (every UpdateAlias refused: the deploy said ROLLBACK FAILED,
 * exit 4) was said by the next check "its runner died while rolling the release back (a1 says
 * failed)" — the runner had not died (found by a hostile pass, session 61).
 */
const member = (i: number, r: Partial<CheckResult>): ReleaseMember => ({
  i,
  r: { functionName: `a${i}`, alias: 'live', action: 'stalled', reason: '', stalled: true, ...r },
});

describe("judgeRelease: why a release's functions are rolled back", () => {
  it.each([
    ['failed', 'its runner could not finish rolling the release back (its rollback failed) (a1 says failed)'],
    ['rolling-back', 'its runner died while rolling the release back (a1 says rolling-back)'],
  ] as const)('a stalled record %s', (phase, words) => {
    const verdict = judgeRelease('r-z5e4hr', [member(1, { phase }), member(2, { phase: 'shifting' })], 0);
    expect(verdict?.why).toBe(`release r-z5e4hr: ${words}`);
    expect(verdict?.siblings.map((m) => m.r.functionName)).toEqual(['a1', 'a2']);
  });
});
