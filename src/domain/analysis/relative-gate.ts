/**
 * What both relative gates share (judge-relative.ts): each gate's share of α, the basics of a
 * verdict, the minimum-sample check, and the decision from an effect and its evidence
 * (method in e-process.ts; in plain words docs/analysis.md#how-a-relative-gate-decides).
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import type { EProcessState } from './e-process.js';
import { trimNumber } from './format.js';
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
import type { PairTotals } from './paired-minutes.js';
import { type AnalysisSamples, totalVersion, type VersionSamples } from './samples.js';

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

export interface Pair {
  kind: WindowKind;
  target: VersionSamples;
  stable: VersionSamples;
}

/** The details every relative verdict carries: both versions' totals, α and the windows read. */
export function relativeBasics(
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
export function checkSample(
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

export function eDetails(e: EProcessState): Record<string, unknown> {
  return {
    eValue: Math.exp(e.logE),
    logEValue: e.logE,
    bestOddsRatio: e.bestPsi,
    minutesOfEvidence: e.minutes,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "e = 340", "e = 2.1", "e = 1.2e+6". */
export function formatEValue(e: number): string {
  if (!Number.isFinite(e)) return 'e = ∞';
  if (e >= 1e5) return `e = ${e.toExponential(1)}`;
  return `e = ${e >= 10 ? e.toFixed(0) : trimNumber(e, 2)}`;
}

export interface RelativeDecision {
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
export function decideRelative(d: RelativeDecision, ctx: JudgeContext): Verdict {
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
