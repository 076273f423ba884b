/**
 * The relative gates: is the new version worse than stable by more than allowed, AND is that
 * statistically significant? Hypotheses in docs/analysis.md#statistics.
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import { formatChange, formatMs, formatPp, formatPValue, trimNumber } from './format.js';
import {
  alphaOf,
  describeErrorRate,
  describeVersion,
  describeWindows,
  EPSILON,
  type JudgeContext,
  makeVerdict,
  noDataVerdict,
  stableLabel,
} from './judge-common.js';
import { mannWhitneyGreater, mannWhitneyMinPValue } from './rank-test.js';
import {
  type AnalysisSamples,
  latencySeries,
  totalVersion,
  type VersionTotals,
  windowLatency,
} from './samples.js';
import { testProportionIncrease } from './statistics.js';

export const ERROR_RATE_INCREASE_GATE = 'error-rate-increase';
export const LATENCY_INCREASE_GATE = 'latency-increase';

interface Sides {
  t: VersionTotals;
  s: VersionTotals;
  base: Record<string, unknown>;
}

function readSides(samples: AnalysisSamples, config: AnalysisConfig, ctx: JudgeContext): Sides {
  const t = totalVersion(samples.target);
  const s = totalVersion(samples.stable);
  const base = {
    target: describeVersion(ctx.targetVersion, t),
    stable: describeVersion(ctx.stableVersion, s),
    confidence: config.confidence,
    alpha: alphaOf(config.confidence),
    minInvocations: config.minInvocations,
    ...describeWindows(samples),
  };
  return { t, s, base };
}

/** Below the minimum sample, or without stable traffic, a relative gate cannot decide. */
function checkSample(
  gate: string,
  samples: AnalysisSamples,
  config: AnalysisConfig,
  ctx: JudgeContext,
  sides: Sides,
): Verdict | undefined {
  const { t, s, base } = sides;
  if (t.invocations === 0) return noDataVerdict(gate, samples, t, base, ctx);
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
  const sides = readSides(samples, config, ctx);
  const early = checkSample(gate, samples, config, ctx, { ...sides, base: { ...sides.base, allowedPp } });
  if (early) return early;
  const { t, s } = sides;
  const alpha = alphaOf(config.confidence);
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
      alpha,
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
  const sides = readSides(samples, config, ctx);
  const base = { ...sides.base, percentile, allowedPct };
  const early = checkSample(gate, samples, config, ctx, { ...sides, base });
  if (early) return early;
  const tl = latencySeries(samples.target, percentile);
  const sl = latencySeries(samples.stable, percentile);
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
  const alpha = alphaOf(config.confidence);
  const test = mannWhitneyGreater(tl.values, sl.values);
  const minPValue = mannWhitneyMinPValue(tl.values.length, sl.values.length);
  const increasePct = sv > 0 ? (tv / sv - 1) * 100 : tv > 0 ? Number.POSITIVE_INFINITY : 0;
  const details = {
    ...base,
    targetLatencyMs: tv,
    stableLatencyMs: sv,
    increasePct: Number.isFinite(increasePct) ? increasePct : null,
    targetMinutes: tl.values,
    stableMinutes: sl.values,
    test: `mann-whitney-${test.method}`,
    u: test.u,
    pValue: test.pValue,
    minPValue,
  };
  const counts = `${tl.values.length} vs ${sl.values.length} minutes`;
  return decideRelative(
    {
      gate,
      head: `version ${ctx.targetVersion} ${percentile} ${formatMs(tv)} vs ${stableLabel(samples)} ${formatMs(sv)} (${counts})`,
      effect: increasePct,
      effectText: formatChange(increasePct),
      allowed: allowedPct,
      allowedText: `allowed ${trimNumber(allowedPct, 3)}%`,
      pValue: test.pValue,
      alpha,
      // With too few minutes even a perfect separation is not significant: say so.
      unreachable:
        minPValue >= alpha
          ? `${counts} cannot reach p < ${trimNumber(alpha, 4)} (the rank test needs more whole minutes)`
          : undefined,
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
  alpha: number;
  unreachable?: string;
  details: Record<string, unknown>;
}

/** Within the allowed effect → pass; beyond it and significant → fail; beyond it otherwise → inconclusive. */
function decideRelative(d: RelativeDecision, ctx: JudgeContext): Verdict {
  const p = formatPValue(d.pValue);
  if (d.effect <= d.allowed + EPSILON) {
    const summary = `${d.head}, ${d.effectText} ≤ ${d.allowedText} (${p})`;
    return makeVerdict('pass', d.gate, summary, { ...d.details, reason: 'within-allowed' }, ctx);
  }
  if (d.pValue < d.alpha) {
    const summary = `${d.head}, ${d.effectText} > ${d.allowedText}, ${p}`;
    return makeVerdict('fail', d.gate, summary, { ...d.details, reason: 'significant-increase' }, ctx);
  }
  const why = d.unreachable ?? `not significant (${p}, needs p < ${trimNumber(d.alpha, 4)})`;
  const summary = `${d.head}, ${d.effectText} > ${d.allowedText} but ${why}`;
  return makeVerdict('inconclusive', d.gate, summary, { ...d.details, reason: 'not-significant' }, ctx);
}
