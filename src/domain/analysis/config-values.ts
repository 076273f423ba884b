/**
 * Readers of the analysis options' values ("1%", "800ms", 0.01, "off"): each returns the checked
 * number or throws InvalidValue, named by its key until config-resolve.ts knows where it came from.
 */
import {
  type AnalysisConfigInput,
  DEFAULT_ANALYSIS_CONFIG,
  LATENCY_PERCENTILES,
  type LatencyLimit,
  type LatencyPercentile,
  type Raw,
} from './config.js';

const OFF_WORDS = new Set(['off', 'none', 'false', 'no', 'disabled']);

export function isAbsent(v: Raw): v is undefined {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function isOff(v: Raw): boolean {
  return v === null || v === false || (typeof v === 'string' && OFF_WORDS.has(v.trim().toLowerCase()));
}

export function optional<T>(v: Raw, parse: (v: string | number | true) => T): T | undefined {
  if (isAbsent(v) || isOff(v)) return undefined;
  return parse(v as string | number | true);
}

export function resolveMaxLatency(input: AnalysisConfigInput): LatencyLimit | undefined {
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

export function parseFraction(key: keyof AnalysisConfigInput, v: Raw): number {
  const example = 'a percentage like 1% or a fraction like 0.01';
  const [n, unit] = readNumber(key, v, ['%'], example);
  const fraction = unit === '%' ? fromPercent(n) : n;
  if (fraction > 1) {
    // `101%`: the hint said "write 101% if you meant 101 percent" of what was typed (hostile pass).
    const why =
      unit === '%'
        ? 'a rate cannot be more than 100%'
        : `a bare number is a fraction; write ${n}% if you meant ${n} percent`;
    throw invalid(key, v, example, why);
  }
  // A bare `1` was 100% (and `0.5` 50%): a gate that never fails, the version promoted whatever
  // its errors (found by a hostile pass: `--max-error-rate 1` promoted 38.5% errors, exit 0). A
  // bare number of 0.1 or more is refused as ambiguous; a percentage says what it means.
  if (unit !== '%' && fraction >= 0.1) {
    const asPercent = fromPercent(n * 10_000);
    throw invalid(
      key,
      v,
      example,
      `a bare number is a fraction, so ${n} would allow ${asPercent}% errors; write ${n}% if you meant ${n} percent, or ${asPercent}% if you meant that`,
    );
  }
  return fraction;
}

/** 99.9 → 0.999, not 0.9990000000000001. */
function fromPercent(n: number): number {
  return Number((n / 100).toPrecision(12));
}

export function parseErrorRateIncrease(v: string | number | true): number {
  // Percentage points: "0.5pp"; "0.5%" is read the same way because that is what people type.
  const [pp] = readNumber('maxErrorRateIncrease', v, ['pp', '%'], 'percentage points like 0.5pp');
  if (pp > 100) throw invalid('maxErrorRateIncrease', v, 'percentage points between 0 and 100');
  return pp;
}

export function parseLatencyIncrease(v: Raw): { pct: number; percentile: LatencyPercentile } | undefined {
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

export function parseMilliseconds(key: keyof AnalysisConfigInput, v: Raw): number {
  const [n, unit] = readNumber(key, v, ['ms', 's'], 'a duration like 800ms or 1.5s');
  const ms = unit === 's' ? n * 1000 : n;
  if (ms <= 0) throw invalid(key, v, 'a duration above zero like 800ms');
  return ms;
}

export function parseCount(key: keyof AnalysisConfigInput, v: Raw, min: number, max?: number): number {
  const expected =
    max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  const [n] = readNumber(key, v, [], expected);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) throw invalid(key, v, expected);
  return n;
}

export function parseConfidence(v: Raw): number {
  const example = 'a confidence like 99% or 0.99 (between 50% and 100%, exclusive)';
  const [n, unit] = readNumber('confidence', v, ['%'], example);
  const c = unit === '%' || n > 1 ? fromPercent(n) : n;
  if (!(c > 0.5 && c < 1)) throw invalid('confidence', v, example);
  return c;
}

export function parseOnInconclusive(v: Raw): 'continue' | 'fail' {
  const text = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (text === 'continue' || text === 'fail') return text;
  throw invalid('onInconclusive', v, 'continue or fail');
}

export function parseBoolean(key: keyof AnalysisConfigInput, v: Raw): boolean {
  if (typeof v === 'boolean') return v;
  const text = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(key, v, 'true or false');
}

/** A refused value, named by its key until resolveAnalysisConfig knows where it came from. */
export class InvalidValue extends Error {
  constructor(
    readonly key: keyof AnalysisConfigInput,
    readonly value: Raw,
    readonly expected: string,
    readonly why?: string,
  ) {
    super(`${key}: invalid`);
  }
}

export class LatencyGateConflict extends InvalidValue {
  constructor(readonly keys: (keyof AnalysisConfigInput)[]) {
    super(keys[0]!, undefined, '');
  }
}

function invalid(key: keyof AnalysisConfigInput, v: Raw, expected: string, why?: string): InvalidValue {
  return new InvalidValue(key, v, expected, why);
}
