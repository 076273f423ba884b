import { describe, expect, it } from 'vitest';
import { resolveAnalysis } from '../../src/cli/analysis-options.js';
import type { LshiftConfig } from '../../src/cli/option-schema.js';
import {
  releaseFunctions,
  resolveReleaseOptions,
  resolveSingleOptions,
} from '../../src/cli/release-options.js';
import { UsageError } from '../../src/domain/errors.js';

/**
 * A bad canary-analysis value from the config file is named by its key there, as every other
 * config error is: the user wrote `max-error-rate: 5` in a file and typed no `--max-error-rate`.
 */
function errorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('no error');
}

describe('a bad analysis value names where it came from', () => {
  it.each<[string, LshiftConfig, string]>([
    ['a bare number above 1', { 'max-error-rate': 5 }, 'max-error-rate'],
    ['a latency without a unit it knows', { 'max-p99': 'fast' }, 'max-p99'],
    ['a confidence of 50%', { confidence: '50%' }, 'confidence'],
    ['a latency increase at p75', { 'max-latency-increase': '20%@p75' }, 'max-latency-increase'],
  ])('%s in the config file: the config key, not the flag', (_name, config, key) => {
    const error = errorOf(() => resolveAnalysis({}, config));
    expect(error.code).toBe('ANALYSIS_FLAG_INVALID');
    expect(error.message).toMatch(new RegExp(`^the config file’s \`${key}\`: `));
    expect(error.message).not.toContain(`--${key}`);
    expect(error.hint).not.toContain(`--${key}`);
  });

  it('the same value given as a flag still names the flag (flags win over the file)', () => {
    const error = errorOf(() => resolveAnalysis({ 'max-p99': 'fast' }, { 'max-p99': '800ms' }));
    expect(error.message).toMatch(/^--max-p99: "fast" is not valid/);
    expect(error.hint).toContain('lshift deploy my-function --max-p99 800ms');
  });

  it('two latency gates, one from each place, are named each by its place', () => {
    const error = errorOf(() => resolveAnalysis({ 'max-p50': '100ms' }, { 'max-p99': '800ms' }));
    expect(error.code).toBe('ANALYSIS_FLAG_CONFLICT');
    expect(error.message).toContain('--max-p50');
    expect(error.message).toContain('the config file’s `max-p99`');
  });
});

describe('a bad analysis value in a `functions:` entry names the entry', () => {
  const config: LshiftConfig = {
    'max-p99': '800ms',
    functions: ['billing', { name: 'orders', 'max-p99': 'fast' }],
  };

  it('in a release: `functions[1] (orders)`, not the top-level key', () => {
    const error = errorOf(() => resolveReleaseOptions({}, config, config.functions ?? []));
    expect(error.code).toBe('ANALYSIS_FLAG_INVALID');
    // Before: "the config file’s `max-p99`", a key the file sets to a valid 800ms.
    expect(error.message).toMatch(
      /^the config file’s functions\[1\] \(orders\) `max-p99`: "fast" is not valid/,
    );
  });

  it('deploying that function alone: the same', () => {
    const error = errorOf(() => resolveSingleOptions({}, config, releaseFunctions(['orders'], config)[0]!));
    expect(error.message).toMatch(/^the config file’s functions\[1\] \(orders\) `max-p99`: "fast"/);
  });

  it('a flag given for it still names the flag (flags win over the entry)', () => {
    const error = errorOf(() => resolveReleaseOptions({ 'max-p99': 'slow' }, config, config.functions ?? []));
    expect(error.message).toMatch(/^--max-p99: "slow" is not valid/);
  });

  it('two latency gates, the top-level one and the entry’s: each named by its place', () => {
    const two: LshiftConfig = { 'max-p50': '100ms', functions: [{ name: 'orders', 'max-p99': '800ms' }] };
    const error = errorOf(() => resolveReleaseOptions({}, two, two.functions ?? []));
    expect(error.code).toBe('ANALYSIS_FLAG_CONFLICT');
    expect(error.message).toContain('the config file’s `max-p50`');
    expect(error.message).toContain('the config file’s functions[0] (orders) `max-p99`');
  });
});

/**
 * `--max-error-rate "$MAX_ERROR_RATE"` with the variable unset is `--max-error-rate ''`: it was
 * read as no value, so the gate stayed off (or the config file's gate was dropped, the flag
 * winning) and the deploy ran unguarded without a word. Refused, as `--zip ''` and `--interval ''` are.
 */
describe('an empty analysis flag', () => {
  it.each([
    ['max-error-rate'],
    ['max-p50'],
    ['max-p90'],
    ['max-p99'],
    ['max-error-rate-increase'],
    ['max-latency-increase'],
    ['confidence'],
  ] as const)('--%s "" is ANALYSIS_FLAG_INVALID (exit 2), even over a config file value', (key) => {
    for (const value of ['', '  ']) {
      const error = errorOf(() => resolveAnalysis({ [key]: value }, { [key]: '2%' } as LshiftConfig));
      expect(error).toMatchObject({ code: 'ANALYSIS_FLAG_INVALID', exitCode: 2 });
      expect(error.message).toBe(`--${key} was given an empty value.`);
    }
  });
});
