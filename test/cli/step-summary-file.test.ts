import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import type { ReasonedRelease } from '../../src/cli/describe-release.js';
import { reportReleaseToGithub } from '../../src/cli/renderers/github-release-summary.js';
import { createGithubReporter } from '../../src/cli/renderers/github-summary.js';
import {
  appendStepSummary,
  CUT_NOTE,
  fitStepSummary,
  STEP_SUMMARY_MAX_BYTES,
  stepSummaryFileOf,
} from '../../src/cli/renderers/step-summary-file.js';

const GITHUB_SUMMARY_TS = fileURLToPath(
  new URL('../../src/cli/renderers/github-summary.ts', import.meta.url),
);

const bytes = (text: string) => Buffer.byteLength(text);

describe('fitStepSummary', () => {
  const chart = ['```mermaid', 'xychart-beta', '  line [1, 2, 3]', '```'];
  const markdown = [
    '## ✅ lshift: `orders:live` promoted',
    '',
    'a line',
    ...chart,
    'after the chart '.repeat(20),
    '',
  ].join('\n');

  it('keeps a summary that fits as it is', () => {
    expect(fitStepSummary(markdown, bytes(markdown))).toEqual({ text: markdown, cut: false });
  });

  it('cuts at a line boundary and ends with the note, within the budget', () => {
    const budget = bytes('## ✅ lshift: `orders:live` promoted\n\na line\n') + bytes(CUT_NOTE) + 3;
    const fitted = fitStepSummary(markdown, budget);
    expect(fitted).toEqual({
      text: `## ✅ lshift: \`orders:live\` promoted\n\na line\n\n${CUT_NOTE}`,
      cut: true,
    });
    expect(bytes(fitted.text)).toBeLessThanOrEqual(budget);
  });

  it('never cuts inside a chart: the cut goes back to before its fence', () => {
    const upToInsideChart = [markdown.split('\n').slice(0, 5).join('\n'), ''].join('\n');
    const fitted = fitStepSummary(markdown, bytes(upToInsideChart) + bytes(CUT_NOTE) + 2);
    expect(fitted.text).toBe(`## ✅ lshift: \`orders:live\` promoted\n\na line\n\n${CUT_NOTE}`);
  });

  it('writes nothing when not even the note fits', () => {
    expect(fitStepSummary(markdown, bytes(CUT_NOTE) - 1)).toEqual({ text: '', cut: true });
    expect(fitStepSummary(markdown, -5)).toEqual({ text: '', cut: true });
  });
});

describe('appendStepSummary and the GitHub reporters', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-step-summary-'));
    dirs.push(dir);
    return dir;
  }

  function nearlyFull(free: number): string {
    const file = join(tempDir(), 'step_summary.md');
    writeFileSync(file, 'x'.repeat(STEP_SUMMARY_MAX_BYTES - free));
    return file;
  }

  const rolledBack: ReasonedResult = {
    status: 'rolled_back',
    functionName: 'orders',
    alias: 'live',
    fromVersion: '6',
    toVersion: '7',
    steps: [],
    verdicts: [],
    reason: 'alarm orders-errors is ALARM',
  };

  it('a nearly full summary file: the summary is cut to stay under 1 MiB, with one warning', () => {
    const file = nearlyFull(bytes(CUT_NOTE) + 100);
    const warnings: string[] = [];
    createGithubReporter(
      { GITHUB_STEP_SUMMARY: file },
      { stderr: (t) => warnings.push(t), stdout: () => {} },
    ).finish({ ...rolledBack, warnings: Array.from({ length: 50 }, (_, i) => `warning ${i} `.repeat(20)) });
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(STEP_SUMMARY_MAX_BYTES - bytes(CUT_NOTE) - 100);
    expect(size).toBeLessThanOrEqual(STEP_SUMMARY_MAX_BYTES);
    expect(readFileSync(file, 'utf8').endsWith(CUT_NOTE)).toBe(true);
    expect(warnings.filter((w) => w.startsWith('warning:'))).toEqual([
      `warning: the GitHub step summary ${file} already holds ${STEP_SUMMARY_MAX_BYTES - bytes(CUT_NOTE) - 100} of GitHub's 1048576 bytes: lshift's summary was cut to fit\n`,
    ]);
  });

  it('a full summary file: nothing appended (not even a partial line), one warning', () => {
    const file = nearlyFull(10);
    const warnings: string[] = [];
    reportReleaseToGithub(
      { releaseId: 'r-1', status: 'rolled_back', functions: [] } as unknown as ReasonedRelease,
      { GITHUB_STEP_SUMMARY: file },
      { stderr: (t) => warnings.push(t), stdout: () => {} },
    );
    expect(statSync(file).size).toBe(STEP_SUMMARY_MAX_BYTES - 10);
    expect(warnings.filter((w) => w.startsWith('warning:'))).toEqual([
      `warning: the GitHub step summary ${file} already holds ${STEP_SUMMARY_MAX_BYTES - 10} of GitHub's 1048576 bytes: lshift's summary was not written\n`,
    ]);
  });

  it('creates the file when it does not exist yet', () => {
    const file = join(tempDir(), 'new.md');
    const warnings: string[] = [];
    appendStepSummary(file, '## hello\n', (t) => warnings.push(t));
    expect(readFileSync(file, 'utf8')).toBe('## hello\n');
    expect(warnings).toEqual([]);
  });

  // Found by a hostile pass: `aaaa## ✅ lshift: …`, a heading that does not render.
  it.each([
    ['a file whose last line is not ended: lshift ends it first', 'aaaa', 'aaaa\n## hello\n'],
    ['a file whose last line is ended: appended as it is', 'aaaa\n', 'aaaa\n## hello\n'],
  ])('%s', (_name, before, after) => {
    const file = join(tempDir(), 's.md');
    writeFileSync(file, before);
    appendStepSummary(file, '## hello\n', () => {});
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it.each(['', ' ', '\t'])('GITHUB_STEP_SUMMARY=%j is unset: no file, no summary', (value) => {
    const reporter = createGithubReporter(
      { GITHUB_STEP_SUMMARY: value },
      { stderr: () => {}, stdout: () => {} },
    );
    expect(stepSummaryFileOf({ GITHUB_STEP_SUMMARY: value })).toBeUndefined();
    expect(reporter.enabled).toBe(false);
  });

  it('a path with control characters is printed without them', () => {
    const warnings: string[] = [];
    appendStepSummary(join(tempDir(), 'missing\n::error::x', 's.md'), '## hello\n', (t) => warnings.push(t));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: could not write the GitHub step summary: ENOENT/);
    expect(warnings[0]).not.toContain('\n::error');
  });

  it('a named pipe (FIFO) with no reader: no hang, one warning, the annotation still printed', async () => {
    const fifo = join(tempDir(), 'step_summary');
    execFileSync('mkfifo', [fifo]);
    // In a child process: opening a FIFO for writing would block this test's own thread forever.
    const script = `
      const { createGithubReporter } = await import(${JSON.stringify(GITHUB_SUMMARY_TS)});
      createGithubReporter({ GITHUB_STEP_SUMMARY: process.argv[1] }).finish(${JSON.stringify(rolledBack)});
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, fifo], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // A hang backstop, not a timing assertion.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `warning: GITHUB_STEP_SUMMARY ${fifo} is a named pipe (FIFO), not a regular file: lshift wrote no summary\n`,
    );
    expect(stdout).toMatch(/^::error title=lshift rolled back::orders:live: /);
  });
});
