/**
 * The absolute gates: the new version's own numbers against fixed limits. They judge whatever
 * data has arrived (no minimum sample, no test), but no data is never a pass.
 */
import type { Verdict } from '../verdict.js';
import type { LatencyLimit } from './config.js';
import { formatMs, formatPercent, trimNumber } from './format.js';
import {
  describeErrorRate,
  describeLatencyWindows,
  describeVersion,
  describeWindows,
  EPSILON,
  type JudgeContext,
  makeVerdict,
  noDataVerdict,
} from './judge-common.js';
import { type AnalysisSamples, latencySeries, totalVersion, windowLatency } from './samples.js';

export const MAX_ERROR_RATE_GATE = 'max-error-rate';
export const MAX_THROTTLES_GATE = 'max-throttles';
export function maxLatencyGate(limit: LatencyLimit): string {
  return `max-${limit.percentile}`;
}

export function judgeMaxErrorRate(
  samples: AnalysisSamples,
  maxErrorRate: number,
  ctx: JudgeContext,
): Verdict {
  const gate = MAX_ERROR_RATE_GATE;
  const t = totalVersion(samples.target);
  const base = { target: describeVersion(ctx.targetVersion, t), maxErrorRate, ...describeWindows(samples) };
  if (t.invocations === 0) return noDataVerdict(gate, samples.target, t, base, ctx);
  const rate = t.errors / t.invocations;
  const text = `version ${ctx.targetVersion} error rate ${describeErrorRate(t)}`;
  if (rate > maxErrorRate + EPSILON) {
    return makeVerdict(
      'fail',
      gate,
      `${text} > max ${formatPercent(maxErrorRate)}`,
      { ...base, reason: 'above-max' },
      ctx,
    );
  }
  return makeVerdict(
    'pass',
    gate,
    `${text} ≤ max ${formatPercent(maxErrorRate)}`,
    { ...base, reason: 'within-max' },
    ctx,
  );
}

/** Judged on the latency window: the minute of the weight change holds the cold starts. */
export function judgeMaxLatency(samples: AnalysisSamples, limit: LatencyLimit, ctx: JudgeContext): Verdict {
  const gate = maxLatencyGate(limit);
  const t = totalVersion(samples.targetLatency);
  const base = {
    target: describeVersion(ctx.targetVersion, t),
    percentile: limit.percentile,
    maxMs: limit.ms,
    window: describeLatencyWindows(samples).window,
  };
  if (t.invocations === 0) return noDataVerdict(gate, samples.targetLatency, t, base, ctx, 'latency');
  const series = latencySeries(samples.targetLatency, limit.percentile);
  const latency = windowLatency(series);
  if (latency === undefined) {
    const summary = `no Duration ${limit.percentile} reported for version ${ctx.targetVersion} yet`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'no-latency-data' }, ctx);
  }
  const worst = Math.max(...series.values);
  const details = { ...base, latencyMs: latency, worstMinuteMs: worst, minutes: series.values.length };
  const over = `${series.values.length} minute${series.values.length === 1 ? '' : 's'}, worst minute ${formatMs(worst)}`;
  const text = `version ${ctx.targetVersion} ${limit.percentile} ${formatMs(latency)}`;
  if (latency > limit.ms + EPSILON) {
    const summary = `${text} > max ${formatMs(limit.ms)} (${over})`;
    return makeVerdict('fail', gate, summary, { ...details, reason: 'above-max' }, ctx);
  }
  return makeVerdict(
    'pass',
    gate,
    `${text} ≤ max ${formatMs(limit.ms)} (${over})`,
    { ...details, reason: 'within-max' },
    ctx,
  );
}

/** Throttles above the limit fail even with no invocations: a version throttled away has none. */
export function judgeMaxThrottles(
  samples: AnalysisSamples,
  maxThrottles: number,
  ctx: JudgeContext,
): Verdict {
  const gate = MAX_THROTTLES_GATE;
  const t = totalVersion(samples.target);
  const base = { target: describeVersion(ctx.targetVersion, t), maxThrottles, ...describeWindows(samples) };
  const text = `version ${ctx.targetVersion} throttled ${t.throttles} time${t.throttles === 1 ? '' : 's'}`;
  if (t.throttles > maxThrottles) {
    return makeVerdict(
      'fail',
      gate,
      `${text} > max ${trimNumber(maxThrottles, 0)}`,
      { ...base, reason: 'above-max' },
      ctx,
    );
  }
  if (t.invocations === 0) return noDataVerdict(gate, samples.target, t, base, ctx);
  return makeVerdict(
    'pass',
    gate,
    `${text} ≤ max ${trimNumber(maxThrottles, 0)}`,
    { ...base, reason: 'within-max' },
    ctx,
  );
}
