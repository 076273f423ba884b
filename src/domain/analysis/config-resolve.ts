/**
 * `resolveAnalysisConfig` turns flag or config-file values ("1%", "800ms", 0.01, "off") into a
 * checked `AnalysisConfig` (docs/analysis.md); every rejection is a UsageError naming the flag,
 * or the config key the value came from.
 */
import { echoInput } from '../echo.js';
import { UsageError } from '../errors.js';
import {
  type AnalysisConfig,
  type AnalysisConfigInput,
  type AnalysisSources,
  analysisFlag,
  DEFAULT_ANALYSIS_CONFIG,
  MAX_MIN_INVOCATIONS,
  type Raw,
} from './config.js';
import {
  InvalidValue,
  isAbsent,
  LatencyGateConflict,
  optional,
  parseBoolean,
  parseConfidence,
  parseCount,
  parseErrorRateIncrease,
  parseFraction,
  parseLatencyIncrease,
  parseOnInconclusive,
  resolveMaxLatency,
} from './config-values.js';

export function resolveAnalysisConfig(
  input: AnalysisConfigInput = {},
  sources: AnalysisSources = {},
): AnalysisConfig {
  try {
    return resolveInput(input);
  } catch (error) {
    throw error instanceof InvalidValue ? describeInvalid(error, sources) : error;
  }
}

function resolveInput(input: AnalysisConfigInput): AnalysisConfig {
  const d = DEFAULT_ANALYSIS_CONFIG;
  const latencyIncrease = isAbsent(input.maxLatencyIncrease)
    ? { pct: d.maxLatencyIncreasePct, percentile: d.latencyIncreasePercentile }
    : parseLatencyIncrease(input.maxLatencyIncrease);
  const config: AnalysisConfig = {
    maxErrorRate: optional(input.maxErrorRate, (v) => parseFraction('maxErrorRate', v)),
    maxLatency: resolveMaxLatency(input),
    maxThrottles: optional(input.maxThrottles, (v) => parseCount('maxThrottles', v, 0)),
    maxErrorRateIncreasePp: isAbsent(input.maxErrorRateIncrease)
      ? d.maxErrorRateIncreasePp
      : optional(input.maxErrorRateIncrease, parseErrorRateIncrease),
    maxLatencyIncreasePct: latencyIncrease?.pct,
    latencyIncreasePercentile: latencyIncrease?.percentile ?? d.latencyIncreasePercentile,
    confidence: isAbsent(input.confidence) ? d.confidence : parseConfidence(input.confidence),
    minInvocations: isAbsent(input.minInvocations)
      ? d.minInvocations
      : parseCount('minInvocations', input.minInvocations, 0, MAX_MIN_INVOCATIONS),
    onInconclusive: isAbsent(input.onInconclusive)
      ? d.onInconclusive
      : parseOnInconclusive(input.onInconclusive),
    ignoreMetricErrors: isAbsent(input.ignoreMetricErrors)
      ? d.ignoreMetricErrors
      : parseBoolean('ignoreMetricErrors', input.ignoreMetricErrors),
  };
  return dropUndefined(config);
}

function describeInvalid(error: InvalidValue, sources: AnalysisSources): UsageError {
  const sourceOf = (key: keyof AnalysisConfigInput) => sources[key] ?? analysisFlag(key);
  if (error instanceof LatencyGateConflict) {
    return new UsageError(
      'ANALYSIS_FLAG_CONFLICT',
      `Only one absolute latency gate can be set, got ${error.keys.map(sourceOf).join(' and ')}.`,
      {
        hint: 'Keep one of --max-p50, --max-p90, --max-p99 (e.g. --max-p99 800ms), as a flag or a config key.',
      },
    );
  }
  const { key, value, expected, why } = error;
  const flag = analysisFlag(key);
  const source = sourceOf(key);
  const example = source.startsWith('--')
    ? `For example: lshift deploy my-function ${flag} ${exampleValue(key)}`
    : `For example, in the config file: \`${flag.slice(2)}: ${exampleValue(key) || 'true'}\``;
  return new UsageError(
    'ANALYSIS_FLAG_INVALID',
    `${source}: ${showValue(value)} is not valid; expected ${expected}.`,
    { hint: why ?? example },
  );
}

/** `"fast"`, `5`: a long text cut (echoInput), a number as written (Infinity is not `null`). */
function showValue(value: Raw): string {
  return typeof value === 'string' ? `"${echoInput(value)}"` : String(value);
}

function exampleValue(key: keyof AnalysisConfigInput): string {
  const examples: Record<keyof AnalysisConfigInput, string> = {
    maxErrorRate: '1%',
    maxP50: '200ms',
    maxP90: '500ms',
    maxP99: '800ms',
    maxThrottles: '0',
    maxErrorRateIncrease: '0.5pp',
    maxLatencyIncrease: '20%',
    confidence: '99%',
    minInvocations: '100',
    onInconclusive: 'fail',
    ignoreMetricErrors: '',
  };
  return examples[key];
}

function dropUndefined(config: AnalysisConfig): AnalysisConfig {
  return Object.fromEntries(
    Object.entries(config).filter(([, v]) => v !== undefined),
  ) as unknown as AnalysisConfig;
}
