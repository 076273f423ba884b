import { describe, expect, it } from 'vitest';
import { PSI_GRID } from '../../src/domain/analysis/e-process.js';
import {
  actionableOddsRatio,
  BASELINE_ERRORS_QUERY_ID,
  baselineErrorsQuery,
  errorPrior,
  readBaselineErrors,
  wilsonUpper,
} from '../../src/domain/analysis/error-prior.js';
import { BASELINE_COUNT_QUERY_ID } from '../../src/domain/analysis/latency-threshold.js';

describe('wilsonUpper', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17(8), Table II, method 3 (Wilson score), 95%.
  it.each([
    [81, 263, 0.3662],
    [15, 148, 0.1605],
    [0, 20, 0.1611],
    [1, 29, 0.1718],
  ])('%i of %i: the upper limit of the 95 percent interval is %s (Newcombe 1998)', (x, n, upper) => {
    expect(wilsonUpper(x, n, 1.959964)).toBeCloseTo(upper, 4);
  });

  it('solves the score equation (u − p̂)² = z²·u(1 − u)/n above p̂', () => {
    for (const [x, n] of [
      [150, 15_000],
      [0, 100],
      [7, 40],
    ] as const) {
      const u = wilsonUpper(x, n);
      const p = x / n;
      expect(u).toBeGreaterThan(p);
      expect((u - p) ** 2).toBeCloseTo((1.645 ** 2 * u * (1 - u)) / n, 12);
    }
  });

  it('never exceeds 1', () => {
    expect(wilsonUpper(10, 10)).toBe(1);
  });
});

describe('actionableOddsRatio', () => {
  it.each([
    // odds(1.5%) / odds(1%) = (0.015/0.985) / (0.01/0.99)
    [0.01, 0.005, 1.507614],
    [0.04, 0.005, 1.13089],
    [0.001, 0.005, 6.030181],
  ])('stable at %s, allowed %s: %s', (p, allowed, ratio) => {
    expect(actionableOddsRatio(p, allowed)).toBeCloseTo(ratio, 5);
  });
});

describe('errorPrior', () => {
  const from = (psi: number) => PSI_GRID.slice(PSI_GRID.indexOf(psi));

  it.each([
    // stable at 1% over 15,000 calls: upper bound 1.14%, cut 1.445 → 1.25 dropped
    ['1% of 15,000 calls', { invocations: 15_000, errors: 150 }, from(1.5)],
    // 0.5%: upper bound 0.60%, cut 1.84 → 1.25 and 1.5 dropped
    ['0.5% of 15,000 calls', { invocations: 15_000, errors: 75 }, from(2)],
    // none of 15,000: upper bound 0.018%, cut 28.9 → only the largest point stays
    ['no error in 15,000 calls', { invocations: 15_000, errors: 0 }, [12]],
    // none of 100 says little: upper bound 2.6%, cut 1.20 → nothing dropped
    ['no error in 100 calls', { invocations: 100, errors: 0 }, PSI_GRID],
    // 5 requests a minute (the bench's low-traffic row): upper bound 3.5%, cut 1.15
    ['no error in 75 calls', { invocations: 75, errors: 0 }, PSI_GRID],
    // a high base rate needs the small odds ratios: 4%, cut 1.12
    ['4% of 15,000 calls', { invocations: 15_000, errors: 600 }, PSI_GRID],
  ])('%s: the grid it keeps', (_label, baseline, grid) => {
    const prior = errorPrior(baseline, 0.5, false);
    expect(prior.grid).toEqual(grid);
    expect(prior.reason).toBe(grid.length < PSI_GRID.length ? 'cut' : 'nothing-to-cut');
    expect(prior.baseline).toEqual(baseline);
  });

  it('a wider allowance cuts more', () => {
    expect(errorPrior({ invocations: 15_000, errors: 150 }, 2, false).grid).toEqual(from(3));
  });

  it.each([
    ['in a deployment that bakes', { invocations: 15_000, errors: 150 }, 0.5, true, 'bake'],
    ['without a baseline', undefined, 0.5, false, 'no-baseline'],
    ['when no increase is allowed', { invocations: 15_000, errors: 150 }, 0, false, 'no-allowance'],
    ['when stable fails almost every call', { invocations: 100, errors: 100 }, 0.5, false, 'high-rate'],
  ] as const)('keeps the whole grid %s', (_label, baseline, allowedPp, bakes, reason) => {
    const prior = errorPrior(baseline, allowedPp, bakes);
    expect(prior.grid).toEqual(PSI_GRID);
    expect(prior.reason).toBe(reason);
  });
});

describe('readBaselineErrors', () => {
  const started = Date.parse('2030-05-01T12:00:30Z');
  const at = Date.parse('2030-05-01T11:45:00Z');
  const series = (points: Record<string, number | undefined>) =>
    Object.entries(points).map(([id, v]) => ({
      id,
      timestamps: v === undefined ? [] : [at],
      values: v === undefined ? [] : [v],
      status: 'Complete',
    }));

  it('reads the calls and errors of the 15 minutes before the deployment', () => {
    const s = series({ [BASELINE_COUNT_QUERY_ID]: 15_000, [BASELINE_ERRORS_QUERY_ID]: 150 });
    expect(readBaselineErrors(s, started)).toEqual({ invocations: 15_000, errors: 150 });
  });

  it('counts no error sum beside calls as 0 errors, and no calls as no baseline', () => {
    expect(
      readBaselineErrors(
        series({ [BASELINE_COUNT_QUERY_ID]: 900, [BASELINE_ERRORS_QUERY_ID]: undefined }),
        started,
      ),
    ).toEqual({ invocations: 900, errors: 0 });
    expect(readBaselineErrors(series({ [BASELINE_ERRORS_QUERY_ID]: 3 }), started)).toBeUndefined();
    expect(readBaselineErrors(series({ [BASELINE_COUNT_QUERY_ID]: 0 }), started)).toBeUndefined();
  });

  it('asks for the alias-level error sum over the whole baseline in one datapoint', () => {
    expect(baselineErrorsQuery('orders', 'live')).toEqual({
      id: BASELINE_ERRORS_QUERY_ID,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'orders', Resource: 'orders:live' },
      stat: 'Sum',
      periodSeconds: 900,
      returnData: true,
    });
  });
});
