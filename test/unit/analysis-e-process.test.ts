import { describe, expect, it } from 'vitest';
import {
  hypergeometricLaw,
  logLikelihoodRatios,
  type MinuteEvidence,
  mixtureEProcess,
  type NullLaw,
  PSI_GRID,
  slowerThanOrderStatLaw,
} from '../../src/domain/analysis/e-process.js';

/** The law as probabilities, normalised. */
function pmf(law: NullLaw): number[] {
  const w = [...law.logWeights].map(Math.exp);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function binomial(next: () => number, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (next() < p) x++;
  return x;
}

describe('null laws (reference values from python3 math.comb)', () => {
  it('hypergeometric: nT = 5, nS = 10, 4 errors in the minute', () => {
    // [comb(4,x)*comb(11,5-x)/comb(15,5) for x in range(5)]
    const expected = [
      0.15384615384615385, 0.43956043956043955, 0.32967032967032966, 0.07326007326007326,
      0.003663003663003663,
    ];
    const law = hypergeometricLaw(5, 10, 4);
    expect(law.min).toBe(0);
    for (const [i, p] of pmf(law).entries()) expect(p).toBeCloseTo(expected[i]!, 14);
  });

  it('hypergeometric support starts above 0 when the errors outnumber stable calls', () => {
    const law = hypergeometricLaw(5, 2, 4);
    expect(law.min).toBe(2);
    expect(law.logWeights.length).toBe(3);
  });

  it('new-version calls above stable order statistic: nT = 3, nS = 4, k = 2 (checked by enumerating all 35 orders)', () => {
    // x = 0…3: C(y+k−1, y)·C(nT−y+nS−k, nT−y)/C(7, 3) with y = 3 − x
    const expected = [0.11428571428571428, 0.2571428571428571, 0.34285714285714286, 0.2857142857142857];
    for (const [i, p] of pmf(slowerThanOrderStatLaw(3, 4, 2)).entries())
      expect(p).toBeCloseTo(expected[i]!, 14);
  });

  it('the likelihood ratio is ψˣ / E₀[ψˣ] (Fisher noncentral hypergeometric over central)', () => {
    // python: Z = Σ pmf[x]·3^x = 6.714285714285714; log LR(x = 3) = 3·ln 3 − ln Z
    const [lr] = logLikelihoodRatios({ law: hypergeometricLaw(5, 10, 4), x: 3 }, [3]);
    expect(lr).toBeCloseTo(1.391599413349584, 12);
  });

  it('each likelihood ratio has null mean exactly 1', () => {
    const law = slowerThanOrderStatLaw(40, 300, 296);
    const p = pmf(law);
    const means = PSI_GRID.map((_, j) =>
      p.reduce((sum, px, x) => sum + px * Math.exp(logLikelihoodRatios({ law, x }, PSI_GRID)[j]!), 0),
    );
    for (const m of means) expect(m).toBeCloseTo(1, 10);
  });
});

describe('mixtureEProcess', () => {
  it('is 1 before any minute', () => {
    expect(mixtureEProcess([]).logE).toBe(0);
  });

  it('is the average over the grid of the products of the minutes', () => {
    const minutes: MinuteEvidence[] = [
      { law: hypergeometricLaw(100, 900, 12), x: 5 },
      { law: hypergeometricLaw(110, 890, 9), x: 3 },
    ];
    const perPsi = PSI_GRID.map((_, j) =>
      Math.exp(minutes.reduce((s, m) => s + logLikelihoodRatios(m)[j]!, 0)),
    );
    const expected = perPsi.reduce((a, b) => a + b, 0) / PSI_GRID.length;
    expect(Math.exp(mixtureEProcess(minutes).logE)).toBeCloseTo(expected, 10);
  });

  it('over a suffix of the grid (the cut prior of the error gate), memoised minutes give the mixture of the suffix', () => {
    const suffix = PSI_GRID.slice(2);
    const law = () => hypergeometricLaw(100, 900, 14);
    // The memo holds the whole grid's ratios once a keyed minute was seen with it.
    const whole = mixtureEProcess([{ law: law(), x: 6, key: 'test-suffix' }]);
    const cut = mixtureEProcess([{ law: law(), x: 6, key: 'test-suffix' }], suffix);
    const fresh = mixtureEProcess([{ law: law(), x: 6 }], suffix);
    expect(cut.logProducts).toEqual(whole.logProducts.slice(2));
    expect(cut.logE).toBeCloseTo(fresh.logE, 12);
    expect(cut.bestPsi).toBe(fresh.bestPsi);
    // The cut's weight sits on the larger odds ratios, which this minute (6 of 100 vs 8 of 900) supports.
    expect(cut.logE).toBeGreaterThan(whole.logE);
  });

  // Ville's inequality: under the null, P(the e-process ever reaches 1/α) ≤ α. Simulated with
  // α = 5% (so the count is measurable) over 30 minutes, looked at after every minute; the
  // binomial standard error at 1000 runs is 0.7 pp.
  function equalErrorRatesRejected(seed: number, rate: number, grid: readonly number[]): number {
    const next = rng(seed);
    const runs = 1000;
    let rejected = 0;
    for (let r = 0; r < runs; r++) {
      const minutes: MinuteEvidence[] = [];
      for (let m = 0; m < 30; m++) {
        const nT = 20 + m * 30;
        const nS = 1000 - nT;
        const xT = binomial(next, nT, rate);
        const xS = binomial(next, nS, rate);
        minutes.push({ law: hypergeometricLaw(nT, nS, xT + xS), x: xT });
        if (mixtureEProcess(minutes, grid).logE >= Math.log(20)) {
          rejected++;
          break;
        }
      }
    }
    return rejected / runs;
  }

  it('equal error rates: the running maximum reaches 1/α in at most α of runs (errors)', () => {
    expect(equalErrorRatesRejected(11, 0.01, PSI_GRID)).toBeLessThan(0.05 + 0.02);
  });

  it('equal error rates, the cut prior (only ψ ≥ 2): still at most α of runs reach 1/α', () => {
    expect(equalErrorRatesRejected(13, 0.005, PSI_GRID.slice(PSI_GRID.indexOf(2)))).toBeLessThan(0.05 + 0.02);
  });

  it('equal latency: calls above stable order statistic, simulated from exchangeable durations', () => {
    const next = rng(12);
    const runs = 500;
    let rejected = 0;
    for (let r = 0; r < runs; r++) {
      const minutes: MinuteEvidence[] = [];
      for (let m = 0; m < 15; m++) {
        const nT = 100;
        const nS = 400;
        const t = Array.from({ length: nT }, next);
        const s = Array.from({ length: nS }, next).sort((a, b) => a - b);
        const k = Math.ceil(0.99 * nS) - 1;
        const threshold = s[k - 1]!;
        minutes.push({ law: slowerThanOrderStatLaw(nT, nS, k), x: t.filter((v) => v > threshold).length });
        if (mixtureEProcess(minutes).logE >= Math.log(20)) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / runs).toBeLessThan(0.05 + 0.03);
  });

  it('finds 5% vs 1% errors on a 10% canary (1/α = 100) within 5 minutes in ≥ 95% of runs', () => {
    const next = rng(13);
    let found = 0;
    for (let r = 0; r < 200; r++) {
      const minutes: MinuteEvidence[] = [];
      for (let m = 0; m < 5; m++) {
        const xT = binomial(next, 100, 0.05);
        const xS = binomial(next, 900, 0.01);
        minutes.push({ law: hypergeometricLaw(100, 900, xT + xS), x: xT });
      }
      if (mixtureEProcess(minutes).logE >= Math.log(100)) found++;
    }
    expect(found / 200).toBeGreaterThan(0.95);
  });
});
