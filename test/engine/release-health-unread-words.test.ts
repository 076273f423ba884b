/**
 * A release whose CloudWatch reads fail (one DescribeAlarms serves every function's poll:
 * metric-batch.ts): the release ends for the function whose poll met the failure first, and the
 * others' rows said "function fb failed: could not read alarm …", as if fb had gone bad (h4's
 * notes, session 64). They now say its health could not be read: nothing says any version failed.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS, linear } from './world.js';

describe('a release whose health reads fail', () => {
  it('the others roll back for the function whose health could not be read, not "failed"', async () => {
    const w = fleetWorld();
    // From the first poll after the first weight on: every alarm read fails.
    w.metrics.fail({ op: 'describeAlarms', nth: 12, times: Number.POSITIVE_INFINITY });
    const { settled, running } = await runUntil(w, release(undefined, linear(50, 600)), 900_000);
    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    const failed = result.failed!.functionName;
    expect(fn(result, failed).cause?.code).toBe('HEALTH_UNREADABLE');
    const others = result.functions.filter((f) => f.functionName !== failed);
    expect(others.length).toBe(2);
    for (const other of others) {
      const words = JSON.stringify(other);
      expect(words).toContain(`the health of function ${failed} could not be read: `);
      expect(words).not.toContain(`function ${failed} failed`);
    }
    for (const f of ['fa', 'fb', 'fc']) expect(w.lambda.peekAlias(f, ALIAS)?.functionVersion).toBe('1');
    // The release's own reason (the `Reason:` line, `--json` reason) says the same.
    const reason = withReleaseReason(result).reason ?? '';
    expect(
      reason.startsWith(`the health of function ${failed} could not be read: rolled back at step 1`),
    ).toBe(true);
    expect(reason).toContain('3 consecutive polls failed');
    expect(reason).not.toContain(`function ${failed} failed`);
    // The CI step summary does not say it "failed the release" either.
    const summary = renderGithubReleaseSummary(withReleaseReason(result));
    expect(summary).toContain(`\`${failed}:live\` health unreadable`);
    expect(summary).not.toContain('failed the release');
  });
});
