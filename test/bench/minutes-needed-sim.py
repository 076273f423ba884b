"""
How many minutes at 10% of 1,000 req/min the e-process needs to catch a regression 99 (95) times
in 100 — with evidence 100 (one relative gate, α = 1%) or 200 (both gates, α split: the default).
Simulates the mixture e-process of src/domain/analysis/e-process.ts (same ψ grid, equal weights) on
whole minutes with Poisson traffic split 10/90, with the gate's rule (evidence ≥ threshold and pooled
difference > allowed), checked after every minute. Numbers in docs/analysis.md#detection-quality.
  errors: 5% vs 1%, allowed 0.5 pp.   latency (count only): 4.5% vs 1% of calls above T.
Run: python3 test/bench/minutes-needed-sim.py   (numpy + scipy; a few minutes)
"""
import numpy as np
from scipy.special import logsumexp
from scipy.stats import hypergeom

rng = np.random.default_rng(1)
GRID = np.array([1.25, 1.5, 2, 3, 4, 6, 8, 12.0])
LOG_GRID = np.log(GRID)
cache = {}


def llr(nT, nS, k, x):
    key = (nT, nS, k)
    if key not in cache:
        xs = np.arange(max(0, k - nS), min(k, nT) + 1)
        lp = hypergeom.logpmf(xs, nT + nS, k, nT)
        cache[key] = logsumexp(lp[None, :] + xs[None, :] * LOG_GRID[:, None], axis=1)
    return x * LOG_GRID - cache[key]


def rate(pT, pS, minutes, reps, threshold, allowed, rpm=1000, weight=0.1):
    hits = 0
    for _ in range(reps):
        acc = np.zeros(len(GRID))
        te = ts = tn = sn = 0
        for _ in range(minutes):
            n = rng.poisson(rpm)
            nT = rng.binomial(n, weight)
            nS = n - nT
            x, y = rng.binomial(nT, pT), rng.binomial(nS, pS)
            acc += llr(nT, nS, x + y, x)
            te, ts, tn, sn = te + x, ts + y, tn + nT, sn + nS
            if te / tn - ts / sn > allowed and logsumexp(acc) - np.log(len(GRID)) >= np.log(threshold):
                hits += 1
                break
    return hits / reps


for threshold in (100, 200):
    for minutes in (5, 6, 7):
        print(f"errors 5% vs 1%, evidence {threshold}, {minutes} minutes: "
              f"{rate(0.05, 0.01, minutes, 3000, threshold, 0.005):.1%}", flush=True)
for threshold in (100, 200):
    for minutes in (5, 6, 7, 8):
        print(f"latency 4.5% vs 1% above T, evidence {threshold}, {minutes} minutes: "
              f"{rate(0.045, 0.01, minutes, 3000, threshold, 0.0):.1%}", flush=True)
