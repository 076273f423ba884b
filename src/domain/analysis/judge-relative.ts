/**
 * The relative gates: is the new version worse than stable by more than allowed, AND is that
 * statistically significant? Hypotheses in docs/analysis.md#statistics.
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import { formatChange, formatMs, formatPercent, formatPp, formatPValue, trimNumber } from './format.js';
import {
  alphaAt,
  alphaOf,
  describeErrorRate,
  describeLatencyWindows,
  describeVersion,
  describeWindows,
  EPSILON,
  type JudgeContext,
  makeVerdict,
  noDataVerdict,
  stableLabel,
  type WindowKind,
} from './judge-common.js';
import {
  type AnalysisSamples,
  latencySeries,
  totalVersion,
  type VersionSamples,
  type VersionTotals,
  windowLatency,
} from './samples.js';
import { testSlowShare } from './slow-share.js';
import { testProportionIncrease } from './statistics.js';

export const ERROR_RATE_INCREASE_GATE = 'error-rate-increase';
export const LATENCY_INCREASE_GATE = 'latency-increase';

interface Sides {
  t: VersionTotals;
  s: VersionTotals;
  base: Record<string, unknown>;
}

/** The two versions' samples a relative gate compares: the count or the latency windows. */
interface Pair {
  kind: WindowKind;
  target: VersionSamples;
  stable: VersionSamples;
}

function countPair(samples: AnalysisSamples): Pair {
  return { kind: 'counts', target: samples.target, stable: samples.stable };
}

function latencyPair(samples: AnalysisSamples): Pair {
  return { kind: 'latency', target: samples.targetLatency, stable: samples.stableLatency };
}

function readSides(samples: AnalysisSamples, pair: Pair, config: AnalysisConfig, ctx: JudgeContext): Sides {
  const t = totalVersion(pair.target);
  const s = totalVersion(pair.stable);
  const base = {
    target: describeVersion(ctx.targetVersion, t),
    stable: describeVersion(ctx.stableVersion, s),
    confidence: config.confidence,
    alpha: alphaOf(config.confidence),
    // The p-value this poll needs to fail: α at the step's last poll, α/10 before it.
    threshold: alphaAt(config.confidence, ctx),
    look: ctx.endOfStep ? 'final' : 'interim',
    minInvocations: config.minInvocations,
    ...(pair.kind === 'counts' ? describeWindows(samples) : describeLatencyWindows(samples)),
  };
  return { t, s, base };
}

/** Below the minimum sample, or without stable traffic, a relative gate cannot decide. */
function checkSample(
  gate: string,
  samples: AnalysisSamples,
  pair: Pair,
  config: AnalysisConfig,
  ctx: JudgeContext,
  sides: Sides,
): Verdict | undefined {
  const { t, s, base } = sides;
  if (t.invocations === 0) return noDataVerdict(gate, pair.target, t, base, ctx, pair.kind);
  if (t.invocations < config.minInvocations) {
    const summary =
      `only ${t.invocations} invocation${t.invocations === 1 ? '' : 's'} reached version ${ctx.targetVersion} ` +
      `in ${t.minutes} reported minute${t.minutes === 1 ? '' : 's'} (the relative gates need ${config.minInvocations})`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'too-few-invocations' }, ctx);
  }
  if (s.invocations === 0) {
    const summary = `no invocations of ${stableLabel(samples)} version ${ctx.stableVersion} reported to compare with`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'no-stable-data' }, ctx);
  }
  return undefined;
}

export function judgeErrorRateIncrease(
  samples: AnalysisSamples,
  config: AnalysisConfig,
  ctx: JudgeContext,
): Verdict {
  const gate = ERROR_RATE_INCREASE_GATE;
  const allowedPp = config.maxErrorRateIncreasePp ?? 0;
  const pair = countPair(samples);
  const sides = readSides(samples, pair, config, ctx);
  const early = checkSample(gate, samples, pair, config, ctx, {
    ...sides,
    base: { ...sides.base, allowedPp },
  });
  if (early) return early;
  const { t, s } = sides;
  const threshold = alphaAt(config.confidence, ctx);
  const test = testProportionIncrease({ x1: t.errors, n1: t.invocations, x2: s.errors, n2: s.invocations });
  const differencePp = (t.errors / t.invocations - s.errors / s.invocations) * 100;
  const details = {
    ...sides.base,
    allowedPp,
    differencePp,
    test: test.method,
    pValue: test.pValue,
    z: test.z,
  };
  const rates = `version ${ctx.targetVersion} error rate ${describeErrorRate(t)} vs ${stableLabel(samples)} ${describeErrorRate(s)}`;
  return decideRelative(
    {
      gate,
      head: rates,
      effect: differencePp,
      effectText: formatPp(differencePp),
      allowed: allowedPp,
      allowedText: `allowed ${trimNumber(allowedPp, 3)} pp`,
      pValue: test.pValue,
      threshold,
      final: ctx.endOfStep === true,
      details,
    },
    ctx,
  );
}

export function judgeLatencyIncrease(
  samples: AnalysisSamples,
  config: AnalysisConfig,
  ctx: JudgeContext,
): Verdict {
  const gate = LATENCY_INCREASE_GATE;
  const percentile = config.latencyIncreasePercentile;
  const allowedPct = config.maxLatencyIncreasePct ?? 0;
  const pair = latencyPair(samples);
  const sides = readSides(samples, pair, config, ctx);
  const base = { ...sides.base, percentile, allowedPct };
  const early = checkSample(gate, samples, pair, config, ctx, { ...sides, base });
  if (early) return early;
  const tl = latencySeries(pair.target, percentile);
  const sl = latencySeries(pair.stable, percentile);
  const tv = windowLatency(tl);
  const sv = windowLatency(sl);
  if (tv === undefined || sv === undefined) {
    const who =
      tv === undefined
        ? `version ${ctx.targetVersion}`
        : `${stableLabel(samples)} version ${ctx.stableVersion}`;
    const summary = `no Duration ${percentile} reported for ${who} yet`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'no-latency-data' }, ctx);
  }
  const threshold = alphaAt(config.confidence, ctx);
  const test = testSlowShare(pair.target, pair.stable, percentile, sv);
  const increasePct = sv > 0 ? (tv / sv - 1) * 100 : tv > 0 ? Number.POSITIVE_INFINITY : 0;
  const details = {
    ...base,
    targetLatencyMs: tv,
    stableLatencyMs: sv,
    increasePct: Number.isFinite(increasePct) ? increasePct : null,
    targetMinutes: tl.values,
    stableMinutes: sl.values,
    // The test: calls slower than stable's window latency (at least, for the new version;
    // expected, for stable).
    slowerThanMs: sv,
    targetSlower: test.target.slower,
    targetSlowerOf: test.target.invocations,
    stableSlowerExpected: test.stable.slower,
    stableSlowerOf: test.stable.invocations,
    test: `slow-share-${test.method}`,
    pValue: test.pValue,
    z: test.z,
  };
  const minutes = `${tl.values.length} minute${tl.values.length === 1 ? '' : 's'}`;
  const t = test.target;
  const s = test.stable;
  return decideRelative(
    {
      gate,
      head: `version ${ctx.targetVersion} ${percentile} ${formatMs(tv)} vs ${stableLabel(samples)} ${formatMs(sv)} (${minutes})`,
      effect: increasePct,
      effectText: formatChange(increasePct),
      allowed: allowedPct,
      allowedText: `allowed ${trimNumber(allowedPct, 3)}%`,
      pValue: test.pValue,
      threshold,
      final: ctx.endOfStep === true,
      evidence:
        `${formatPercent(t.slower / t.invocations)} of its calls (≥ ${t.slower}/${t.invocations}) ` +
        `slower than ${formatMs(sv)} vs ${formatPercent(s.slower / s.invocations)} of stable's`,
      details,
    },
    ctx,
  );
}

interface RelativeDecision {
  gate: string;
  /** The compared numbers, e.g. "version 7 error rate 4.8% (48/1000) vs stable 1.0% (90/9000)". */
  head: string;
  effect: number;
  effectText: string;
  allowed: number;
  allowedText: string;
  pValue: number;
  /** The p-value needed to fail at this poll. */
  threshold: number;
  /** The step's last poll (the full α), or an earlier one (α/10). */
  final: boolean;
  /** What the test counted, when that is not in `head` (shown when the effect is too large). */
  evidence?: string;
  details: Record<string, unknown>;
}

/** Within the allowed effect → pass; beyond it and significant → fail; beyond it otherwise → inconclusive. */
function decideRelative(d: RelativeDecision, ctx: JudgeContext): Verdict {
  const p = formatPValue(d.pValue);
  const evidence = d.evidence ? `: ${d.evidence}` : '';
  if (d.effect <= d.allowed + EPSILON) {
    const summary = `${d.head}, ${d.effectText} ≤ ${d.allowedText} (${p})`;
    return makeVerdict('pass', d.gate, summary, { ...d.details, reason: 'within-allowed' }, ctx);
  }
  if (d.pValue < d.threshold) {
    const summary = `${d.head}, ${d.effectText} > ${d.allowedText}, ${p}${evidence}`;
    return makeVerdict('fail', d.gate, summary, { ...d.details, reason: 'significant-increase' }, ctx);
  }
  const needs = `needs p < ${trimNumber(d.threshold, 6)}`;
  const why = d.final
    ? `not significant (${p}, ${needs})`
    : `not significant yet (${p}, ${needs} before the last poll of the step)`;
  const summary = `${d.head}, ${d.effectText} > ${d.allowedText} but ${why}${evidence}`;
  return makeVerdict('inconclusive', d.gate, summary, { ...d.details, reason: 'not-significant' }, ctx);
}
