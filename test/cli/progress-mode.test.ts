import { describe, expect, it } from 'vitest';
import { progressMode } from '../../src/cli/flags.js';
import { ExitCode, isLshiftError } from '../../src/domain/errors.js';

describe('progressMode', () => {
  it.each([
    [{}, 'auto'],
    [{ progress: 'plain' as const }, 'plain'],
    [{ progress: 'ndjson' as const }, 'ndjson'],
    [{ json: true }, 'auto'],
    [{ json: true, progress: 'plain' as const }, 'plain'],
    [{ json: true, progress: 'none' as const }, 'none'],
  ])('%j → %s', (flags, mode) => {
    expect(progressMode(flags, () => {})).toBe(mode);
  });

  // Found by a hostile pass: --json won and the NDJSON events were dropped without a word.
  it.each([
    [{ json: true, progress: 'ndjson' as const }, '--progress'],
    [{ json: true, output: 'ndjson' as const }, '--output'],
  ])('%j: refused, both write to stdout (CONFLICTING_FLAGS, exit 2)', (flags, given) => {
    let thrown: unknown;
    try {
      progressMode(flags, () => {});
    } catch (error) {
      thrown = error;
    }
    expect(isLshiftError(thrown) && [thrown.code, thrown.exitCode, thrown.message]).toEqual([
      'CONFLICTING_FLAGS',
      ExitCode.Usage,
      `--json and ${given} ndjson both write to stdout: give one of them.`,
    ]);
  });

  it('warns that --output is deprecated', () => {
    const said: string[] = [];
    expect(progressMode({ output: 'plain' }, (t) => said.push(t))).toBe('plain');
    expect(said[0]).toContain('--output is deprecated');
  });
});
