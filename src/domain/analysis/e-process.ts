/**
 * Anytime-valid evidence for the relative gates (docs/analysis.md#how-a-relative-gate-decides).
 *
 * Each whole minute gives one count X whose law is known exactly when the two versions are
 * equal, given that minute's margins (conditioning on the margins makes changing weights and
 * changing traffic harmless): for errors the hypergeometric law of Fisher's exact test, for
 * latency the law of "new-version calls above stable's order statistic" (a negative
 * hypergeometric). For an odds ratio ψ > 1 the exponentially tilted law
 * q_ψ(x) = p₀(x)·ψˣ / E₀[ψˣ] (for errors: Fisher's noncentral hypergeometric) gives the
 * likelihood ratio L_ψ = ψˣ / E₀[ψˣ], whose null mean is exactly 1. Multiplied over minutes it is
 * a test martingale; a mixture of such products over a grid of ψ is one too. Ville's inequality
 * then bounds P(sup_t E_t ≥ 1/α) ≤ α under the null, over the whole deployment however often it
 * is looked at: the false-rollback budget is spent once, not once per step or per poll.
 *
 * - Ramdas, Grünwald, Vovk, Shafer (2023), "Game-theoretic statistics and safe anytime-valid
 *   inference", Statistical Science 38(4) — test martingales, mixtures, Ville's inequality.
 * - Howard, Ramdas, McAuliffe, Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic
 *   confidence sequences", Annals of Statistics 49(2) — method of mixtures.
 * - Grünwald, de Heide, Koolen (2024), "Safe testing", JRSS B — e-values for 2×2 tables.
 * - Lindon & Malek (2022), "Anytime-valid inference for multinomial count data", NeurIPS —
 *   sequential tests for count data under changing allocation.
 * - Johari, Koomen, Pekelis, Walsh (2022), "Always valid inference: continuous monitoring of
 *   A/B tests", Operations Research 70(3) — mixture SPRT for A/B tests.
 *
 * An observation that is only a lower bound of X (the latency gate's count) keeps validity:
 * L_ψ(x) grows with x for ψ > 1, so a smaller x gives a smaller factor.
 */

/**
 * The odds ratios ("the new version is ψ times worse") the evidence is mixed over, with equal
 * prior weights. Wide on purpose: a small ψ accumulates over a long deployment, a large one
 * decides within a minute or two on a broken version.
 */
export const PSI_GRID: readonly number[] = Object.freeze([1.25, 1.5, 2, 3, 4, 6, 8, 12]);

/**
 * A null law on consecutive integers: unnormalised log weights for x = min, min + 1, …
 * (normalising is left to the tilt, which divides by the total anyway).
 */
export interface NullLaw {
  min: number;
  logWeights: Float64Array;
}

/** The count observed in one minute, with its null law given that minute's margins. */
export interface MinuteEvidence {
  law: NullLaw;
  x: number;
  /**
   * Identifies the law (kind and margins), so the minute's likelihood ratios, recomputed at
   * every poll over the whole deployment, are computed once (a pure memo).
   */
  key?: string;
}

const MEMO_LIMIT = 20_000;
const memo = new Map<string, number[]>();

function memoised(m: MinuteEvidence, grid: readonly number[]): number[] {
  const offset = suffixOffset(grid);
  if (m.key === undefined || offset === undefined) return logLikelihoodRatios(m, grid);
  const key = `${m.key}:${m.x}`;
  let value = memo.get(key);
  if (!value) {
    value = logLikelihoodRatios(m, PSI_GRID);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, value);
  }
  return offset === 0 ? value : value.slice(offset);
}

/** Where `grid` starts in PSI_GRID when it is a suffix of it (the error gate's cut prior), else undefined. */
function suffixOffset(grid: readonly number[]): number | undefined {
  if (grid === PSI_GRID) return 0;
  const offset = PSI_GRID.length - grid.length;
  if (offset < 0 || grid.some((psi, j) => psi !== PSI_GRID[offset + j])) return undefined;
  return offset;
}

/**
 * X = the new version's errors, given nT and nS invocations and k errors in total in the minute:
 * hypergeometric, P(X = x) = C(k, x)·C(nT + nS − k, nT − x) / C(nT + nS, nT), the law of
 * Fisher's exact test (R: dhyper(x, k, nT + nS − k, nT)). Built by the pmf ratio
 * P(x + 1)/P(x) = (k − x)(nT − x) / ((x + 1)(nS − k + x + 1)).
 */
export function hypergeometricLaw(nT: number, nS: number, k: number): NullLaw {
  const min = Math.max(0, k - nS);
  const max = Math.min(k, nT);
  const logWeights = new Float64Array(max - min + 1);
  for (let x = min; x < max; x++) {
    const ratio = ((k - x) * (nT - x)) / ((x + 1) * (nS - k + x + 1));
    logWeights[x - min + 1] = logWeights[x - min]! + Math.log(ratio);
  }
  return { min, logWeights };
}

/**
 * X = how many of the new version's nT calls are slower than stable's k-th fastest call (of nS)
 * in the same minute. When the versions are equal, all nT + nS calls are exchangeable, so the
 * number Y = nT − X of new-version calls before stable's k-th is negative hypergeometric:
 * P(Y = y) = C(y + k − 1, y)·C(nT − y + nS − k, nT − y) / C(nT + nS, nT), y = 0…nT
 * (ratio P(y + 1)/P(y) = (y + k)(nT − y) / ((y + 1)(nT − y + nS − k))). Needs 1 ≤ k ≤ nS.
 */
export function slowerThanOrderStatLaw(nT: number, nS: number, k: number): NullLaw {
  const byY = new Float64Array(nT + 1);
  for (let y = 0; y < nT; y++) {
    const ratio = ((y + k) * (nT - y)) / ((y + 1) * (nT - y + nS - k));
    byY[y + 1] = byY[y]! + Math.log(ratio);
  }
  // Index by x = nT − y.
  const logWeights = new Float64Array(nT + 1);
  for (let y = 0; y <= nT; y++) logWeights[nT - y] = byY[y]!;
  return { min: 0, logWeights };
}

/** log Σₓ w(x)·ψˣ over the law's support, for each log ψ; index 0 is ψ = 1 (the total). */
function logTiltSums(law: NullLaw, logPsis: readonly number[]): number[] {
  const out: number[] = [];
  for (const lp of [0, ...logPsis]) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < law.logWeights.length; i++) {
      const v = law.logWeights[i]! + (law.min + i) * lp;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let i = 0; i < law.logWeights.length; i++) {
      sum += Math.exp(law.logWeights[i]! + (law.min + i) * lp - max);
    }
    out.push(max + Math.log(sum));
  }
  return out;
}

/** log L_ψ(x) = x·log ψ − log E₀[ψˣ] for each ψ of the grid. */
export function logLikelihoodRatios(m: MinuteEvidence, grid: readonly number[] = PSI_GRID): number[] {
  const logPsis = grid.map(Math.log);
  const sums = logTiltSums(m.law, logPsis);
  const x = Math.min(Math.max(m.x, m.law.min), m.law.min + m.law.logWeights.length - 1);
  return logPsis.map((lp, j) => x * lp - (sums[j + 1]! - sums[0]!));
}

export interface EProcessState {
  /** Σ over minutes of log L_ψ, per ψ of the grid. */
  logProducts: number[];
  /** log of the mixture Σ_j w_j Π_minutes L_ψj (equal weights). */
  logE: number;
  /** The ψ whose product is largest (the best-supported odds ratio so far). */
  bestPsi: number;
  minutes: number;
}

/**
 * The mixture e-process over a sequence of minutes: E = Σ_j w_j Π_m L_ψj(x_m), w_j = 1/|grid|.
 * A mixture of products (not a product of mixtures): each product is a test martingale, and
 * so is their average, which adapts to a constant effect like the best ψ would, at the cost of
 * log |grid| (about 2.1 for 8 points).
 */
export function mixtureEProcess(
  minutes: readonly MinuteEvidence[],
  grid: readonly number[] = PSI_GRID,
): EProcessState {
  const logProducts = grid.map(() => 0);
  for (const m of minutes) {
    // A degenerate law (one possible count) gives ratios of exactly 1 (log 0): no evidence.
    memoised(m, grid).forEach((v, j) => {
      logProducts[j]! += v;
    });
  }
  const max = Math.max(...logProducts);
  const logE = max + Math.log(logProducts.reduce((s, v) => s + Math.exp(v - max), 0) / grid.length);
  const best = logProducts.indexOf(max);
  return { logProducts, logE, bestPsi: grid[best]!, minutes: minutes.length };
}
