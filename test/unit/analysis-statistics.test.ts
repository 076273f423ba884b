import { describe, expect, it } from 'vitest';
import { mannWhitneyGreater, mannWhitneyMinPValue } from '../../src/domain/analysis/rank-test.js';
import {
  fisherExactGreater,
  logFactorial,
  minExpectedCell,
  normalCdf,
  normalSf,
  testProportionIncrease,
  twoProportionZTest,
} from '../../src/domain/analysis/statistics.js';

describe('normalCdf', () => {
  // Standard normal table values: Abramowitz & Stegun, Handbook of Mathematical Functions,
  // table 26.1 (Φ(x) = ½ + P(x)/2 there); 2.326347874 is the published 99% quantile.
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [2.326347874040841, 0.99],
    [-1.5, 0.0668072012688581],
    [-3, 0.0013498980316301],
    [5, 0.9999997133484281],
  ])('Φ(%s) = %s', (z, expected) => {
    expect(Math.abs(normalCdf(z) - expected)).toBeLessThan(1e-12);
  });

  it('keeps relative precision far in the tail (Φ(−8) = 6.22096057427178e-16)', () => {
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 6);
    expect(normalSf(8)).toBe(normalCdf(-8));
  });

  it('is 0 and 1 at the extremes and NaN for NaN', () => {
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe('logFactorial', () => {
  it.each([
    [0, 0],
    [1, 0],
    [5, Math.log(120)],
    [10, Math.log(3628800)],
    // ln(1000!) = 5912.128178488163 (lgamma(1001), e.g. R `lfactorial(1000)`).
    [1000, 5912.128178488163],
  ])('ln(%s!) = %s', (n, expected) => {
    expect(logFactorial(n)).toBeCloseTo(expected, 9);
  });

  it('is continuous between the table and Stirling series', () => {
    expect(logFactorial(257) - logFactorial(256)).toBeCloseTo(Math.log(257), 10);
  });

  it('rejects non-integers', () => {
    expect(() => logFactorial(1.5)).toThrow(RangeError);
    expect(() => logFactorial(-1)).toThrow(RangeError);
  });
});

describe('fisherExactGreater', () => {
  it('matches R fisher.test TeaTasting example (alternative = "greater"): p = 0.2429', () => {
    // R ?fisher.test: TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2) → p-value = 0.2429 (= 17/70).
    expect(fisherExactGreater({ x1: 3, n1: 4, x2: 1, n2: 4 })).toBeCloseTo(17 / 70, 12);
  });

  it('matches R fisher.test Convictions example: p = 0.0004652', () => {
    // R ?fisher.test: Convictions <- matrix(c(2, 10, 15, 3), nrow = 2), alternative = "less"
    // → p-value = 0.0004652. Swapping the rows turns "less" into our "greater".
    expect(fisherExactGreater({ x1: 10, n1: 13, x2: 2, n2: 17 })).toBeCloseTo(0.000465180943362905, 12);
  });

  it('sums the lower tail when the observation is below the mode', () => {
    // 1/2 vs 500/1000: P(X ≥ 1) = 1 − P(X = 0) = 1 − (500·499)/(1002·1001)·… = 0.75024975…
    expect(fisherExactGreater({ x1: 1, n1: 2, x2: 500, n2: 1000 })).toBeCloseTo(0.7502497502497503, 12);
  });

  it('is 1 when no errors at all, and tiny for a large effect', () => {
    expect(fisherExactGreater({ x1: 0, n1: 10, x2: 0, n2: 20 })).toBe(1);
    // 5/1000 vs 1/9000; scipy.stats.fisher_exact(alternative='greater') = 5.4528718817652825e-05.
    expect(fisherExactGreater({ x1: 5, n1: 1000, x2: 1, n2: 9000 }) / 5.4528718817652825e-5).toBeCloseTo(
      1,
      8,
    );
  });

  it('rejects impossible tables', () => {
    expect(() => fisherExactGreater({ x1: 5, n1: 4, x2: 0, n2: 1 })).toThrow(RangeError);
    expect(() => fisherExactGreater({ x1: 0, n1: 0, x2: 0, n2: 1 })).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  it('computes the pooled z and the one-sided p (hand-derived, normal table)', () => {
    // 60/200 vs 40/200: pooled 0.25, se = √(0.25·0.75·(2/200)) = 0.0433013, z = 0.1/se = 2.3094011;
    // 1 − Φ(2.3094011) = 0.0104607 — what R prop.test(c(60, 40), c(200, 200),
    // alternative = "greater", correct = FALSE) reports (its X-squared = z² = 5.3333).
    const r = twoProportionZTest({ x1: 60, n1: 200, x2: 40, n2: 200 });
    expect(r.z).toBeCloseTo(2.3094010767585025, 12);
    expect(r.pValue).toBeCloseTo(0.010460667668897018, 10);
    expect(r.z * r.z).toBeCloseTo(16 / 3, 10);
  });

  it('gives p > 0.5 when the first rate is lower, and 1 with zero variance', () => {
    expect(twoProportionZTest({ x1: 40, n1: 200, x2: 60, n2: 200 }).pValue).toBeCloseTo(
      1 - 0.010460667668897018,
      10,
    );
    expect(twoProportionZTest({ x1: 0, n1: 100, x2: 0, n2: 100 })).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest({ x1: 100, n1: 100, x2: 9, n2: 9 })).toEqual({ z: 0, pValue: 1 });
  });
});

describe('testProportionIncrease (method choice)', () => {
  it.each([
    // 48/1000 vs 90/9000: every expected cell ≥ 5 → z-test.
    [{ x1: 48, n1: 1000, x2: 90, n2: 9000 }, 'z-test', 13.8],
    // 3/100 vs 90/9000: expected errors of the new version = 100·93/9100 = 1.02 < 5 → Fisher.
    [{ x1: 3, n1: 100, x2: 90, n2: 9000 }, 'fisher-exact', 1.022],
    // A nearly all-error table: the small cell is the successes column.
    [{ x1: 98, n1: 100, x2: 97, n2: 100 }, 'fisher-exact', 2.5],
  ])('%j → %s', (counts, method, minExpected) => {
    const r = testProportionIncrease(counts);
    expect(r.method).toBe(method);
    expect(minExpectedCell(counts)).toBeCloseTo(minExpected, 2);
  });

  it('uses the exact p-value at small counts (scipy fisher_exact: 0.08241397992748214)', () => {
    expect(testProportionIncrease({ x1: 3, n1: 100, x2: 90, n2: 9000 }).pValue).toBeCloseTo(
      0.08241397992748214,
      9,
    );
  });
});

describe('mannWhitneyGreater', () => {
  // R ?wilcox.test two-sample example (Hollander & Wolfe 1973, p. 69f): permeability constants.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];

  it('exact: wilcox.test(x, y, alternative = "g") → W = 35, p-value = 0.1272', () => {
    const r = mannWhitneyGreater(x, y);
    expect(r).toMatchObject({ u: 35, method: 'exact', ties: false });
    expect(r.pValue).toBeCloseTo(0.1272061272061272, 12);
  });

  it('exact p is the share of arrangements: all of x above all of y is 1/C(n1+n2, n1)', () => {
    expect(mannWhitneyGreater([10, 11, 12], [1, 2]).pValue).toBeCloseTo(1 / 10, 14);
    expect(mannWhitneyGreater([1, 2], [10, 11, 12]).pValue).toBe(1);
    expect(mannWhitneyMinPValue(5, 5)).toBeCloseTo(1 / 252, 14);
  });

  it('normal approximation with tie and continuity correction (R exact = FALSE, correct = TRUE)', () => {
    // Ties force the normal approximation, as in R ("cannot compute exact p-value with ties").
    // x = 4,5,5,6,7; y = 1,2,5,3: U = 18, one tie group of 3 → σ² = (20/12)(10 − 24/72) = 16.1111,
    // z = (18 − 10 − 0.5)/4.01386 = 1.86853, p = 1 − Φ(1.86853) = 0.0308446
    // (scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True): 0.030844582990462274).
    const r = mannWhitneyGreater([4, 5, 5, 6, 7], [1, 2, 5, 3]);
    expect(r).toMatchObject({ u: 18, method: 'normal', ties: true });
    expect(r.pValue).toBeCloseTo(normalSf(7.5 / Math.sqrt((20 / 12) * (10 - 24 / 72))), 12);
    expect(r.pValue).toBeCloseTo(0.030844582990462274, 10);
  });

  it('uses the normal approximation from 50 values per sample', () => {
    const big = Array.from({ length: 50 }, (_, i) => i + 0.5);
    const small = Array.from({ length: 50 }, (_, i) => i);
    const r = mannWhitneyGreater(big, small);
    expect(r.method).toBe('normal');
    // U = 1275 of 2500; σ = √(2500·101/12) = 145.057; z = (1275 − 1250 − 0.5)/σ = 0.168899.
    expect(r.pValue).toBeCloseTo(normalSf(24.5 / Math.sqrt((2500 * 101) / 12)), 12);
  });

  it('returns p = 1 when every value is tied', () => {
    expect(mannWhitneyGreater([3, 3, 3], [3, 3]).pValue).toBe(1);
  });

  it('rejects empty samples', () => {
    expect(() => mannWhitneyGreater([], [1])).toThrow(RangeError);
  });
});
