/**
 * Pieces every gate of the canary judge shares: the context, verdict construction, and the
 * "no data is never a pass" verdict.
 */
import type { Verdict, VerdictOutcome } from '../verdict.js';
import { formatPercent, formatRange } from './format.js';
import type { AnalysisSamples, VersionSamples, VersionTotals } from './samples.js';
import type { MinuteRange } from './windows.js';

export interface JudgeContext {
  targetVersion: string;
  stableVersion: string;
  /** Clock time of the evaluation, epoch ms (becomes Verdict.at). */
  now: number;
  /** True on the last poll of a step or of the bake (the evidence needs no special look there). */
  endOfStep?: boolean;
}

/** α = 1 − confidence, without float noise (1 − 0.99 is 0.010000000000000009). */
export function alphaOf(confidence: number): number {
  return Number((1 - confidence).toPrecision(12));
}

/** Comparisons of measured numbers with thresholds tolerate float noise (1.5% − 1.0% = 0.5 pp). */
export const EPSILON = 1e-9;

export function makeVerdict(
  outcome: VerdictOutcome,
  gate: string,
  summary: string,
  details: Record<string, unknown>,
  ctx: JudgeContext,
): Verdict {
  return { outcome, gate, summary, details: { gate, ...details }, at: ctx.now };
}

export function describeVersion(version: string, t: VersionTotals): Record<string, unknown> {
  return {
    version,
    invocations: t.invocations,
    errors: t.errors,
    errorRate: t.invocations > 0 ? t.errors / t.invocations : null,
    throttles: t.throttles,
    minutesReported: t.minutes,
    windowMinutes: t.windowMinutes,
  };
}

/** The count gates' windows: the new version's minutes, and the bake baseline when there is one. */
export function describeWindows(samples: AnalysisSamples): Record<string, unknown> {
  return {
    window: rangeDetails(samples.target.range),
    ...(samples.baseline ? { baselineWindow: rangeDetails(samples.stable.range) } : {}),
  };
}

/** The latency gates' windows: the new version's minutes and the stable version's series. */
export function describeLatencyWindows(samples: AnalysisSamples): Record<string, unknown> {
  return {
    window: rangeDetails(samples.targetLatency.range),
    stableWindow: rangeDetails(samples.stableLatency.range),
  };
}

function rangeDetails(range: MinuteRange): { start: string; end: string } {
  return { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() };
}

/** "4.8% (48/1000)". */
export function describeErrorRate(t: VersionTotals): string {
  return `${formatPercent(t.errors / t.invocations)} (${t.errors}/${t.invocations})`;
}

/** How the stable side is named in summaries. */
export function stableLabel(samples: AnalysisSamples): string {
  return samples.baseline ? 'stable before the deployment' : 'stable';
}

/** Which window a gate judges: counts start at the weight change, latency one whole minute later. */
export type WindowKind = 'counts' | 'latency';

/**
 * Why there is nothing to judge yet: no whole minute, or no invocations reported in them.
 * `samples` is the window of the gate: the count window, or the (one minute shorter) latency one.
 */
export function describeNoData(
  samples: VersionSamples,
  t: VersionTotals,
  ctx: JudgeContext,
  kind: WindowKind = 'counts',
): string {
  if (t.windowMinutes === 0) {
    return kind === 'counts'
      ? `no whole minute has ended since the deployment started; nothing to judge yet`
      : `no whole minute after the deployment started has ended yet (latency skips the minute it started in); nothing to judge yet`;
  }
  return (
    `no invocations of version ${ctx.targetVersion} reported for ${formatRange(samples.range)} ` +
    `(${t.windowMinutes} whole minute${t.windowMinutes === 1 ? '' : 's'}); CloudWatch metrics can arrive minutes late`
  );
}

export function noDataVerdict(
  gate: string,
  samples: VersionSamples,
  t: VersionTotals,
  details: Record<string, unknown>,
  ctx: JudgeContext,
  kind: WindowKind = 'counts',
): Verdict {
  return makeVerdict(
    'inconclusive',
    gate,
    describeNoData(samples, t, ctx, kind),
    { ...details, reason: 'no-data' },
    ctx,
  );
}
