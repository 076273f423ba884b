/**
 * The canary analysis gate: at each poll, ONE GetMetricData call for both versions, then the
 * pure judge (src/domain/analysis/judge.ts). It never throws: an unreadable signal is an
 * `error` verdict (or `inconclusive` with --ignore-metric-errors), never a pass.
 */
import { type AnalysisConfig, hasAnalysisGates } from '../domain/analysis/config.js';
import {
  baselineErrorsQuery,
  type ErrorPrior,
  errorPrior,
  readBaselineErrors,
} from '../domain/analysis/error-prior.js';
import { judgeCanary } from '../domain/analysis/judge.js';
import {
  baselineCountQuery,
  baselineQuery,
  baselineRange,
  readBaselineThreshold,
} from '../domain/analysis/latency-threshold.js';
import { analysisStats, buildAnalysisQueries, readAnalysisSamples } from '../domain/analysis/queries.js';
import type { AnalysisSamples } from '../domain/analysis/samples.js';
import { DATA_THROUGH_KEY } from '../domain/analysis/settle.js';
import { percentileLevel } from '../domain/analysis/slow-share.js';
import {
  type AnalysisWindows,
  isEmptyRange,
  MINUTE_MS,
  type MinuteRange,
  planAnalysisWindows,
} from '../domain/analysis/windows.js';
import { isLshiftError } from '../domain/errors.js';
import { describeFailedSeries, findFailedSeries } from '../domain/health-readings.js';
import type { Verdict } from '../domain/verdict.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { HealthGate, HealthWindow } from './health-gate.js';

export const ANALYSIS_GATE_NAME = 'analysis';

export function createAnalysisGate(metrics: MetricsPort, config: AnalysisConfig): HealthGate {
  // What is fixed once from the 15 minutes before the deployment: the latency gate's threshold T
  // (latency-threshold.ts; until it is known the latency gate uses the percentile-ladder bound)
  // and the error gate's prior (error-prior.ts).
  const fixed: FixedBeforeData = {};
  return {
    name: ANALYSIS_GATE_NAME,
    readsMetrics: hasAnalysisGates(config),
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      if (!hasAnalysisGates(config)) return [];
      const read = await readSamples(metrics, config, window, fixed);
      if ('failure' in read) return [metricErrorVerdict(config, window, read.failure)];
      const ctx = {
        targetVersion: window.targetVersion,
        stableVersion: window.stableVersion,
        now: window.now,
        endOfStep: window.endOfStep,
      };
      try {
        // Every verdict says how far the data reach (null: nothing yet), for the settle wait.
        const through = latestDataEnd(read.samples) ?? null;
        const verdicts = judgeCanary(read.samples, config, ctx);
        return verdicts.map((v) => ({ ...v, details: { ...v.details, [DATA_THROUGH_KEY]: through } }));
      } catch (error) {
        return [internalErrorVerdict(window, error)];
      }
    },
  };
}

type Read = { samples: AnalysisSamples } | { failure: unknown };

interface FixedBeforeData {
  /** The latency gate's threshold T. */
  ms?: number;
  /** The baseline had too few calls for T (latency-threshold.ts): not asked for again. */
  thin?: boolean;
  /**
   * The error gate's prior, fixed from the first answer (error-prior.ts): from the minutes before
   * the deployment only, and never changed afterwards, so the evidence stays one test martingale.
   */
  errorPrior?: ErrorPrior;
}

async function readSamples(
  metrics: MetricsPort,
  config: AnalysisConfig,
  window: HealthWindow,
  fixed: FixedBeforeData,
): Promise<Read> {
  const windows = planAnalysisWindows(window);
  // Before the first whole minute ends there is nothing to ask for (CloudWatch rejects an empty
  // time range); the judge turns the empty samples into `inconclusive`, never `pass`.
  if (isEmptyRange(windows.target)) return { samples: emptySamples(windows) };
  const thresholdMs = fixed.ms;
  // Until T and the error prior are fixed, the same single call also asks for the 15 minutes
  // before the deployment (a few more series and an earlier start; the judge reads only its own
  // windows).
  const wantBaseline = thresholdMs === undefined && !fixed.thin && config.maxLatencyIncreasePct !== undefined;
  const wantErrorBaseline =
    fixed.errorPrior === undefined && config.maxErrorRateIncreasePp !== undefined && !window.bakes;
  const queries = [
    ...buildAnalysisQueries({
      ...window,
      stats: analysisStats(config),
      ...(thresholdMs === undefined ? {} : { thresholdMs }),
    }),
    ...(wantBaseline
      ? [baselineQuery(window.functionName, window.alias, config.latencyIncreasePercentile)]
      : []),
    ...(wantBaseline || wantErrorBaseline ? [baselineCountQuery(window.functionName, window.alias)] : []),
    ...(wantErrorBaseline ? [baselineErrorsQuery(window.functionName, window.alias)] : []),
  ];
  const start =
    wantBaseline || wantErrorBaseline
      ? Math.min(windows.query.start, baselineRange(window.deploymentStartedAt).start)
      : windows.query.start;
  try {
    const series = await metrics.getMetricData(queries, start, windows.query.end);
    const failed = findFailedSeries(series);
    if (failed.length > 0) return { failure: new Error(describeFailedSeries(failed)) };
    if (wantBaseline) {
      const level = percentileLevel(config.latencyIncreasePercentile);
      const read = readBaselineThreshold(series, window.deploymentStartedAt, level);
      if (read && 'ms' in read) fixed.ms = read.ms;
      if (read && 'thin' in read) fixed.thin = true;
    }
    fixed.errorPrior ??= errorPrior(
      wantErrorBaseline ? readBaselineErrors(series, window.deploymentStartedAt) : undefined,
      config.maxErrorRateIncreasePp ?? 0,
      window.bakes,
    );
    const samples = {
      ...readAnalysisSamples(series, windows),
      errorPrior: fixed.errorPrior,
    };
    return { samples: thresholdMs === undefined ? samples : { ...samples, thresholdMs } };
  } catch (error) {
    return { failure: error };
  }
}

/**
 * End of the newest minute CloudWatch has delivered for either version during the deployment
 * (the settle wait's signal; baseline minutes before the deployment do not count).
 */
function latestDataEnd(samples: AnalysisSamples): number | undefined {
  const from = samples.target.range.start;
  const ats = [...samples.target.minutes, ...samples.stable.minutes]
    .map((m) => m.at)
    .filter((at) => at >= from);
  return ats.length > 0 ? Math.max(...ats) + MINUTE_MS : undefined;
}

function emptySamples(windows: AnalysisWindows): AnalysisSamples {
  const none = (range: MinuteRange) => ({ range, minutes: [], throttles: 0 });
  return {
    target: none(windows.target),
    stable: none(windows.stable),
    targetLatency: none(windows.targetLatency),
    stableLatency: none(windows.stableLatency),
    baseline: windows.baseline,
    ...(windows.pairing ? { pairing: windows.pairing } : {}),
  };
}

function metricErrorVerdict(config: AnalysisConfig, window: HealthWindow, error: unknown): Verdict {
  const message = error instanceof Error ? error.message : String(error);
  const code = isLshiftError(error) ? error.code : undefined;
  const target = `${window.functionName}:${window.alias} (versions ${window.targetVersion} and ${window.stableVersion})`;
  const ignored = config.ignoreMetricErrors;
  const summary = ignored
    ? `could not read CloudWatch metrics for ${target}, ignored (--ignore-metric-errors): ${message}`
    : `could not read CloudWatch metrics for ${target}: ${message}`;
  return {
    outcome: ignored ? 'inconclusive' : 'error',
    gate: ANALYSIS_GATE_NAME,
    summary,
    details: { gate: ANALYSIS_GATE_NAME, reason: 'metrics-unreadable', error: message, code, ignored },
    at: window.now,
  };
}

/** A bug in the judge must not crash the shift, nor pass it: report it as an `error`. */
function internalErrorVerdict(window: HealthWindow, error: unknown): Verdict {
  const message = error instanceof Error ? error.message : String(error);
  return {
    outcome: 'error',
    gate: ANALYSIS_GATE_NAME,
    summary: `canary analysis of ${window.functionName}:${window.alias} failed: ${message}`,
    details: { gate: ANALYSIS_GATE_NAME, reason: 'analysis-failed', error: message },
    at: window.now,
  };
}
