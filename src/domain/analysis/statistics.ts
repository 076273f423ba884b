/**
 * Pure statistics for the canary judge: the standard normal distribution, one-sided tests for
 * "the new version's share of errors (or of slow calls) is higher" (Fisher's exact test and its
 * mid-p; the two-proportion z statistic for reading) and log-factorials.
 *
 * No npm package fits well enough to add a dependency: jstat and simple-statistics have no
 * Fisher exact test and no Mann-Whitney p-value; @stdlib has neither as a ready test.
 */

/**
 * Standard normal lower tail Φ(z). Hart (1968) algorithm 5666 in the double-precision form
 * given by G. West, "Better approximations to cumulative normal functions" (Wilmott, 2005):
 * absolute error < 1e-15, relative error in the tails < 1e-8. Tails are computed directly,
 * never as 1 − (something close to 1), so tiny p-values keep their digits.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const tail = normalTail(Math.abs(z));
  return z > 0 ? 1 - tail : tail;
}

/** Upper tail 1 − Φ(z) without cancellation (the one-sided p-value of a z statistic). */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/** Φ(−a) for a ≥ 0. */
function normalTail(a: number): number {
  if (a > 37) return 0;
  const e = Math.exp((-a * a) / 2);
  if (a >= 7.07106781186547) {
    let b = a + 0.65;
    b = a + 4 / b;
    b = a + 3 / b;
    b = a + 2 / b;
    b = a + 1 / b;
    return e / b / 2.506628274631;
  }
  let num = 3.52624965998911e-2 * a + 0.700383064443688;
  num = num * a + 6.37396220353165;
  num = num * a + 33.912866078383;
  num = num * a + 112.079291497871;
  num = num * a + 221.213596169931;
  num = num * a + 220.206867912376;
  let den = 8.83883476483184e-2 * a + 1.75566716318264;
  den = den * a + 16.064177579207;
  den = den * a + 86.7807322029461;
  den = den * a + 296.564248779674;
  den = den * a + 637.333633378831;
  den = den * a + 793.826512519948;
  den = den * a + 440.413735824752;
  return (e * num) / den;
}

const LOG_FACTORIAL_TABLE_SIZE = 256;
const logFactorialTable = buildLogFactorialTable(LOG_FACTORIAL_TABLE_SIZE);

function buildLogFactorialTable(size: number): Float64Array {
  const table = new Float64Array(size + 1);
  for (let n = 2; n <= size; n++) table[n] = table[n - 1]! + Math.log(n);
  return table;
}

/**
 * ln(n!) for a non-negative integer n: a table up to 256, then Stirling's series with three
 * correction terms (truncation error < 1/(1680·n⁷), far below double precision for n > 256).
 */
export function logFactorial(n: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`logFactorial needs a non-negative integer, got ${n}`);
  if (n <= LOG_FACTORIAL_TABLE_SIZE) return logFactorialTable[n]!;
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (
    n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
  );
}

/** A 2×2 table of one version against another: errors out of invocations for each. */
export interface ProportionCounts {
  /** Errors of the version suspected to be worse (the new one). */
  x1: number;
  n1: number;
  /** Errors of the reference version (the stable one). */
  x2: number;
  n2: number;
}

export interface ProportionTestResult {
  method: 'fisher-mid-p';
  /** One-sided p-value for H1: p1 > p2. */
  pValue: number;
  /** The pooled z statistic, for reading (the p-value is exact). */
  z: number;
}

/**
 * One-sided two-proportion z-test with pooled variance, H0: p1 ≤ p2 vs H1: p1 > p2.
 * Same statistic as R's `prop.test(c(x1, x2), c(n1, n2), alternative = "greater", correct = FALSE)`
 * (its X-squared is z²). Returns 1 when the pooled variance is 0 (no errors, or only errors).
 */
export function twoProportionZTest(c: ProportionCounts): { z: number; pValue: number } {
  assertCounts(c);
  const pooled = (c.x1 + c.x2) / (c.n1 + c.n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / c.n1 + 1 / c.n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (c.x1 / c.n1 - c.x2 / c.n2) / se;
  return { z, pValue: normalSf(z) };
}

/**
 * Fisher's exact test, one-sided (H1: p1 > p2): P(X ≥ x1) for X hypergeometric with the table's
 * margins fixed, as R's `fisher.test(matrix(c(x1, x2, n1 - x1, n2 - x2), 2), alternative = "greater")`.
 * The first term comes from log-factorials, the rest from the pmf ratio, so the cost is linear
 * in the tail length (small whenever an expected cell is small, which is when we use it).
 */
export function fisherExactGreater(c: ProportionCounts): number {
  assertCounts(c);
  const h = { total: c.n1 + c.n2, errors: c.x1 + c.x2, draws: c.n1 };
  const kMin = Math.max(0, h.draws - (h.total - h.errors));
  const kMax = Math.min(h.errors, h.draws);
  if (c.x1 <= kMin) return 1;
  if (c.x1 > kMax) return 0;
  const mode = Math.floor(((h.draws + 1) * (h.errors + 1)) / (h.total + 2));
  // Sum away from the mode so every term shrinks: no overflow, and the series can stop early.
  if (c.x1 > mode) return Math.min(1, sumHypergeometric(h, c.x1, kMax, 1));
  return Math.max(0, 1 - sumHypergeometric(h, c.x1 - 1, kMin, -1));
}

interface Hypergeometric {
  total: number;
  errors: number;
  draws: number;
}

/** Σ P(X = k) for k from `from` to `to` stepping by `step` (±1), terms decreasing. */
function sumHypergeometric(h: Hypergeometric, from: number, to: number, step: 1 | -1): number {
  const logFirst =
    logChoose(h.errors, from) + logChoose(h.total - h.errors, h.draws - from) - logChoose(h.total, h.draws);
  let term = 1;
  let sum = 1;
  for (let k = from; k !== to; k += step) {
    term *= step === 1 ? pmfRatio(h, k) : 1 / pmfRatio(h, k - 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.exp(logFirst) * sum;
}

/** P(X = k + 1) / P(X = k) = (E − k)(n − k) / ((k + 1)(S − n + k + 1)). */
function pmfRatio(h: Hypergeometric, k: number): number {
  const successes = h.total - h.errors;
  return ((h.errors - k) * (h.draws - k)) / ((k + 1) * (successes - h.draws + k + 1));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/**
 * P(X = x1) for X hypergeometric with the table's margins fixed: the probability of exactly
 * this table (R: `dhyper(x1, x1 + x2, n1 + n2 - x1 - x2, n1)`).
 */
export function hypergeometricPmf(c: ProportionCounts): number {
  assertCounts(c);
  const total = c.n1 + c.n2;
  const errors = c.x1 + c.x2;
  return Math.exp(logChoose(errors, c.x1) + logChoose(total - errors, c.n1 - c.x1) - logChoose(total, c.n1));
}

/**
 * Lancaster's mid-p of the one-sided Fisher test: P(X > x1) + ½·P(X = x1). Fisher's p counts
 * the observed table wholly, which makes the test conservative on small counts (its real
 * false-alarm rate is often half the nominal one); the mid-p counts it half and keeps the
 * rate close to nominal (H. O. Lancaster, "Significance tests in discrete distributions",
 * JASA 56, 1961; recommended in A. Agresti, Categorical Data Analysis).
 * R: `fisher.test(m, alternative = "greater")$p.value - dhyper(x1, x1 + x2, n1 + n2 - x1 - x2, n1) / 2`.
 */
export function fisherMidPGreater(c: ProportionCounts): number {
  return Math.max(0, fisherExactGreater(c) - hypergeometricPmf(c) / 2);
}

/**
 * The test both relative gates use: one-sided, H0: p1 ≤ p2, the exact conditional (Fisher)
 * distribution with a mid-p at any sample size. Exact because the gates decide far in the tail
 * (p < 0.001 before the end of a step), where the normal approximation of the z-test is poor
 * for the few errors a canary sees; the pooled z is reported alongside, for reading.
 */
export function testProportionIncrease(c: ProportionCounts): ProportionTestResult {
  return { method: 'fisher-mid-p', pValue: fisherMidPGreater(c), z: twoProportionZTest(c).z };
}

function assertCounts(c: ProportionCounts): void {
  const ok =
    [c.x1, c.n1, c.x2, c.n2].every((v) => Number.isInteger(v) && v >= 0) &&
    c.x1 <= c.n1 &&
    c.x2 <= c.n2 &&
    c.n1 > 0 &&
    c.n2 > 0;
  if (!ok) throw new RangeError(`invalid counts ${c.x1}/${c.n1} vs ${c.x2}/${c.n2}`);
}
