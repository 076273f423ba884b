/**
 * The relative gates: is the new version worse than stable by more than allowed, AND has the
 * evidence accumulated over the whole deployment reached 1/α? Method in e-process.ts; in plain
 * words in docs/analysis.md#how-a-relative-gate-decides. What the two gates share (α's split,
 * the minimum sample, the decision) is relative-gate.ts.
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import { mixtureEProcess, PSI_GRID } from './e-process.js';
import type { ErrorPrior } from './error-prior.js';
import { formatChange, formatMs, formatPercent, formatPp, trimNumber } from './format.js';
import { type JudgeContext, makeVerdict, stableLabel } from './judge-common.js';
import { errorEvidence, latencyEvidence, minuteSeries, pairMinutes, totalPairs } from './paired-minutes.js';
import {
  checkSample,
  decideRelative,
  eDetails,
  gateAlpha,
  type Pair,
  plural,
  relativeBasics,
} from './relative-gate.js';
import type { AnalysisSamples } from './samples.js';

export const ERROR_RATE_INCREASE_GATE = 'error-rate-increase';
export const LATENCY_INCREASE_GATE = 'latency-increase';

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
  const base = { ...relativeBasics(samples, pair, totals, config, ctx, pairs.length), allowedPp };
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
  const base = {
    ...relativeBasics(samples, pair, totals, config, ctx, pairs.length),
    percentile,
    allowedPct,
  };
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
