/**
 * Configuration of the canary analysis gate (docs/analysis.md): what a checked `AnalysisConfig`
 * holds, its defaults, and the input it is resolved from (config-resolve.ts turns flag or
 * config-file values into one).
 */

export const LATENCY_PERCENTILES = ['p50', 'p90', 'p99'] as const;
export type LatencyPercentile = (typeof LATENCY_PERCENTILES)[number];

export interface LatencyLimit {
  percentile: LatencyPercentile;
  ms: number;
}

export interface AnalysisConfig {
  /** Absolute gate: highest error rate of the new version, a fraction (0.01 = 1%). Off when absent. */
  maxErrorRate?: number;
  /** Absolute gate: highest latency of the new version at one percentile. Off when absent. */
  maxLatency?: LatencyLimit;
  /** Absolute gate: most throttles of the new version in the window. Off when absent. */
  maxThrottles?: number;
  /** Relative gate: allowed error-rate increase over stable, in percentage points. Off when absent. */
  maxErrorRateIncreasePp?: number;
  /** Relative gate: allowed latency increase over stable, in percent. Off when absent. */
  maxLatencyIncreasePct?: number;
  /** Percentile the relative latency gate compares. */
  latencyIncreasePercentile: LatencyPercentile;
  /** Confidence of the relative gates' tests; α = 1 − confidence. */
  confidence: number;
  /** Invocations the new version needs in the window before the relative gates may decide. */
  minInvocations: number;
  /** What the engine does when a step ends inconclusive. */
  onInconclusive: 'continue' | 'fail';
  /** Treat a failing metrics API as `inconclusive` instead of `error`. */
  ignoreMetricErrors: boolean;
}

/** Defaults and why: docs/analysis.md#defaults. Absolute gates are off until set. */
export const DEFAULT_ANALYSIS_CONFIG: Readonly<AnalysisConfig> = Object.freeze({
  maxErrorRateIncreasePp: 0.5,
  maxLatencyIncreasePct: 20,
  latencyIncreasePercentile: 'p99',
  confidence: 0.99,
  minInvocations: 100,
  onInconclusive: 'continue',
  ignoreMetricErrors: false,
});

/** A value as it comes from a flag or a config file. */
export type Raw = string | number | boolean | null | undefined;

/**
 * Ceiling of `--min-invocations`: more calls than a 14-day bake (the longest) sees at 50,000
 * requests a minute. Above it the relative gates could never judge, and a number that large is
 * no longer exact in a double (99999999999999999999 read as 1e20).
 */
export const MAX_MIN_INVOCATIONS = 1_000_000_000;

/** Values as they come from flags or a config file. Absent means "use the default". */
export interface AnalysisConfigInput {
  maxErrorRate?: Raw;
  maxP50?: Raw;
  maxP90?: Raw;
  maxP99?: Raw;
  maxThrottles?: Raw;
  /** `0.5pp`, `0.5%`, `0.5`, or `off`. */
  maxErrorRateIncrease?: Raw;
  /** `20%`, `20`, `20%@p90`, or `off`. */
  maxLatencyIncrease?: Raw;
  confidence?: Raw;
  minInvocations?: Raw;
  onInconclusive?: Raw;
  ignoreMetricErrors?: Raw;
}

/**
 * The flag of an option (`maxP99` → `--max-p99`): the options are declared once, in the CLI's
 * schema (src/cli/option-schema.ts), whose keys are these names in kebab case.
 */
export function analysisFlag(key: keyof AnalysisConfigInput): string {
  return `--${key.replace(/[A-Z0-9]+/g, (m) => `-${m.toLowerCase()}`)}`;
}

/**
 * Where each value came from, for errors: `--max-p99` (the default) or, for a value of the
 * config file, a name such as ``the config file’s `max-p99` ``.
 */
export type AnalysisSources = Partial<Record<keyof AnalysisConfigInput, string>>;

/** Whether any gate is on; with none, the analysis gate reads no metrics at all. */
export function hasAnalysisGates(config: AnalysisConfig): boolean {
  return (
    config.maxErrorRate !== undefined ||
    config.maxLatency !== undefined ||
    config.maxThrottles !== undefined ||
    config.maxErrorRateIncreasePp !== undefined ||
    config.maxLatencyIncreasePct !== undefined
  );
}

/** Duration percentiles to fetch: the ones the gates need, plus p99 for explanations. */
export function analysisPercentiles(config: AnalysisConfig): LatencyPercentile[] {
  const wanted = new Set<LatencyPercentile>(['p99']);
  if (config.maxLatencyIncreasePct !== undefined) wanted.add(config.latencyIncreasePercentile);
  if (config.maxLatency) wanted.add(config.maxLatency.percentile);
  return LATENCY_PERCENTILES.filter((p) => wanted.has(p));
}

/**
 * A release of `functions` functions reaches one verdict, so its false-rollback budget α is the
 * release's: each function's gates get an equal share, α / functions (a union bound — Bonferroni —
 * valid whatever the dependence between the functions; within one function judge-relative.ts
 * splits that share again between its gates). A healthy release of 100 functions then rolls back
 * with probability ≤ α, not 1 − (1 − α)^100 ≈ 63% at α = 1%.
 */
export function releaseShareOf(config: AnalysisConfig, functions: number): AnalysisConfig {
  if (functions <= 1) return config;
  return { ...config, confidence: 1 - (1 - config.confidence) / functions };
}
