/**
 * A release's summary row for a function whose rollback could not read its alias: the row said
 * "alias: version 1 (100%)" as fact, beside a reason saying "alias unread; lshift last saw
 * version 1 (100%)" (h3's pass, session 66, F7). The row now says the same as the reason.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { createFleetWorld, linear, request } from '../engine/world.js';

const FNS = ['fa', 'fb', 'fc'];

function release(): ReleaseRequest {
  return {
    releaseId: 'r-unread1',
    stagger: true,
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(50, 60) }),
    ),
  };
}

describe('a release summary row whose alias its rollback could not read', () => {
  it('says "alias unread; lshift last saw …", not "alias: …" as fact', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.metrics.setAlarm('fa-errors', 'ALARM', { at: w.start + 30_000 });
    w.clock.at(w.start + 25_000, () => {
      w.lambda.fail({
        op: 'getAlias',
        times: Number.POSITIVE_INFINITY,
        match: (args) => args[0] === 'fc',
        error: new OperationError('ACCESS_DENIED', 'not allowed lambda:GetAlias', {}),
      });
    });
    let ended = false;
    const running = runRelease(w.deps, release()).finally(() => {
      ended = true;
    });
    while (!ended) await w.clock.advance(1000);
    const result = await running;

    expect(result.functions.find((f) => f.functionName === 'fc')?.status).toBe('unsafe');
    const row = renderReleaseResult(withReleaseReason(result))
      .split('\n')
      .find((l) => /^ {2}\S+ fc:live /.test(l));
    expect(row).toContain('alias unread; lshift last saw version 1 (100%)');
    expect(row).not.toContain('alias: version');
    // The GitHub job summary's row says it the same way.
    const summaryRow = renderGithubReleaseSummary(withReleaseReason(result))
      .split('\n')
      .find((l) => l.startsWith('| `fc:live`'));
    expect(summaryRow).toContain('alias unread; lshift last saw version 1 (100%)');
    expect(summaryRow).not.toContain('alias: version');
    expect(summaryRow).toMatch(/^\| `fc:live` \| 1 → 2 \| \? \|/);
  });
});
