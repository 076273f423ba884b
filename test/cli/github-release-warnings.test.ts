import { describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import type { ReasonedRelease } from '../../src/cli/describe-release.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import {
  githubReleaseWarnings,
  MAX_WARNING_ANNOTATIONS,
} from '../../src/cli/renderers/github-release-warnings.js';
import type { WarningTopic } from '../../src/domain/events.js';
import type { Verdict } from '../../src/domain/verdict.js';

const T = Date.UTC(2026, 0, 1);
const unjudged: Verdict = {
  gate: 'error-rate-increase',
  outcome: 'inconclusive',
  summary: 'only 6 invocations of version 2',
  at: T,
};
const UNWATCHED =
  'no --alarm and no analysis gate: nothing watches health, so the shift promotes on schedule';
const BYPASS = 'event source mapping e-1 (arn:aws:sqs:us-east-1:1:q) invokes beta, not alias live';
const NEVER = 'the canary analysis never judged version 2: every gate ended inconclusive (only 6)';
const TOPICS = new Map<string, WarningTopic>([
  [UNWATCHED, 'health'],
  [BYPASS, 'event-source'],
  [NEVER, 'analysis'],
]);

function fn(name: string, warnings: string[], overrides: Partial<ReasonedResult> = {}): ReasonedResult {
  return {
    status: 'promoted',
    functionName: name,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    ...(warnings.length > 0 ? { warnings } : {}),
    ...overrides,
  };
}

function release(functions: ReasonedResult[]): ReasonedRelease {
  return {
    releaseId: 'r-abc123',
    status: 'promoted',
    strategy: 'all-at-once',
    mode: 'lockstep',
    functions,
    startedAt: T,
    endedAt: T + 60_000,
  };
}

describe("a release's warnings as GitHub annotations", () => {
  it('each warning once, titled by its topic as for a single deploy, naming the functions it is about', () => {
    const r = release([
      fn('alpha', [UNWATCHED]),
      fn('beta', [UNWATCHED, BYPASS, NEVER], { verdicts: [unjudged] }),
      fn('gamma', [UNWATCHED]),
    ]);
    expect(githubReleaseWarnings(r, TOPICS)).toEqual([
      `::warning title=lshift health watch::every function of release r-abc123: ${UNWATCHED}`,
      `::warning title=lshift event source mapping::beta:live: ${BYPASS}`,
      `::warning title=lshift analysis::beta:live: ${NEVER}`,
    ]);
  });

  it('a warning of some functions names them (the first five, then how many more); no topic: lshift warning', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const r = release([...names.map((n) => fn(n, ['disk is slow'])), fn('h', [])]);
    expect(githubReleaseWarnings(r)).toEqual([
      '::warning title=lshift warning::a:live, b:live, c:live, d:live, e:live and 2 more functions: disk is slow',
    ]);
  });

  it('at most 10 in all: what was said before the shift first, the tenth counting the rest', () => {
    const functions = Array.from({ length: 12 }, (_, i) =>
      fn(`fn${i}`, [`warning ${i}`, NEVER], { verdicts: [unjudged] }),
    );
    const warnings = githubReleaseWarnings(release(functions), TOPICS);
    expect(warnings).toHaveLength(MAX_WARNING_ANNOTATIONS);
    expect(warnings[0]).toBe('::warning title=lshift warning::fn0:live: warning 0');
    expect(warnings.at(-1)).toBe(
      '::warning title=lshift warning::15 more warnings of release r-abc123 (see the step summary)',
    );
  });

  it('the step summary lists them too, each once', () => {
    const r = release([fn('alpha', [UNWATCHED]), fn('beta', [UNWATCHED, BYPASS])]);
    const md = renderGithubReleaseSummary(r);
    expect(md).toContain(`### Warnings\n\n- ⚠️ every function: ${UNWATCHED}\n- ⚠️ \`beta:live\`: ${BYPASS}\n`);
  });
});
