/**
 * `lshift check` in GitHub Actions (check-ci-report.ts): a check that rolled back (exit 3) or left
 * a deployment for a human (exit 4) wrote no step summary and no annotation, while one refused for a
 * bad setting did (ci-failure-report.ts): h3's hostile pass, session 69, F1.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCheckInCi } from '../../src/cli/check-ci-report.js';
import { ciRunSaid } from '../../src/cli/ci-run-state.js';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import type { CheckReport, CheckResult } from '../../src/engine/check-types.js';

function report(results: Partial<CheckResult>[], interrupted?: string): CheckReport {
  return {
    checkedAt: 0,
    alias: 'live',
    windowSeconds: 3600,
    ...(interrupted ? { interrupted } : {}),
    results: results.map((r, i) => ({
      functionName: `f${i}`,
      alias: 'live',
      action: 'healthy',
      reason: '1 alarm OK',
      ...r,
    })),
  };
}

function run(checked: CheckReport, json = false) {
  const file = join(mkdtempSync(join(tmpdir(), 'lshift-check-ci-')), 'summary.md');
  const stdout: string[] = [];
  const stderr: string[] = [];
  ciRunSaid.outcome = false;
  reportCheckInCi(checked, exitCodeForCheck(checked), {
    json,
    env: { GITHUB_STEP_SUMMARY: file },
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
  });
  return { summary: readFileSync(file, 'utf8'), stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('lshift check in GitHub Actions', () => {
  it('a rollback: a summary row and an ::error annotation (before: nothing at all)', () => {
    const out = run(
      report([
        {
          action: 'rolled_back',
          deploymentId: 'd-abc123',
          reason: 'lshift check: alarm f0-errors is ALARM: [x](http://evil) | 50%',
        },
        { action: 'healthy' },
        { action: 'skipped', reason: 'rolled back 3m ago; nothing to watch' },
      ]),
    );
    expect(out.summary).toContain('## ↩️ lshift check: rolled back 1 deployment');
    expect(out.summary).toContain(
      '| f0:live | d-abc123 | ROLLED_BACK | lshift check: alarm f0-errors is ALARM: \\[x\\](http://evil) \\| 50% |',
    );
    expect(out.summary).toContain('2 more checked: healthy, or nothing to watch.');
    expect(out.summary).toContain('Exit code 3.');
    expect(out.stdout).toBe(
      '::error title=lshift check rolled back::f0:live (d-abc123): lshift check: alarm f0-errors is ALARM: [x](http://evil) | 50%25\n',
    );
    expect(ciRunSaid.outcome).toBe(true);
  });

  it('a rollback finished for a dead claimer (stalled beside rolled_back, exit 3) is not said to need a human; its release not whole is (exit 4)', () => {
    const finished = run(
      report([{ action: 'rolled_back', stalled: true, reason: 'finishing the rollback' }]),
    );
    expect(finished.summary).toContain('Exit code 3.');
    expect(finished.stdout).toBe('::error title=lshift check rolled back::f0:live: finishing the rollback\n');
    const mates = run(report([{ action: 'rolled_back', releaseMatesUnknown: true, reason: 'r' }]));
    expect(mates.summary).toContain('## 🚨 lshift check: needs a human');
    expect(mates.stdout).toBe('::error title=lshift check%3A rolled back%2C needs a human::f0:live: r\n');
  });

  it('a stalled deployment: needs a human, exit 4; under --json the annotation goes to stderr', () => {
    const out = run(
      report([
        { action: 'stalled', stalled: true, deploymentId: 'd-left01', reason: 'nothing drives that split' },
      ]),
      true,
    );
    expect(out.summary).toContain('## 🚨 lshift check: needs a human');
    expect(out.summary).toContain('| f0:live | d-left01 | STALLED | nothing drives that split |');
    expect(out.summary).toContain('Exit code 4.');
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      '::error title=lshift check%3A stalled::f0:live (d-left01): nothing drives that split\n',
    );
  });

  it('all healthy: a one-line summary, no annotation', () => {
    const out = run(report([{ action: 'healthy' }, { action: 'healthy' }]));
    expect(out.summary).toContain('## ✅ lshift check: nothing to roll back');
    expect(out.summary).toContain('2 more checked: healthy, or nothing to watch.');
    expect(out.summary).not.toContain('| function |');
    expect(out.stdout).toBe('');
  });

  it('interrupted: the ones not reached are said so, not counted healthy', () => {
    const out = run(
      report(
        [
          { action: 'rolled_back', reason: 'r' },
          { action: 'skipped', interrupted: true },
        ],
        'interrupted by SIGTERM',
      ),
    );
    expect(out.summary).toContain('## ⏹️ lshift check: stopped by a signal');
    expect(out.summary).toContain('1 not checked: the check was stopped before their turn.');
    expect(out.summary).not.toContain('more checked');
    expect(out.summary).toContain('Exit code 130.');
  });

  it('more than 10 to annotate (GitHub shows 10 a step): 9, then one saying how many more', () => {
    const out = run(
      report(Array.from({ length: 14 }, () => ({ action: 'error' as const, reason: 'unreadable' }))),
    );
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[8]).toBe('::error title=lshift check failed::f8:live: unreadable');
    expect(lines[9]).toBe(
      '::error title=lshift check::and 5 more rolled back, stalled or failed: see the step summary',
    );
    expect(out.summary.match(/\| ERROR \|/g)).toHaveLength(14);
  });

  it('without GITHUB_STEP_SUMMARY: nothing', () => {
    const stdout: string[] = [];
    ciRunSaid.outcome = false;
    reportCheckInCi(report([{ action: 'rolled_back' }]), 3, {
      json: false,
      env: {},
      stdout: (t) => stdout.push(t),
    });
    expect(stdout).toEqual([]);
    expect(ciRunSaid.outcome).toBe(false);
  });
});
