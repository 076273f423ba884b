import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import type { ReasonedRelease } from '../../src/cli/describe-release.js';
import {
  finalWeight,
  githubReleaseAnnotation,
  renderGithubReleaseSummary,
  reportReleaseToGithub,
} from '../../src/cli/renderers/github-release-summary.js';
import {
  githubReleaseWarnings,
  MAX_WARNING_ANNOTATIONS,
} from '../../src/cli/renderers/github-release-warnings.js';
import type { Verdict } from '../../src/domain/verdict.js';

const T = Date.UTC(2026, 0, 1);
const pass: Verdict = { gate: 'alarms', outcome: 'pass', summary: '1 alarm OK', at: T };
const unjudged: Verdict = {
  gate: 'error-rate-increase',
  outcome: 'inconclusive',
  summary: 'only 6 invocations of version 2',
  at: T,
};

function fn(name: string, overrides: Partial<ReasonedResult> = {}): ReasonedResult {
  return {
    status: 'rolled_back',
    functionName: name,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [pass],
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
    reason: 'function beta failed: alarm beta-errors is ALARM; all 3 functions are back',
    ...overrides,
  };
}

const failing = (name: string) =>
  fn(name, {
    reason: 'rolled back at step 2 (20%): alarm beta-errors is ALARM',
    verdicts: [{ gate: 'alarms', outcome: 'fail', summary: 'alarm beta-errors is ALARM', at: T }],
  });

describe('the GitHub summary of a release', () => {
  it('names the failing function and why, then a row per function with its final weight and health', () => {
    const md = renderGithubReleaseSummary(release([fn('alpha'), failing('beta'), fn('gamma')]));
    expect(md).toMatch(/^## ↩️ lshift: release r-abc123 rolled back: `beta:live` failed/);
    expect(md).toContain('| exit code | 3 |');
    expect(md).toContain('**Result: rolled back** — function beta failed: alarm beta-errors is ALARM');
    expect(md).toContain('### `beta:live` failed the release');
    expect(md).toContain('| alarms | ❌ fail | alarm beta-errors is ALARM |');
    expect(md).toContain('| `alpha:live` | 1 → 2 | 0% | ✅ healthy | ↩️ rolled back |');
    expect(md).toContain(
      '| `beta:live` | 1 → 2 | 0% | ❌ alarms failed | ↩️ rolled back (failed the release) |',
    );
  });

  it('a function taken from the release (rolled back by another lshift, taken over) is not said to have failed it', () => {
    const byOther = fn('beta', {
      cause: { code: 'ROLLED_BACK_BY_OTHER', data: { owner: 'rollback:ann@laptop:41' } },
      finishedBy: { owner: 'rollback:ann@laptop:41', phase: 'rolled-back' },
    } as Partial<ReasonedResult>);
    const rolledBack = renderGithubReleaseSummary(release([fn('alpha'), byOther, fn('gamma')]));
    expect(rolledBack).toMatch(
      /^## ↩️ lshift: release r-abc123 rolled back: `beta:live` rolled back by rollback:ann@laptop:41, 3 functions/,
    );
    expect(rolledBack).toContain(
      '### `beta:live` was rolled back by rollback:ann@laptop:41: the release stopped for it',
    );
    expect(rolledBack).not.toContain('failed the release');

    const taken = fn('beta', {
      status: 'conflict',
      cause: { code: 'TAKEN_OVER', data: {} },
      heldBy: { owner: 'ci@runner:9', phase: 'shifting', deploymentId: 'd-1' },
    } as Partial<ReasonedResult>);
    const conflict = renderGithubReleaseSummary(
      release([fn('alpha'), taken, fn('gamma')], { status: 'conflict' }),
    );
    expect(conflict).toContain('### `beta:live` was taken over by ci@runner:9: the release stopped for it');
    expect(conflict).toContain('⛔ conflict (taken over by ci@runner:9: the release stopped for it)');
    expect(conflict).not.toContain('failed the release');
  });

  it('an unsafe function shows the alias as last seen, its weight from it, and the fix', () => {
    const unsafe = fn('gamma', {
      status: 'unsafe',
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.2 } },
      fixCommand: 'aws lambda update-alias --function-name gamma --name live --function-version 1',
    });
    const r = release([fn('alpha'), failing('beta'), unsafe], { status: 'unsafe' });
    const md = renderGithubReleaseSummary(r);
    expect(md).toMatch(
      /\| `gamma:live` \| 1 → 2 \| 20% \| .* 🚨 unsafe; alias: version 1 \(80%\) \+ version 2 \(20%\); fix: `aws lambda update-alias/,
    );
    expect(githubReleaseAnnotation(r)).toMatch(
      /^::error title=lshift rollback failed::release r-abc123: .*%0AFix: aws lambda/,
    );
  });

  it('functions left split by refused rollbacks: the one lshift rollback --release first, the AWS lines after', () => {
    const split = (name: string) =>
      fn(name, {
        status: 'unsafe',
        aliasState: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
        fixCommand: `aws lambda update-alias --function-name ${name}`,
        rollbackCommand: `lshift rollback ${name} --alias live`,
      });
    const r = release([split('alpha'), split('beta')], { status: 'unsafe' });
    const worded = { ...r, rollbackCommand: 'lshift rollback --release r-abc123 alpha beta' };
    expect(githubReleaseAnnotation(worded)).toMatch(
      /::release r-abc123: .*%0AFix: lshift rollback --release r-abc123 alpha beta%0AWithout lshift: aws lambda update-alias --function-name alpha%0AWithout lshift: aws lambda update-alias --function-name beta$/,
    );
    expect(githubReleaseAnnotation(r)).toContain(
      '%0AFix: lshift rollback alpha --alias live%0AWithout lshift: aws lambda update-alias --function-name alpha',
    );
    expect(renderGithubReleaseSummary(r)).toContain(
      'fix: `lshift rollback beta --alias live`; without lshift: `aws lambda update-alias --function-name beta`',
    );
  });

  it('stays short for 100 functions: the failing and unjudged ones get a row, the rest are counted', () => {
    const functions = Array.from({ length: 100 }, (_, i) => fn(`fn${i}`));
    functions[41] = failing('beta');
    functions[7] = fn('fn7', { status: 'promoted', verdicts: [pass, unjudged] });
    // Cut short by the rollback: inconclusive is expected and gets no row; unreadable health does.
    functions[8] = fn('fn8', { verdicts: [pass, unjudged] });
    functions[9] = fn('fn9', {
      verdicts: [{ gate: 'alarms', outcome: 'error', summary: 'THROTTLED', at: T }],
    });
    const md = renderGithubReleaseSummary(release(functions));
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| `fn7:live`', '| `fn9:live`', '| `beta:live`']);
    expect(md).toContain('…and 97 more (97 rolled back): none failed a check or had unreadable health.');
    expect(md.length).toBeLessThan(3_000);
  });

  it('a promoted function whose analysis never judged: a warning in the summary and an annotation', () => {
    const r = release(
      [fn('alpha', { status: 'promoted' }), fn('beta', { status: 'promoted', verdicts: [pass, unjudged] })],
      {
        status: 'promoted',
        failed: undefined,
        reason: undefined,
      },
    );
    const md = renderGithubReleaseSummary(r);
    expect(md).toMatch(/^## ✅ lshift: release r-abc123 promoted: 2 functions/);
    expect(md).toContain('| `beta:live` | 1 → 2 | 100% | ❔ never judged | ✅ promoted |');
    expect(md).toContain('- ⚠️ `beta:live`: the canary analysis never judged version 2');
    expect(githubReleaseAnnotation(r)).toBeUndefined();
    expect(githubReleaseWarnings(r)).toEqual([
      expect.stringMatching(
        /^::warning title=lshift analysis::beta:live: the canary analysis never judged version 2/,
      ),
    ]);
  });

  it('at most 10 warning annotations (GitHub shows no more), the last one counting the rest', () => {
    const functions = Array.from({ length: 30 }, (_, i) =>
      fn(`fn${i}`, { status: 'promoted', verdicts: [unjudged] }),
    );
    const warnings = githubReleaseWarnings(release(functions, { status: 'promoted', failed: undefined }));
    expect(warnings).toHaveLength(MAX_WARNING_ANNOTATIONS);
    expect(warnings.at(-1)).toContain('21 more functions of release r-abc123 were never judged');
  });

  it('the final weight on the new version, by outcome or from the alias as last seen', () => {
    expect(finalWeight(fn('a', { status: 'promoted' }))).toBe('100%');
    expect(finalWeight(fn('a', { status: 'rolled_back' }))).toBe('0%');
    const steps = [{ index: 0, percent: 30, holdSeconds: 60, startedAt: T, result: 'interrupted' as const }];
    expect(finalWeight(fn('a', { status: 'paused', steps }))).toBe('30%');
    const split = { functionVersion: '2', additionalWeights: { '1': 0.25 } };
    expect(finalWeight(fn('a', { status: 'unsafe', aliasState: split }))).toBe('75%');
    expect(finalWeight(fn('a', { status: 'conflict' }))).toBe('?');
  });

  it('is appended to GITHUB_STEP_SUMMARY; under --json the annotation goes to stderr; unset: nothing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lshift-gh-release-')), 'summary.md');
    const out: string[] = [];
    const err: string[] = [];
    const r = release([fn('alpha'), failing('beta')]);
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    reportReleaseToGithub(r, {}, io);
    expect([out, err]).toEqual([[], []]);
    reportReleaseToGithub(r, { GITHUB_STEP_SUMMARY: file }, { ...io, json: true });
    expect(readFileSync(file, 'utf8')).toContain('### `beta:live` failed the release');
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/^::error title=lshift rolled back::release r-abc123/);
  });

  it('a summary file that cannot be written is a warning, not a failure', () => {
    const err: string[] = [];
    const r = release([fn('alpha'), failing('beta')]);
    reportReleaseToGithub(
      r,
      { GITHUB_STEP_SUMMARY: '/nonexistent/dir/summary.md' },
      { stdout: () => {}, stderr: (t) => err.push(t) },
    );
    expect(err[0]).toMatch(/^warning: could not write the GitHub step summary/);
  });
});

describe('the GitHub summary of a release with a function that had nothing to deploy', () => {
  it('counts only the functions that moved as back on their stable versions', () => {
    const idle = fn('gamma', { status: 'nothing_to_deploy', fromVersion: '2', toVersion: '2' });
    const md = renderGithubReleaseSummary(release([fn('alpha'), failing('beta'), idle]));
    expect(md).toMatch(
      /^## ↩️ lshift: release r-abc123 rolled back: `beta:live` failed, 2 functions back on their stable versions$/m,
    );
  });
});

describe('the GitHub summary of a release stopped before any traffic moved', () => {
  // Found by a hostile pass: a failed pre-traffic hook's summary said "3 functions back on their
  // stable versions" above a reason saying they were unchanged.
  it('says its functions are unchanged, not back', () => {
    const still = { trafficMoved: false } as const;
    const md = renderGithubReleaseSummary(
      release([fn('alpha', still), { ...failing('beta'), ...still }, fn('gamma', still)]),
    );
    expect(md).toMatch(
      /^## ↩️ lshift: release r-abc123 rolled back: `beta:live` failed, 3 functions unchanged: no traffic moved$/m,
    );
    expect(md).not.toContain('back on their stable versions');
  });
});
