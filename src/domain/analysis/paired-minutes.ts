/**
 * The minute-by-minute comparison both relative gates accumulate: each new-version minute with
 * its stable partner (the same minute during the shift, a pre-deployment minute in the bake),
 * turned into one count with an exact null law (e-process.ts).
 */
import type { LatencyPercentile } from './config.js';
import { hypergeometricLaw, type MinuteEvidence, slowerThanOrderStatLaw } from './e-process.js';
import type { MinuteSample, VersionSamples } from './samples.js';
import { countSlowerInMinute, percentileLevel } from './slow-share.js';
import { type BaselinePairing, partnerMinute } from './windows.js';

export interface MinutePair {
  target: MinuteSample;
  stable: MinuteSample;
}

/**
 * New-version minutes with invocations whose stable partner has arrived with invocations too.
 * A minute without a partner carries no comparison, so its calls do not count towards the
 * minimum sample either.
 */
export function pairMinutes(
  target: VersionSamples,
  stable: VersionSamples,
  pairing: BaselinePairing | undefined,
): MinutePair[] {
  const byAt = new Map(stable.minutes.map((m) => [m.at, m]));
  const pairs: MinutePair[] = [];
  for (const t of target.minutes) {
    const s = byAt.get(partnerMinute(t.at, pairing));
    if (Math.round(t.invocations) > 0 && s && Math.round(s.invocations) > 0)
      pairs.push({ target: t, stable: s });
  }
  return pairs;
}

export interface PairTotals {
  targetInvocations: number;
  targetErrors: number;
  stableInvocations: number;
  stableErrors: number;
}

/** Errors never exceed invocations in a minute (a late Errors datapoint can run ahead). */
function counts(m: MinuteSample): { n: number; x: number } {
  if (!(m.invocations >= 0 && m.errors >= 0)) {
    throw new RangeError(
      `invalid counts in the minute at ${new Date(m.at).toISOString()}: ${m.errors} errors of ${m.invocations} invocations`,
    );
  }
  const n = Math.round(m.invocations);
  return { n, x: Math.min(Math.round(m.errors), n) };
}

export function totalPairs(pairs: readonly MinutePair[]): PairTotals {
  const totals = { targetInvocations: 0, targetErrors: 0, stableInvocations: 0, stableErrors: 0 };
  for (const p of pairs) {
    const t = counts(p.target);
    const s = counts(p.stable);
    totals.targetInvocations += t.n;
    totals.targetErrors += t.x;
    totals.stableInvocations += s.n;
    totals.stableErrors += s.x;
  }
  return totals;
}

/** Per minute: the new version's errors, hypergeometric given both counts and the minute's errors. */
export function errorEvidence(pairs: readonly MinutePair[]): MinuteEvidence[] {
  return pairs.map((p) => {
    const t = counts(p.target);
    const s = counts(p.stable);
    const k = t.x + s.x;
    // The law is built only when the memo (e-process.ts) has not seen this minute yet.
    return {
      get law() {
        return hypergeometricLaw(t.n, s.n, k);
      },
      x: t.x,
      key: `h:${t.n}:${s.n}:${k}`,
    };
  });
}

export interface LatencyMinute {
  evidence: MinuteEvidence;
  /** Stable's percentile in the partner minute (ms): the minute's threshold. */
  thresholdMs: number;
  /** Stable calls at or below the order statistic the null law uses. */
  stableRank: number;
  targetInvocations: number;
  stableInvocations: number;
  targetMs: number;
  /** True when x is the exact count above the fixed threshold (`TC(T:)`), not a lower bound. */
  exact: boolean;
  /** Stable's calls above the fixed threshold (exact minutes only). */
  stableAbove?: number;
}

/**
 * Per minute: how many of the new version's calls were slower than stable's own percentile in
 * that minute (a lower bound read off its percentile ladder, slow-share.ts). CloudWatch gives
 * percentiles, not durations; the threshold T is taken as at least stable's
 * (⌈q·nS⌉ − 1)-th fastest call, true for nearest-rank percentiles and for any interpolation
 * between the two order statistics around q·nS, so the count above T is at most the count above
 * that order statistic, whose null law is exact (e-process.ts: slowerThanOrderStatLaw).
 */
export function latencyEvidence(
  pairs: readonly MinutePair[],
  percentile: LatencyPercentile,
): LatencyMinute[] {
  const q = percentileLevel(percentile);
  const out: LatencyMinute[] = [];
  for (const p of pairs) {
    const threshold = p.stable.latency[percentile];
    const targetMs = p.target.latency[percentile];
    if (threshold === undefined || targetMs === undefined) continue;
    const nT = Math.round(p.target.invocations);
    const nS = Math.round(p.stable.invocations);
    const k = Math.ceil(q * nS - 1e-9) - 1;
    if (k < 1) continue;
    const exact = exactMinute(p, nT, nS);
    if (exact) {
      out.push({ ...exact, thresholdMs: threshold, targetMs });
      continue;
    }
    const x = countSlowerInMinute(p.target, percentile, threshold);
    out.push({
      exact: false,
      evidence: {
        get law() {
          return slowerThanOrderStatLaw(nT, nS, k);
        },
        x,
        key: `o:${nT}:${nS}:${k}`,
      },
      thresholdMs: threshold,
      stableRank: k,
      targetInvocations: nT,
      stableInvocations: nS,
      targetMs,
    });
  }
  return out;
}

/**
 * A minute of the shift with both versions' `TC(T:)` counts (latency-threshold.ts): given nT, nS
 * and the minute's total k above T, the new version's count is hypergeometric when the versions
 * are equal, the error gate's law. Not for bake minutes: their stable partner lies in the
 * baseline that T was taken from.
 */
function exactMinute(
  p: MinutePair,
  nT: number,
  nS: number,
): Omit<LatencyMinute, 'thresholdMs' | 'targetMs'> | undefined {
  const tAbove = p.target.aboveThreshold;
  const sAbove = p.stable.aboveThreshold;
  if (tAbove === undefined || sAbove === undefined || p.target.at !== p.stable.at) return undefined;
  // TC counts Duration datapoints; never more than the minute's invocations.
  const x = Math.min(Math.max(Math.round(tAbove), 0), nT);
  const y = Math.min(Math.max(Math.round(sAbove), 0), nS);
  const k = x + y;
  return {
    evidence: {
      get law() {
        return hypergeometricLaw(nT, nS, k);
      },
      x,
      key: `h:${nT}:${nS}:${k}`,
    },
    stableRank: 0,
    targetInvocations: nT,
    stableInvocations: nS,
    exact: true,
    stableAbove: y,
  };
}

/**
 * The compared minutes as compact series, for pictures (the GitHub summary chart, the TTY
 * sparkline): per minute, both versions' invocations, errors and p99 (null when not reported).
 */
export interface MinuteSeries {
  at: number[];
  targetInvocations: number[];
  targetErrors: number[];
  stableInvocations: number[];
  stableErrors: number[];
  targetP99: (number | null)[];
  stableP99: (number | null)[];
}

export function minuteSeries(pairs: readonly MinutePair[]): MinuteSeries {
  const series: MinuteSeries = {
    at: [],
    targetInvocations: [],
    targetErrors: [],
    stableInvocations: [],
    stableErrors: [],
    targetP99: [],
    stableP99: [],
  };
  for (const p of pairs) {
    const t = counts(p.target);
    const s = counts(p.stable);
    series.at.push(p.target.at);
    series.targetInvocations.push(t.n);
    series.targetErrors.push(t.x);
    series.stableInvocations.push(s.n);
    series.stableErrors.push(s.x);
    series.targetP99.push(p.target.latency.p99 ?? null);
    series.stableP99.push(p.stable.latency.p99 ?? null);
  }
  return series;
}
