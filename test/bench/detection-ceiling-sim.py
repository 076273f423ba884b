"""
How far a stronger error test could move the median time to detect of 5% vs 1% errors at 10%
(issue 11's target: <= 210 s at a 1-minute delay). A model of the detection bench's set-up,
outside the bench: the weight write falls uniformly in its minute, 1,000 requests a minute
(Poisson, per second), 10% to the new version from the write on; each minute's datapoints appear
one minute after it ends holding the calls of its first 40-90% and grow in 10% steps to complete
a minute later (src/sandbox/sandbox.ts, metricVisibility); a poll every 10 s from the write; the
error gate's rule (evidence >= 200, pooled difference > 0.5 pp, >= 100 new-version calls).
It prints, per test, the median time to detect, the share caught by 210 s, and the quartiles:
  grid     the judge's test: Fisher's noncentral-hypergeometric likelihood ratio per minute,
           mixed over the eight odds ratios of src/domain/analysis/e-process.ts (PSI_GRID)
  loguni   the same over 40 odds ratios evenly spaced in log psi over the same range
           (a log-uniform prior instead of the grid's uneven one)
  oracle   the same test at the true odds ratio alone (5.2): no mixture can do better on average
  known    not a valid test of lshift's null: a binomial likelihood ratio with both rates known
           (what using stable's past error rate as exact could give at most)
  uncond   a valid test that does use stable's past rate: the unconditional e-variable for 2x2
           tables of Turner, Ly & Grunwald (2024, "Generic E-variables for exact sequential
           k-sample tests that allow for optional stopping", Journal of Statistical Planning and
           Inference 230, 106116; arXiv:2106.02693): per minute, the binomial likelihood of both versions' counts under
           the alternative (stable at its rate over the 15 minutes before, new at psi times its
           odds) over the binomial at the calls-weighted mean rate (the alternative's reverse
           information projection onto "both equal"), mixed over the grid
  aligned  the judge's test with the first weight write at the start of a minute (0-3 s into
           it) instead of anywhere in it
  plugin   a predictable plug-in instead of a mixture (Waudby-Smith & Ramdas 2024, "Estimating
           means of bounded random variables by betting", JRSS B 86(1)): each minute's factor is
           the likelihood ratio at the odds ratio estimated from the minutes before it (complete
           by the time it appears), the grid's mixture while they hold under 20 new-version calls
  halfplug the average of the plug-in and the grid mixture, minute by minute
  cut      the judge's grid cut to the odds ratios the pooled-difference rule can act on: psi >=
           odds(p0 + 0.5 pp) / odds(p0), p0 being stable's rate over the 15 minutes before the
           deployment (fixed before the deployment's data, so still a mixture Ville's bound covers)
  cutloguni 40 odds ratios evenly spaced in log psi from that cut to 12
  cutub    the cut as built (src/domain/analysis/error-prior.ts): p0 is the one-sided 95% Wilson
           upper bound of stable's rate before the deployment, not its estimate, so a thin baseline
           cuts little
Numbers in docs/analysis.md#the-median-time-to-detect-on-the-poll-grids-edge.
Run: python3 test/bench/detection-ceiling-sim.py [runs] [tests, e.g. grid,plugin]   (numpy + scipy;
about a minute a test)
"""
import sys

import numpy as np
from scipy.special import logsumexp
from scipy.stats import hypergeom

P_NEW, P_STABLE, RPM, WEIGHT, DELAY_S, POLL_S, EVIDENCE = 0.05, 0.01, 1000, 0.1, 60, 10, 200
PSI_GRID = [1.25, 1.5, 2, 3, 4, 6, 8, 12.0]
TRUE_PSI = (P_NEW / (1 - P_NEW)) / (P_STABLE / (1 - P_STABLE))
cache = {}


def log_ratios(n_new, n_stable, k, x, log_psis):
    key = (n_new, n_stable, k, log_psis.tobytes())
    if key not in cache:
        xs = np.arange(max(0, k - n_stable), min(k, n_new) + 1)
        lp = hypergeom.logpmf(xs, n_new + n_stable, k, n_new)
        cache[key] = logsumexp(lp[None, :] + xs[None, :] * log_psis[:, None], axis=1)
    return x * log_psis - cache[key]


def log_unconditional(a, b, x, y, rate_b, log_psis):
    rate_a = 1 / (1 + np.exp(-(np.log(rate_b / (1 - rate_b)) + log_psis)))
    mean = (a * rate_a + b * rate_b) / (a + b)
    return (x * np.log(rate_a / mean) + (a - x) * np.log((1 - rate_a) / (1 - mean))
            + y * np.log(rate_b / mean) + (b - y) * np.log((1 - rate_b) / (1 - mean)))


def plugin_factor(before, a, b, x, y, log_psis, half):
    """The minute's log factor at the odds ratio of the minutes before it (their final counts)."""
    pa, pb, px, py = (sum(c[i][-1] for c, _ in before) for i in range(4))
    psi = ((px + 0.5) / (pa - px + 0.5)) / ((py + 0.5) / (pb - py + 0.5))
    plug = log_ratios(a, b, x + y, x, np.array([np.log(np.clip(psi, 1.25, 12))]))[0]
    if not half:
        return np.full(len(log_psis), plug)
    mixed = logsumexp(log_ratios(a, b, x + y, x, log_psis)) - np.log(len(log_psis))
    return np.full(len(log_psis), np.logaddexp(plug, mixed) - np.log(2))


def simulate_minutes(rng, phase):
    """Per minute from the write's: cumulative per-second counts and the first visible share."""
    minutes = []
    for m in range(8):
        n = rng.poisson(RPM / 60, 60)
        weight = np.where((m > 0) | (np.arange(60) >= phase), WEIGHT, 0.0)
        n_new = rng.binomial(n, weight)
        n_stable = n - n_new
        e_new, e_stable = rng.binomial(n_new, P_NEW), rng.binomial(n_stable, P_STABLE)
        cum = [np.cumsum(a) for a in (n_new, n_stable, e_new, e_stable)]
        minutes.append((cum, 0.4 + 0.5 * rng.uniform()))
    return minutes


def visible_share(t, appears, first):
    grown = first + (1 - first) * (t - appears) / 60
    return 1.0 if grown >= 1 else np.floor(grown * 10) / 10


def detect(minutes, phase, test, log_psis, stable_rate):
    for t in range(POLL_S, 600, POLL_S):
        log_e = np.zeros(len(log_psis))
        totals = np.zeros(4)
        for m, (cum, first) in enumerate(minutes):
            appears = (60 - phase) + 60 * m + DELAY_S
            if t < appears:
                break
            last = int(visible_share(t, appears, first) * 60) - 1
            if last < 0:
                continue
            a, b, x, y = (c[last] for c in cum)
            if a == 0 or b == 0:
                continue
            if test in ('plugin', 'halfplug') and m > 0 and sum(mm[0][0][-1] for mm in minutes[:m]) >= 20:
                log_e += plugin_factor(minutes[:m], a, b, x, y, log_psis, test == 'halfplug')
                totals += (a, b, x, y)
                continue
            if test == 'uncond':
                log_e += log_unconditional(a, b, x, y, stable_rate, log_psis)
            elif test == 'known':
                log_e += x * np.log(P_NEW / P_STABLE) + (a - x) * np.log((1 - P_NEW) / (1 - P_STABLE))
            else:
                log_e += log_ratios(a, b, x + y, x, log_psis)
            totals += (a, b, x, y)
        a, b, x, y = totals
        if a >= 100 and x / a - y / b > 0.005:
            if logsumexp(log_e) - np.log(len(log_psis)) >= np.log(EVIDENCE):
                return t
    return np.inf


TESTS = {
    'grid': np.log(PSI_GRID),
    'loguni': np.linspace(np.log(1.25), np.log(12), 40),
    'oracle': np.array([np.log(TRUE_PSI)]),
    'known': np.zeros(1),
    'uncond': np.log(PSI_GRID),
    'aligned': np.log(PSI_GRID),
    'plugin': np.log(PSI_GRID),
    'halfplug': np.log(PSI_GRID),
    'cut': None,
    'cutloguni': None,
    'cutub': None,
}


def wilson_upper(p, n, z=1.645):
    return (p + z * z / (2 * n) + z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


def cut_prior(name, stable_rate):
    """The prior cut at the smallest odds ratio the +0.5 pp rule can roll back, from stable's past."""
    odds = lambda p: p / (1 - p)
    if name == 'cutub':
        upper = wilson_upper(stable_rate, 15 * RPM)
        floor = odds(upper + 0.005) / odds(upper)
        return np.log([psi for psi in PSI_GRID if psi >= floor])
    floor = odds(stable_rate + 0.005) / odds(stable_rate)
    if name == 'cut':
        return np.log([psi for psi in PSI_GRID if psi >= floor])
    return np.linspace(np.log(floor), np.log(12), 40)

if __name__ == '__main__':
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    chosen = sys.argv[2].split(',') if len(sys.argv) > 2 else list(TESTS)
    for name, log_psis in ((n, TESTS[n]) for n in chosen):
        rng = np.random.default_rng(1)
        times = []
        for _ in range(runs):
            phase = rng.uniform(0, 3) if name == 'aligned' else rng.uniform(0, 60)
            stable_rate = (rng.binomial(15 * RPM, P_STABLE) + 0.5) / (15 * RPM + 1)
            minutes = simulate_minutes(rng, phase)
            psis = cut_prior(name, stable_rate) if log_psis is None else log_psis
            times.append(detect(minutes, phase, name, psis, stable_rate))
        times = np.array(times)
        by210 = (times <= 210).mean()
        half = 1.96 * np.sqrt(by210 * (1 - by210) / runs)
        q1, med, q3 = np.percentile(times, [25, 50, 75])
        print(f'{name:7s} median {med:.0f} s, caught by 210 s {by210:.1%} (+/- {half:.1%}), '
              f'quartiles {q1:.0f} / {q3:.0f} s  ({runs} runs)', flush=True)
