import { describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import type { ReasonedRelease } from '../../src/cli/describe-release.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { renderGithubSummary } from '../../src/cli/renderers/github-summary.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { causeOf } from '../../src/domain/outcome.js';
import type { Verdict } from '../../src/domain/verdict.js';

const T = Date.UTC(2026, 0, 1);
const failedGate: Verdict = { gate: 'latency-increase', outcome: 'fail', summary: 'p99 +23% > 20%', at: T };
const unjudged: Verdict = { gate: 'error-rate-increase', outcome: 'inconclusive', summary: 'too few', at: T };
const gateFailed = causeOf('GATE_FAILED', { gates: ['latency-increase'] }, 'p99 +23% > allowed 20%');

function fn(name: string, overrides: Partial<ReasonedResult> = {}): ReasonedResult {
  return {
    status: 'rolled_back',
    functionName: name,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [failedGate],
    trafficMoved: true,
    cause: gateFailed,
    reason: 'rolled back at step 1 (10%): p99 +23% > allowed 20%',
    ...overrides,
  };
}

function release(functions: ReasonedResult[], overrides: Partial<ReasonedRelease> = {}): ReasonedRelease {
  return {
    releaseId: 'r-abc123',
    status: 'rolled_back',
    strategy: 'linear:10%:1m',
    mode: 'lockstep',
    failed: { functionName: 'beta', alias: 'live' },
    functions,
    startedAt: T,
    endedAt: T + 150_000,
    reason: 'function beta failed: p99 +23% > allowed 20%; all 2 functions are back',
    ...overrides,
  };
}

const rolledBack = release([fn('alpha'), fn('beta')]);
const promoted = release(
  ['alpha', 'beta'].map((n) => fn(n, { status: 'promoted', verdicts: [unjudged], cause: undefined })),
  { status: 'promoted', failed: undefined, reason: undefined },
);

/**
 * The hints naming the analysis flags to change (analysis-hints.ts) were in a single deploy's
 * terminal summary only: a release's summary and the GitHub step summaries named no flag.
 */
describe('the analysis flags to change, beyond a single deploy’s terminal summary', () => {
  it('a release rolled back by a gate: once, for the function that failed it', () => {
    const text = renderReleaseResult(rolledBack);
    const hints = text.split('\n').filter((l) => l.includes('--max-latency-increase'));
    expect(hints).toEqual([expect.stringMatching(/^ {2}beta:live: If version 2 is fine .*--confidence/)]);
  });

  it('a promoted release the analysis could not judge: one line for a hint every function has', () => {
    const hints = renderReleaseResult(promoted)
      .split('\n')
      .filter((l) => l.includes('--on-inconclusive fail'));
    expect(hints).toEqual([expect.stringMatching(/^ {2}To have it judged: .*--min-invocations/)]);
  });

  it('a release’s GitHub step summary names them', () => {
    expect(renderGithubReleaseSummary(rolledBack)).toMatch(
      /beta:live: If version 2 is fine.*--max-latency-increase/,
    );
    expect(renderGithubReleaseSummary(promoted)).toContain('--on-inconclusive fail');
  });

  it('a single deploy’s GitHub step summary names them', () => {
    const single = { ...fn('orders'), deploymentId: 'd-1', startedAt: T, endedAt: T + 60_000 };
    expect(renderGithubSummary(single, [])).toMatch(/If version 2 is fine.*--max-latency-increase/);
  });

  it('an alarm that rolled the release back names no analysis flag', () => {
    const alarm = causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm beta-errors is ALARM');
    const text = renderReleaseResult(release([fn('alpha', { cause: alarm }), fn('beta', { cause: alarm })]));
    expect(text).not.toContain('docs/analysis.md');
  });
});
