import { describe, expect, it } from 'vitest';
import {
  type AnalysisConfigInput,
  analysisPercentiles,
  DEFAULT_ANALYSIS_CONFIG,
  hasAnalysisGates,
  releaseShareOf,
} from '../../src/domain/analysis/config.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { UsageError } from '../../src/domain/errors.js';

describe('resolveAnalysisConfig defaults', () => {
  it('turns the relative gates on and leaves the absolute gates off', () => {
    expect(resolveAnalysisConfig()).toEqual({
      maxErrorRateIncreasePp: 0.5,
      maxLatencyIncreasePct: 20,
      latencyIncreasePercentile: 'p99',
      confidence: 0.99,
      minInvocations: 100,
      onInconclusive: 'continue',
      ignoreMetricErrors: false,
    });
    expect(resolveAnalysisConfig({})).toEqual({ ...DEFAULT_ANALYSIS_CONFIG });
  });

  // The domain's convention for a caller that passes no value as ''. lshift's own entrances refuse
  // a blank before it gets here: the flags (ANALYSIS_FLAG_INVALID) and the config file
  // (CONFIG_INVALID, src/cli/config-blanks.ts), since a blank there was a gate left off silently.
  it('treats empty strings as absent', () => {
    expect(resolveAnalysisConfig({ maxErrorRate: '', confidence: ' ' })).toEqual({
      ...DEFAULT_ANALYSIS_CONFIG,
    });
  });
});

describe('resolveAnalysisConfig values', () => {
  it.each<[AnalysisConfigInput, Record<string, unknown>]>([
    [{ maxErrorRate: '1%' }, { maxErrorRate: 0.01 }],
    [{ maxErrorRate: '0.5 %' }, { maxErrorRate: 0.005 }],
    [{ maxErrorRate: 0.02 }, { maxErrorRate: 0.02 }],
    [{ maxErrorRate: '0.02' }, { maxErrorRate: 0.02 }],
    [{ maxP99: '800ms' }, { maxLatency: { percentile: 'p99', ms: 800 } }],
    [{ maxP90: '1.5s' }, { maxLatency: { percentile: 'p90', ms: 1500 } }],
    [{ maxP50: 120 }, { maxLatency: { percentile: 'p50', ms: 120 } }],
    [{ maxP50: '120', maxP99: 'off' }, { maxLatency: { percentile: 'p50', ms: 120 } }],
    [{ maxThrottles: '0' }, { maxThrottles: 0 }],
    [{ maxThrottles: 5 }, { maxThrottles: 5 }],
    [{ maxErrorRateIncrease: '1pp' }, { maxErrorRateIncreasePp: 1 }],
    [{ maxErrorRateIncrease: '0.2%' }, { maxErrorRateIncreasePp: 0.2 }],
    [{ maxErrorRateIncrease: 2 }, { maxErrorRateIncreasePp: 2 }],
    [{ maxLatencyIncrease: '30%' }, { maxLatencyIncreasePct: 30, latencyIncreasePercentile: 'p99' }],
    [{ maxLatencyIncrease: '10%@p90' }, { maxLatencyIncreasePct: 10, latencyIncreasePercentile: 'p90' }],
    [{ maxLatencyIncrease: 0 }, { maxLatencyIncreasePct: 0 }],
    [{ confidence: '95%' }, { confidence: 0.95 }],
    [{ confidence: 0.999 }, { confidence: 0.999 }],
    [{ confidence: 99.9 }, { confidence: 0.999 }],
    [{ minInvocations: '50' }, { minInvocations: 50 }],
    [{ onInconclusive: 'FAIL' }, { onInconclusive: 'fail' }],
    [{ ignoreMetricErrors: true }, { ignoreMetricErrors: true }],
    [{ ignoreMetricErrors: 'true' }, { ignoreMetricErrors: true }],
  ])('%j → %j', (input, expected) => {
    expect(resolveAnalysisConfig(input)).toMatchObject(expected);
  });

  it.each<[AnalysisConfigInput, string]>([
    [{ maxErrorRateIncrease: 'off' }, 'maxErrorRateIncreasePp'],
    [{ maxErrorRateIncrease: false }, 'maxErrorRateIncreasePp'],
    [{ maxErrorRateIncrease: null }, 'maxErrorRateIncreasePp'],
    [{ maxLatencyIncrease: 'none' }, 'maxLatencyIncreasePct'],
  ])('%j switches %s off', (input, key) => {
    const config = resolveAnalysisConfig(input);
    expect(config).not.toHaveProperty(key);
  });
});

describe('a rate over 100%: the hint says why', () => {
  // A hostile pass: `101%` was told "write 101% if you meant 101 percent".
  it.each([
    ['150%', 'a rate cannot be more than 100%'],
    ['5', 'a bare number is a fraction; write 5% if you meant 5 percent'],
  ])('%s → %s', (value, hint) => {
    expect(() => resolveAnalysisConfig({ maxErrorRate: value })).toThrow(
      expect.objectContaining({ code: 'ANALYSIS_FLAG_INVALID', hint }),
    );
  });
});

describe('resolveAnalysisConfig rejections name the flag', () => {
  it.each<[AnalysisConfigInput, string]>([
    [{ maxErrorRate: 'abc' }, '--max-error-rate'],
    [{ maxErrorRate: '5' }, '--max-error-rate'],
    // A bare 1 read as 100%: a gate that never fails (hostile pass). 0.1 and more are ambiguous.
    [{ maxErrorRate: '1' }, '--max-error-rate'],
    [{ maxErrorRate: 1 }, '--max-error-rate'],
    [{ maxErrorRate: '0.5' }, '--max-error-rate'],
    [{ maxErrorRate: 0.1 }, '--max-error-rate'],
    [{ maxErrorRate: '150%' }, '--max-error-rate'],
    [{ maxErrorRate: -0.1 }, '--max-error-rate'],
    [{ maxP99: 'fast' }, '--max-p99'],
    [{ maxP90: '0ms' }, '--max-p90'],
    [{ maxP50: '5m' }, '--max-p50'],
    [{ maxThrottles: '1.5' }, '--max-throttles'],
    [{ maxErrorRateIncrease: '101pp' }, '--max-error-rate-increase'],
    [{ maxErrorRateIncrease: 'lots' }, '--max-error-rate-increase'],
    [{ maxLatencyIncrease: '20%@p95' }, '--max-latency-increase'],
    [{ maxLatencyIncrease: 'x@p90' }, '--max-latency-increase'],
    [{ confidence: '100%' }, '--confidence'],
    [{ confidence: 0.5 }, '--confidence'],
    [{ minInvocations: -1 }, '--min-invocations'],
    [{ minInvocations: '2.5' }, '--min-invocations'],
    // More than a 14-day bake sees at 50,000 requests a minute: the relative gates could never
    // judge, and 1e20 was silently rounded (99999999999999999999 read as 100000000000000000000).
    [{ minInvocations: 1_000_000_001 }, '--min-invocations'],
    [{ minInvocations: '99999999999999999999' }, '--min-invocations'],
    [{ onInconclusive: 'stop' }, '--on-inconclusive'],
    [{ ignoreMetricErrors: 'maybe' }, '--ignore-metric-errors'],
  ])('%j → UsageError naming %s', (input, flag) => {
    let caught: unknown;
    try {
      resolveAnalysisConfig(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as UsageError;
    expect(error.code).toBe('ANALYSIS_FLAG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(flag);
    expect(error.hint).toBeTruthy();
  });

  const tooLarge = '9'.repeat(400);
  it.each<[AnalysisConfigInput, string]>([
    [{ maxP99: `${tooLarge}ms` }, '--max-p99'],
    [{ maxLatencyIncrease: `${tooLarge}%` }, '--max-latency-increase'],
    [{ maxThrottles: tooLarge }, '--max-throttles'],
    [{ minInvocations: tooLarge }, '--min-invocations'],
  ])(
    'a number too large to hold (read as Infinity) is refused, shown cut, never as null: %#',
    (input, flag) => {
      let caught: unknown;
      try {
        resolveAnalysisConfig(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UsageError);
      const error = caught as UsageError;
      expect(error.code).toBe('ANALYSIS_FLAG_INVALID');
      expect(error.message).toContain(`${flag}: `);
      expect(error.message).not.toContain('null');
      expect(error.message).toContain('(4');
      expect(error.message.length).toBeLessThan(400);
    },
  );

  it('explains a bare number above 1 for --max-error-rate', () => {
    expect(() => resolveAnalysisConfig({ maxErrorRate: 5 })).toThrow(/fraction/);
    try {
      resolveAnalysisConfig({ maxErrorRate: 5 });
    } catch (error) {
      expect((error as UsageError).hint).toContain('5%');
    }
  });

  it('refuses two absolute latency gates', () => {
    expect(() => resolveAnalysisConfig({ maxP99: '800ms', maxP50: '100ms' })).toThrow(
      expect.objectContaining({
        code: 'ANALYSIS_FLAG_CONFLICT',
        message: expect.stringContaining('--max-p50'),
      }),
    );
  });
});

describe('analysisPercentiles and hasAnalysisGates', () => {
  it('fetches p99 always, plus what the gates need', () => {
    expect(analysisPercentiles(resolveAnalysisConfig())).toEqual(['p99']);
    expect(
      analysisPercentiles(resolveAnalysisConfig({ maxP50: '100ms', maxLatencyIncrease: '20%@p90' })),
    ).toEqual(['p50', 'p90', 'p99']);
    expect(analysisPercentiles(resolveAnalysisConfig({ maxLatencyIncrease: 'off' }))).toEqual(['p99']);
  });

  it('knows when nothing is to be judged', () => {
    expect(hasAnalysisGates(resolveAnalysisConfig())).toBe(true);
    expect(
      hasAnalysisGates(resolveAnalysisConfig({ maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' })),
    ).toBe(false);
    expect(
      hasAnalysisGates(
        resolveAnalysisConfig({ maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off', maxThrottles: 0 }),
      ),
    ).toBe(true);
  });
});

describe('releaseShareOf: one verdict for a release shares its α between the functions', () => {
  it.each([
    [1, 0.99, 0.99],
    [2, 0.99, 0.995],
    [4, 0.99, 0.9975],
    [100, 0.99, 0.9999],
    [10, 0.95, 0.995],
  ])('%i functions at confidence %f: each at %f', (functions, confidence, each) => {
    const shared = releaseShareOf({ ...DEFAULT_ANALYSIS_CONFIG, confidence }, functions);
    expect(shared.confidence).toBeCloseTo(each, 12);
    // Union bound: the functions' α add up to the release's α.
    expect(functions * (1 - shared.confidence)).toBeCloseTo(1 - confidence, 12);
  });
});
