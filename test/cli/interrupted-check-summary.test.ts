/**
 * The line an interrupted `lshift check` ends with (exit-codes.ts describeInterruptedCheck). A
 * SIGHUP that came while the last function was being rolled back left nothing untouched: the
 * line said "0 functions left untouched, not checked — run lshift check again", a chore for
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { describeInterruptedCheck } from '../../src/cli/exit-codes.js';
import type { CheckReport, CheckResult } from '../../src/engine/check-types.js';

function report(results: Partial<CheckResult>[]): CheckReport {
  return {
    checkedAt: 0,
    alias: 'live',
    windowSeconds: 3600,
    interrupted: 'interrupted by SIGHUP',
    results: results.map((r, i) => ({
      functionName: `f${i}`,
      alias: 'live',
      action: 'skipped',
      reason: '',
      ...r,
    })),
  };
}

describe('the summary of an interrupted check', () => {
  it.each([
    [
      'nothing left: no "left untouched", no "run it again"',
      [{ action: 'rolled_back' as const }],
      'lshift check interrupted by SIGHUP: every function was checked before it stopped (1 rolled back).',
    ],
    [
      'nothing left, nothing rolled back',
      [{ action: 'healthy' as const }],
      'lshift check interrupted by SIGHUP: every function was checked before it stopped (0 rolled back).',
    ],
    [
      'one left',
      [{ action: 'rolled_back' as const }, { interrupted: true }],
      'lshift check interrupted by SIGHUP: stopped between functions (1 rolled back); 1 function left untouched, not checked — run lshift check again.',
    ],
    [
      'two left, one rollback failed',
      [{ action: 'rollback_failed' as const }, { interrupted: true }, { interrupted: true }],
      'lshift check interrupted by SIGHUP: stopped between functions (0 rolled back, 1 whose rollback FAILED); 2 functions left untouched, not checked — run lshift check again.',
    ],
  ])('%s', (_name, results, line) => {
    expect(describeInterruptedCheck(report(results))).toBe(line);
  });
});
