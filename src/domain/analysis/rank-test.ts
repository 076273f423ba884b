/**
 * Mann-Whitney U (Wilcoxon rank-sum) test, one-sided: is the first sample stochastically
 * greater than the second? Follows R's `wilcox.test(x, y, alternative = "greater")`: the exact
 * null distribution when both samples have fewer than 50 values and there are no ties,
 * otherwise the normal approximation with tie correction and a continuity correction of 0.5.
 */
import { normalSf } from './statistics.js';

/** R computes the exact distribution below this size; so do we. */
const EXACT_LIMIT = 50;

export type RankTestMethod = 'exact' | 'normal';

export interface RankTestResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting ½ (R's W). */
  u: number;
  pValue: number;
  method: RankTestMethod;
  ties: boolean;
  n1: number;
  n2: number;
}

/** H0: x and y come from the same distribution; H1: x tends to be larger (P(X > Y) > ½). */
export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): RankTestResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyGreater needs two non-empty samples');
  const { rankSumX, tieGroups } = rankSum(x, y);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const ties = tieGroups.length > 0;
  if (!ties && n1 < EXACT_LIMIT && n2 < EXACT_LIMIT) {
    return { u, pValue: exactUpperTail(n1, n2, u), method: 'exact', ties, n1, n2 };
  }
  return { u, pValue: normalUpperTail(n1, n2, u, tieGroups), method: 'normal', ties, n1, n2 };
}

/**
 * The smallest p-value the test can give for these sample sizes (all of x above all of y,
 * no ties). When it is not below α, no amount of difference can make the test significant.
 */
export function mannWhitneyMinPValue(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  if (n1 < EXACT_LIMIT && n2 < EXACT_LIMIT) return 1 / binomial(n1 + n2, n1);
  return normalUpperTail(n1, n2, n1 * n2, []);
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

/** Sum of the midranks of x in the pooled sample, and the sizes of tied groups (size > 1). */
function rankSum(x: readonly number[], y: readonly number[]): { rankSumX: number; tieGroups: number[] } {
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))];
  pooled.sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  const tieGroups: number[] = [];
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const midrank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (pooled[k]!.fromX) rankSumX += midrank;
    if (j > i) tieGroups.push(j - i + 1);
    i = j + 1;
  }
  return { rankSumX, tieGroups };
}

/**
 * P(U ≥ u) under H0 without ties, by counting arrangements: walk the pooled ranks upwards; when
 * rank j is the k-th value of x, it sits above j − k values of y and adds that to U.
 * ways[k][s] = arrangements of the ranks so far with k values of x and U-so-far s.
 */
function exactUpperTail(n1: number, n2: number, u: number): number {
  const maxU = n1 * n2;
  const ways = Array.from({ length: n1 + 1 }, () => new Float64Array(maxU + 1));
  ways[0]![0] = 1;
  for (let j = 1; j <= n1 + n2; j++) {
    for (let k = Math.min(j, n1); k >= 1; k--) {
      const above = j - k;
      if (above > n2) continue;
      const from = ways[k - 1]!;
      const to = ways[k]!;
      // With k − 1 values of x placed, U-so-far is at most (k − 1)·n2.
      for (let s = Math.min(maxU - above, (k - 1) * n2); s >= 0; s--) {
        const count = from[s]!;
        if (count !== 0) to[s + above] = to[s + above]! + count;
      }
    }
  }
  const final = ways[n1]!;
  let total = 0;
  let tail = 0;
  for (let s = 0; s <= maxU; s++) {
    total += final[s]!;
    if (s >= u) tail += final[s]!;
  }
  return tail / total;
}

function normalUpperTail(n1: number, n2: number, u: number, tieGroups: readonly number[]): number {
  const n = n1 + n2;
  const tieTerm = tieGroups.reduce((sum, t) => sum + (t * t * t - t), 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  if (sigma === 0) return 1;
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  return normalSf(z);
}
