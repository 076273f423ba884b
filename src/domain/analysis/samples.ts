/**
 * Per-version, per-minute samples read from CloudWatch, and the window totals the judge uses.
 */
import type { LatencyPercentile } from './config.js';
import type { ErrorPrior } from './error-prior.js';
import { type BaselinePairing, type MinuteRange, minutesIn } from './windows.js';

export interface MinuteSample {
  /** Epoch ms of the minute's start. */
  at: number;
  invocations: number;
  errors: number;
  throttles: number;
  /** Duration percentiles in ms by statistic (`p99`, `p98.5`), where CloudWatch reported one. */
  latency: Partial<Record<string, number>>;
  /** Calls slower than the latency gate's fixed threshold (CloudWatch `TC(T:)`), when fetched. */
  aboveThreshold?: number;
}

export interface VersionSamples {
  /** The whole minutes judged for this version. */
  range: MinuteRange;
  /** Minutes whose Invocations datapoint has arrived, ascending. */
  minutes: MinuteSample[];
  /** Throttles summed over every minute of the range, with or without invocations. */
  throttles: number;
}

export interface AnalysisSamples {
  /** The new version's minutes for counts: errors, invocations, throttles. */
  target: VersionSamples;
  /** The stable version's minutes for counts (the same minutes, or the bake baseline). */
  stable: VersionSamples;
  /** The new version's minutes for latency (without the minute of the weight change). */
  targetLatency: VersionSamples;
  /** The stable version's minutes for latency (a longer series, see windows.ts). */
  stableLatency: VersionSamples;
  /** True when stable samples are the pre-deployment baseline (bake phase). */
  baseline: boolean;
  /** In the bake: which stable minute each bake minute is compared with (windows.ts). */
  pairing?: BaselinePairing;
  /** The latency gate's threshold T (ms), fixed from stable's p99 before the deployment. */
  thresholdMs?: number;
  /** The error gate's prior over odds ratios, fixed before the deployment's data (error-prior.ts). */
  errorPrior?: ErrorPrior;
}

export interface VersionTotals {
  invocations: number;
  errors: number;
  throttles: number;
  /** Minutes that reported invocations. */
  minutes: number;
  /** Whole minutes in the range, reported or not (the difference is metric lag). */
  windowMinutes: number;
}

export function totalVersion(samples: VersionSamples): VersionTotals {
  let invocations = 0;
  let errors = 0;
  for (const m of samples.minutes) {
    invocations += m.invocations;
    // A late Errors datapoint can exceed a still-partial Invocations one; never count more
    // errors than invocations in a minute.
    errors += Math.min(m.errors, m.invocations);
  }
  return {
    invocations: Math.round(invocations),
    errors: Math.round(errors),
    throttles: Math.round(samples.throttles),
    minutes: samples.minutes.length,
    windowMinutes: minutesIn(samples.range),
  };
}

export interface LatencySeries {
  /** One value per minute with invocations and a reported percentile, ms. */
  values: number[];
  /** Invocations of those minutes. */
  weights: number[];
}

export function latencySeries(samples: VersionSamples, percentile: LatencyPercentile): LatencySeries {
  const values: number[] = [];
  const weights: number[] = [];
  for (const m of samples.minutes) {
    const v = m.latency[percentile];
    if (v === undefined || m.invocations <= 0) continue;
    values.push(v);
    weights.push(m.invocations);
  }
  return { values, weights };
}

/**
 * The window's latency at a percentile, estimated as the invocation-weighted mean of the
 * per-minute percentiles: busy minutes count more, so a two-invocation minute of a 1% canary
 * (its "p99" is its slowest call) cannot dominate. Undefined without latency data.
 */
export function windowLatency(series: LatencySeries): number | undefined {
  let sum = 0;
  let weight = 0;
  series.values.forEach((v, i) => {
    sum += v * series.weights[i]!;
    weight += series.weights[i]!;
  });
  return weight > 0 ? sum / weight : undefined;
}
