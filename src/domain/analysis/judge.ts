/**
 * The canary judge: one verdict per enabled gate, from per-minute samples of the new and the
 * stable version. Pure: the engine's analysis gate (src/engine/analysis-gate.ts) reads the
 * samples and hands them here.
 */
import type { Verdict } from '../verdict.js';
import type { AnalysisConfig } from './config.js';
import { judgeMaxErrorRate, judgeMaxLatency, judgeMaxThrottles } from './judge-absolute.js';
import type { JudgeContext } from './judge-common.js';
import { judgeErrorRateIncrease, judgeLatencyIncrease } from './judge-relative.js';
import type { AnalysisSamples } from './samples.js';

export type { JudgeContext } from './judge-common.js';

export function judgeCanary(samples: AnalysisSamples, config: AnalysisConfig, ctx: JudgeContext): Verdict[] {
  const verdicts: Verdict[] = [];
  if (config.maxErrorRateIncreasePp !== undefined)
    verdicts.push(judgeErrorRateIncrease(samples, config, ctx));
  if (config.maxLatencyIncreasePct !== undefined) verdicts.push(judgeLatencyIncrease(samples, config, ctx));
  if (config.maxErrorRate !== undefined) verdicts.push(judgeMaxErrorRate(samples, config.maxErrorRate, ctx));
  if (config.maxLatency !== undefined) verdicts.push(judgeMaxLatency(samples, config.maxLatency, ctx));
  if (config.maxThrottles !== undefined) verdicts.push(judgeMaxThrottles(samples, config.maxThrottles, ctx));
  return verdicts;
}
