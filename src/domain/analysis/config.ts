/**
 * Configuration of the canary analysis gate (docs/analysis.md). `resolveAnalysisConfig` turns
 * flag or config-file values ("1%", "800ms", 0.01, "off") into a checked `AnalysisConfig`;
 * every rejection is a UsageError naming the flag, or the config key the value came from.
 */
import { echoInput } from '../echo.js';
import { UsageError } from '../errors.js';

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

type Raw = string | number | boolean | null | undefined;

/** Values as they come from flags or a config file. Absent means "use the default". */
/**
 * Ceiling of `--min-invocations`: more calls than a 14-day bake (the longest) sees at 50,000
 * requests a minute. Above it the relative gates could never judge, and a number that large is
 * no longer exact in a double (99999999999999999999 read as 1e20).
 */
export const MAX_MIN_INVOCATIONS = 1_000_000_000;

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

const OFF_WORDS = new Set(['off', 'none', 'false', 'no', 'disabled']);

function isAbsent(v: Raw): v is undefined {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

function isOff(v: Raw): boolean {
  return v === null || v === false || (typeof v === 'string' && OFF_WORDS.has(v.trim().toLowerCase()));
}

function optional<T>(v: Raw, parse: (v: string | number | true) => T): T | undefined {
  if (isAbsent(v) || isOff(v)) return undefined;
  return parse(v as string | number | true);
}

function resolveMaxLatency(input: AnalysisConfigInput): LatencyLimit | undefined {
  const given = LATENCY_PERCENTILES.filter((p) => {
    const v = input[maxKey(p)];
    return !isAbsent(v) && !isOff(v);
  });
  if (given.length > 1) throw new LatencyGateConflict(given.map(maxKey));
  const percentile = given[0];
  if (!percentile) return undefined;
  return { percentile, ms: parseMilliseconds(maxKey(percentile), input[maxKey(percentile)]) };
}

function maxKey(p: LatencyPercentile): 'maxP50' | 'maxP90' | 'maxP99' {
  return p === 'p50' ? 'maxP50' : p === 'p90' ? 'maxP90' : 'maxP99';
}

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;

/** A number with one of the given unit suffixes (or none): returns [value, unit]. */
function readNumber(
  key: keyof AnalysisConfigInput,
  v: Raw,
  units: string[],
  example: string,
): [number, string] {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return [v, ''];
  if (typeof v === 'string') {
    const match = new RegExp(`^${NUMBER}\\s*(${units.join('|')})?$`, 'i').exec(v.trim());
    // 400 digits read as Infinity: a gate that can never fire, or `null` in the message.
    const n = Number(match?.[1]);
    if (match && Number.isFinite(n)) return [n, (match[2] ?? '').toLowerCase()];
  }
  throw invalid(key, v, example);
}

function parseFraction(key: keyof AnalysisConfigInput, v: Raw): number {
  const example = 'a percentage like 1% or a fraction like 0.01';
  const [n, unit] = readNumber(key, v, ['%'], example);
  const fraction = unit === '%' ? fromPercent(n) : n;
  if (fraction > 1) {
    throw invalid(key, v, example, `a bare number is a fraction; write ${n}% if you meant ${n} percent`);
  }
  return fraction;
}

/** 99.9 → 0.999, not 0.9990000000000001. */
function fromPercent(n: number): number {
  return Number((n / 100).toPrecision(12));
}

function parseErrorRateIncrease(v: string | number | true): number {
  // Percentage points: "0.5pp"; "0.5%" is read the same way because that is what people type.
  const [pp] = readNumber('maxErrorRateIncrease', v, ['pp', '%'], 'percentage points like 0.5pp');
  if (pp > 100) throw invalid('maxErrorRateIncrease', v, 'percentage points between 0 and 100');
  return pp;
}

function parseLatencyIncrease(v: Raw): { pct: number; percentile: LatencyPercentile } | undefined {
  if (isOff(v)) return undefined;
  const example = 'a percentage like 20% (optionally for a percentile: 20%@p90)';
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const [amount, at] = text.split('@');
  const percentile =
    at === undefined ? DEFAULT_ANALYSIS_CONFIG.latencyIncreasePercentile : at.trim().toLowerCase();
  if (!isPercentile(percentile)) throw invalid('maxLatencyIncrease', v, example);
  const [pct] = readNumber('maxLatencyIncrease', amount, ['%'], example);
  return { pct, percentile };
}

function isPercentile(p: string): p is LatencyPercentile {
  return (LATENCY_PERCENTILES as readonly string[]).includes(p);
}

function parseMilliseconds(key: keyof AnalysisConfigInput, v: Raw): number {
  const [n, unit] = readNumber(key, v, ['ms', 's'], 'a duration like 800ms or 1.5s');
  const ms = unit === 's' ? n * 1000 : n;
  if (ms <= 0) throw invalid(key, v, 'a duration above zero like 800ms');
  return ms;
}

function parseCount(key: keyof AnalysisConfigInput, v: Raw, min: number, max?: number): number {
  const expected =
    max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  const [n] = readNumber(key, v, [], expected);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) throw invalid(key, v, expected);
  return n;
}

function parseConfidence(v: Raw): number {
  const example = 'a confidence like 99% or 0.99 (between 50% and 100%, exclusive)';
  const [n, unit] = readNumber('confidence', v, ['%'], example);
  const c = unit === '%' || n > 1 ? fromPercent(n) : n;
  if (!(c > 0.5 && c < 1)) throw invalid('confidence', v, example);
  return c;
}

function parseOnInconclusive(v: Raw): 'continue' | 'fail' {
  const text = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (text === 'continue' || text === 'fail') return text;
  throw invalid('onInconclusive', v, 'continue or fail');
}

function parseBoolean(key: keyof AnalysisConfigInput, v: Raw): boolean {
  if (typeof v === 'boolean') return v;
  const text = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(key, v, 'true or false');
}

/** A refused value, named by its key until resolveAnalysisConfig knows where it came from. */
class InvalidValue extends Error {
  constructor(
    readonly key: keyof AnalysisConfigInput,
    readonly value: Raw,
    readonly expected: string,
    readonly why?: string,
  ) {
    super(`${key}: invalid`);
  }
}

class LatencyGateConflict extends InvalidValue {
  constructor(readonly keys: (keyof AnalysisConfigInput)[]) {
    super(keys[0]!, undefined, '');
  }
}

function invalid(key: keyof AnalysisConfigInput, v: Raw, expected: string, why?: string): InvalidValue {
  return new InvalidValue(key, v, expected, why);
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
