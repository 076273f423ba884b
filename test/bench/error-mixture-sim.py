"""
Error gate, 5% vs 1% at 10% of 1,000 req/min: can a different ψ mixture reach 99% detection before
100% on a 5-minute step? (issue 11 follow-up; numbers in docs/analysis.md#detection-quality).
Simulates the e-process of src/domain/analysis/e-process.ts on whole minutes (nT = 100, nS = 900),
with the gate's rule (evidence ≥ 1/α and pooled difference > 0.5 pp, checked after every minute).
Run: python3 test/bench/error-mixture-sim.py   (numpy + scipy; ~1 minute)
"""
import numpy as np
from scipy.special import logsumexp
from scipy.stats import hypergeom

rng = np.random.default_rng(1)
cache = {}


def minute_llr(nT, nS, k, x, grid, key):
    if (nT, nS, k, key) not in cache:
        xs = np.arange(max(0, k - nS), min(k, nT) + 1)
        lp = hypergeom.logpmf(xs, nT + nS, k, nT)
        lg = np.log(grid)
        cache[(nT, nS, k, key)] = (lg, logsumexp(lp[None, :] + xs[None, :] * lg[:, None], axis=1))
    lg, lm = cache[(nT, nS, k, key)]
    return x * lg - lm


def rate(grid, weights, pT, pS, minutes, reps, nT=100, nS=900, alpha=0.01, allowed=0.005):
    grid = np.array(grid, dtype=float)
    lw = np.log(np.array(weights, dtype=float) / np.sum(weights))
    key = tuple(grid) + tuple(weights)
    hits = 0
    for _ in range(reps):
        acc = np.zeros(len(grid))
        te = ts = tn = sn = 0
        for _ in range(minutes):
            x, y = rng.binomial(nT, pT), rng.binomial(nS, pS)
            acc += minute_llr(nT, nS, x + y, x, grid, key)
            te, ts, tn, sn = te + x, ts + y, tn + nT, sn + nS
            if te / tn - ts / sn > allowed and logsumexp(acc + lw) >= np.log(1 / alpha):
                hits += 1
                break
    return hits / reps


GRID = [1.25, 1.5, 2, 3, 4, 6, 8, 12]
MIXTURES = {
    "current (8 points, equal weights)": (GRID, [1] * 8),
    "12 points 1.5-12, equal weights": (list(np.geomspace(1.5, 12, 12)), [1] * 12),
    "weights on psi 3-8": (GRID, [0.5, 0.5, 1, 2, 3, 3, 2, 1]),
    "psi = 5 only (the true odds ratio)": ([5], [1]),
}
for name, (g, w) in MIXTURES.items():
    print(f"{name}: detect in 5 minutes {rate(g, w, 0.05, 0.01, 5, 4000):.2%}, "
          f"false rollbacks in 30 equal minutes {rate(g, w, 0.01, 0.01, 30, 2000):.2%}", flush=True)
for minutes in (6, 7):
    print(f"current mixture, {minutes} minutes: detect {rate(GRID, [1] * 8, 0.05, 0.01, minutes, 4000):.2%}")
# One look at the end (not anytime-valid): Fisher's exact test on the pooled 500 vs 4,500 calls.
x = rng.binomial(500, 0.05, 20000)
y = rng.binomial(4500, 0.01, 20000)
print(f"single Fisher test at 500 calls, alpha 1%: {np.mean(hypergeom.sf(x - 1, 5000, x + y, 500) <= 0.01):.2%}")
