import { describe, expect, it } from 'vitest';
import {
  fisherExactGreater,
  fisherMidPGreater,
  hypergeometricPmf,
  logFactorial,
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

describe('hypergeometricPmf and fisherMidPGreater', () => {
  // References: exact rational arithmetic (Python fractions over math.comb) and
  // scipy.stats.hypergeom(M, K, n).sf(x) + pmf(x)/2; R: fisher.test(...)$p.value - dhyper(...)/2.
  it.each([
    // TeaTasting: P(X = 3) = 16/70, Fisher 17/70, mid-p = 17/70 − 8/70 = 9/70.
    [{ x1: 3, n1: 4, x2: 1, n2: 4 }, 16 / 70, 9 / 70],
    [{ x1: 5, n1: 100, x2: 90, n2: 9000 }, 0.0032486838076611364, 0.0022223934317379106],
    [{ x1: 3, n1: 100, x2: 90, n2: 9000 }, 0.063380420854154, 0.05072376950040516],
    [{ x1: 10, n1: 13, x2: 2, n2: 17 }, 0.0004496999620490507, 0.0002403309623383797],
    [{ x1: 48, n1: 1000, x2: 90, n2: 9000 }, 1.5019189991730994e-15, 1.1141634044131908e-15],
  ])('%j → P(X = x1) = %s, mid-p = %s', (counts, pmf, midP) => {
    expect(hypergeometricPmf(counts) / pmf).toBeCloseTo(1, 9);
    expect(fisherMidPGreater(counts) / midP).toBeCloseTo(1, 9);
  });

  it('is Fisher minus half the probability of the observed table', () => {
    const c = { x1: 5, n1: 324, x2: 7, n2: 2869 };
    expect(fisherMidPGreater(c)).toBeCloseTo(fisherExactGreater(c) - hypergeometricPmf(c) / 2, 15);
    expect(fisherMidPGreater(c)).toBeLessThan(fisherExactGreater(c));
  });

  it('is ½ with no errors at all (the only possible table)', () => {
    expect(fisherMidPGreater({ x1: 0, n1: 10, x2: 0, n2: 20 })).toBe(0.5);
  });
});

describe('testProportionIncrease', () => {
  it('decides on the exact mid-p at any size and reports the pooled z for reading', () => {
    const small = testProportionIncrease({ x1: 3, n1: 100, x2: 90, n2: 9000 });
    expect(small.method).toBe('fisher-mid-p');
    expect(small.pValue).toBeCloseTo(0.05072376950040516, 10);
    const large = testProportionIncrease({ x1: 48, n1: 1000, x2: 90, n2: 9000 });
    expect(large.method).toBe('fisher-mid-p');
    expect(large.pValue / 1.1141634044131908e-15).toBeCloseTo(1, 8);
    expect(large.z).toBeCloseTo(twoProportionZTest({ x1: 48, n1: 1000, x2: 90, n2: 9000 }).z, 12);
  });
});
