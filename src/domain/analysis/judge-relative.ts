/**
 * The relative gates: is the new version worse than stable by more than allowed, AND has the
 * evidence accumulated over the whole deployment reached 1/α? Method in e-process.ts; in plain
 * words in docs/analysis.md#how-a-relative-gate-decides.
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import { type EProcessState, mixtureEProcess, PSI_GRID } from './e-process.js';
import type { ErrorPrior } from './error-prior.js';
import { formatChange, formatMs, formatPercent, formatPp, trimNumber } from './format.js';
import {
  alphaOf,
  describeLatencyWindows,
  describeWindows,
  EPSILON,
  type JudgeContext,
  makeVerdict,
  noDataVerdict,
  stableLabel,
  type WindowKind,
} from './judge-common.js';
import {
  errorEvidence,
  latencyEvidence,
  minuteSeries,
  type PairTotals,
  pairMinutes,
  totalPairs,
} from './paired-minutes.js';
import { type AnalysisSamples, totalVersion, type VersionSamples } from './samples.js';

export const ERROR_RATE_INCREASE_GATE = 'error-rate-increase';
export const LATENCY_INCREASE_GATE = 'latency-increase';

/**
 * Each relative gate's share of the false-rollback budget: α divided by the number of relative
 * gates on. Either gate's rollback ends the deployment, so with two gates each bounded at α
 * (Ville), the deployment was bounded only at 2α (measured: 0.7% of 1,000 equal-version
 * deployments of Linear10PercentEvery1Minute at α = 1%). Splitting it (a union bound; equally,
 * the rollback rule "either e-value ≥ 2/α" is implied by "their average ≥ 1/α", and an average
 * of e-processes for the same null is one — Vovk & Wang 2021, "E-values: calibration,
 * combination and applications", Annals of Statistics 49(3)) bounds the deployment by α.
 */
export function gateAlpha(config: AnalysisConfig): number {
  const on = [config.maxErrorRateIncreasePp, config.maxLatencyIncreasePct].filter(
    (v) => v !== undefined,
  ).length;
  return alphaOf(config.confidence) / Math.max(on, 1);
}

interface Pair {
  kind: WindowKind;
  target: VersionSamples;
  stable: VersionSamples;
}

function basics(
  samples: AnalysisSamples,
  pair: Pair,
  totals: PairTotals,
  config: AnalysisConfig,
  ctx: JudgeContext,
  minutes: number,
) {
  const alpha = gateAlpha(config);
  return {
    target: {
      version: ctx.targetVersion,
      invocations: totals.targetInvocations,
      errors: totals.targetErrors,
      minutesCompared: minutes,
    },
    stable: {
      version: ctx.stableVersion,
      invocations: totals.stableInvocations,
      errors: totals.stableErrors,
      minutesCompared: minutes,
    },
    confidence: config.confidence,
    alpha,
    eValueNeeded: 1 / alpha,
    minInvocations: config.minInvocations,
    ...(pair.kind === 'counts' ? describeWindows(samples) : describeLatencyWindows(samples)),
  };
}

/** Below the minimum sample, or without stable traffic, a relative gate cannot decide. */
function checkSample(
  gate: string,
  samples: AnalysisSamples,
  pair: Pair,
  totals: PairTotals,
  minutes: number,
  config: AnalysisConfig,
  ctx: JudgeContext,
  base: Record<string, unknown>,
): Verdict | undefined {
  const n = totals.targetInvocations;
  if (n === 0) {
    const t = totalVersion(pair.target);
    if (t.invocations > 0) {
      const summary = `no invocations of ${stableLabel(samples)} version ${ctx.stableVersion} reported to compare with`;
      return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'no-stable-data' }, ctx);
    }
    return noDataVerdict(gate, pair.target, t, base, ctx, pair.kind);
  }
  if (n < config.minInvocations) {
    const summary =
      `only ${n} invocation${n === 1 ? '' : 's'} of version ${ctx.targetVersion} to compare ` +
      `in ${minutes} reported minute${minutes === 1 ? '' : 's'} (the relative gates need ${config.minInvocations})`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'too-few-invocations' }, ctx);
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
  const pair: Pair = { kind: 'counts', target: samples.target, stable: samples.stable };
  const pairs = pairMinutes(pair.target, pair.stable, samples.pairing);
  const totals = totalPairs(pairs);
  const base = { ...basics(samples, pair, totals, config, ctx, pairs.length), allowedPp };
  const early = checkSample(gate, samples, pair, totals, pairs.length, config, ctx, base);
  if (early) return early;
  const e = mixtureEProcess(errorEvidence(pairs), samples.errorPrior?.grid);
  const tRate = totals.targetErrors / totals.targetInvocations;
  const sRate = totals.stableErrors / totals.stableInvocations;
  const differencePp = (tRate - sRate) * 100;
  const head =
    `version ${ctx.targetVersion} error rate ${formatPercent(tRate)} (${totals.targetErrors}/${totals.targetInvocations}) ` +
    `vs ${stableLabel(samples)} ${formatPercent(sRate)} (${totals.stableErrors}/${totals.stableInvocations}) over ${plural(pairs.length, 'minute')}`;
  return decideRelative(
    {
      gate,
      head,
      effect: differencePp,
      effectText: formatPp(differencePp),
      allowed: allowedPp,
      allowedText: `allowed ${trimNumber(allowedPp, 3)} pp`,
      e,
      alpha: gateAlpha(config),
      details: {
        ...base,
        differencePp,
        ...eDetails(e),
        test: 'e-process-fisher-noncentral-mixture',
        ...priorDetails(samples.errorPrior),
        perMinute: minuteSeries(pairs),
      },
    },
    ctx,
  );
}

/** Which odds ratios the evidence was mixed over, and why (error-prior.ts). */
function priorDetails(prior: ErrorPrior | undefined): Record<string, unknown> {
  if (!prior) return { psiGrid: [...PSI_GRID], prior: 'no-baseline' };
  return {
    psiGrid: [...prior.grid],
    prior: prior.reason,
    ...(prior.baseline ? { stableBefore: prior.baseline } : {}),
    ...(prior.stableRateUpper === undefined ? {} : { stableRateUpper: prior.stableRateUpper }),
  };
}

export function judgeLatencyIncrease(
  samples: AnalysisSamples,
  config: AnalysisConfig,
  ctx: JudgeContext,
): Verdict {
  const gate = LATENCY_INCREASE_GATE;
  const percentile = config.latencyIncreasePercentile;
  const allowedPct = config.maxLatencyIncreasePct ?? 0;
  const pair: Pair = { kind: 'latency', target: samples.targetLatency, stable: samples.stableLatency };
  const pairs = pairMinutes(pair.target, pair.stable, samples.pairing);
  const totals = totalPairs(pairs);
  const base = { ...basics(samples, pair, totals, config, ctx, pairs.length), percentile, allowedPct };
  const early = checkSample(gate, samples, pair, totals, pairs.length, config, ctx, base);
  if (early) return early;
  const minutes = latencyEvidence(pairs, percentile);
  if (minutes.length === 0) {
    const summary = `no Duration ${percentile} reported for both versions in the same minutes yet`;
    return makeVerdict('inconclusive', gate, summary, { ...base, reason: 'no-latency-data' }, ctx);
  }
  let tw = 0;
  let sw = 0;
  let tn = 0;
  let sn = 0;
  let slower = 0;
  let stableAbove = 0;
  let exactMinutes = 0;
  for (const m of minutes) {
    if (m.exact) {
      exactMinutes += 1;
      stableAbove += m.stableAbove ?? 0;
    }
    tw += m.targetMs * m.targetInvocations;
    sw += m.thresholdMs * m.stableInvocations;
    tn += m.targetInvocations;
    sn += m.stableInvocations;
    slower += m.evidence.x;
  }
  const tv = tw / tn;
  const sv = sw / sn;
  const increasePct = sv > 0 ? (tv / sv - 1) * 100 : tv > 0 ? Number.POSITIVE_INFINITY : 0;
  const e = mixtureEProcess(minutes.map((m) => m.evidence));
  return decideRelative(
    {
      gate,
      head: `version ${ctx.targetVersion} ${percentile} ${formatMs(tv)} vs ${stableLabel(samples)} ${formatMs(sv)} (${plural(minutes.length, 'minute')})`,
      effect: increasePct,
      effectText: formatChange(increasePct),
      allowed: allowedPct,
      allowedText: `allowed ${trimNumber(allowedPct, 3)}%`,
      e,
      alpha: gateAlpha(config),
      evidence: describeSlower(
        minutes.length,
        exactMinutes,
        slower,
        tn,
        stableAbove,
        sn,
        samples,
        percentile,
      ),
      details: {
        ...base,
        targetLatencyMs: tv,
        stableLatencyMs: sv,
        increasePct: Number.isFinite(increasePct) ? increasePct : null,
        targetMinutes: minutes.map((m) => m.targetMs),
        stableMinutes: minutes.map((m) => m.thresholdMs),
        targetSlower: slower,
        targetSlowerOf: tn,
        ...eDetails(e),
        ...(samples.thresholdMs === undefined ? {} : { thresholdMs: samples.thresholdMs }),
        exactMinutes,
        test:
          exactMinutes === minutes.length
            ? 'e-process-threshold-count-mixture'
            : exactMinutes > 0
              ? 'e-process-threshold-count-and-order-statistic-mixture'
              : 'e-process-order-statistic-mixture',
      },
    },
    ctx,
  );
}

/** What the latency evidence counted: exact counts above the fixed T, or the ladder's lower bound. */
function describeSlower(
  minutes: number,
  exact: number,
  slower: number,
  tn: number,
  stableAbove: number,
  sn: number,
  samples: AnalysisSamples,
  percentile: string,
): string {
  const share = `${formatPercent(slower / tn)} of its calls`;
  if (exact === minutes && samples.thresholdMs !== undefined) {
    return `${share} (${slower}/${tn}) slower than ${formatMs(samples.thresholdMs)} (stable's p99 before the deployment) vs ${formatPercent(stableAbove / sn)} of stable's`;
  }
  return `${share} (≥ ${slower}/${tn}) slower than stable's ${percentile} of the same minute`;
}

function eDetails(e: EProcessState): Record<string, unknown> {
  return {
    eValue: Math.exp(e.logE),
    logEValue: e.logE,
    bestOddsRatio: e.bestPsi,
    minutesOfEvidence: e.minutes,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "e = 340", "e = 2.1", "e = 1.2e+6". */
export function formatEValue(e: number): string {
  if (!Number.isFinite(e)) return 'e = ∞';
  if (e >= 1e5) return `e = ${e.toExponential(1)}`;
  return `e = ${e >= 10 ? e.toFixed(0) : trimNumber(e, 2)}`;
}

interface RelativeDecision {
  gate: string;
  head: string;
  effect: number;
  effectText: string;
  allowed: number;
  allowedText: string;
  e: EProcessState;
  alpha: number;
  evidence?: string;
  details: Record<string, unknown>;
}

/**
 * Within the allowed effect → pass; beyond it with evidence e ≥ 1/α → fail; beyond it with less
 * evidence → inconclusive (keep collecting: the evidence keeps what it has across steps).
 */
function decideRelative(d: RelativeDecision, ctx: JudgeContext): Verdict {
  const needed = 1 / d.alpha;
  const eText = `evidence ${formatEValue(Math.exp(d.e.logE))} of ${trimNumber(needed, 0)} needed`;
  const evidence = d.evidence ? `: ${d.evidence}` : '';
  if (d.effect <= d.allowed + EPSILON) {
    const summary = `${d.head}, ${d.effectText} ≤ ${d.allowedText} (${eText})`;
    return makeVerdict('pass', d.gate, summary, { ...d.details, reason: 'within-allowed' }, ctx);
  }
  if (d.e.logE >= Math.log(needed) - EPSILON) {
    const summary = `${d.head}, ${d.effectText} > ${d.allowedText}, ${eText}${evidence}`;
    return makeVerdict('fail', d.gate, summary, { ...d.details, reason: 'significant-increase' }, ctx);
  }
  const summary = `${d.head}, ${d.effectText} > ${d.allowedText} but not significant yet (${eText})${evidence}`;
  return makeVerdict('inconclusive', d.gate, summary, { ...d.details, reason: 'not-significant' }, ctx);
}
