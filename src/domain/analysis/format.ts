/**
 * Number formatting for verdict summaries: short, unambiguous, the same everywhere.
 */
import type { Verdict } from '../verdict.js';
import type { MinuteRange } from './windows.js';

/** 0.048 → "4.8%", 0.01 → "1.0%", 0.0005 → "0.05%", 0 → "0%". */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  return `${pct.toFixed(Math.abs(pct) >= 1 ? 1 : 2)}%`;
}

/** Signed percentage points: 4 → "+4.0 pp", 0.25 → "+0.3 pp", -0.04 → "-0.04 pp". */
export function formatPp(pp: number): string {
  const text = pp.toFixed(Math.abs(pp) >= 0.1 || pp === 0 ? 1 : 2);
  return `${pp >= 0 ? '+' : ''}${text} pp`;
}

/** Signed percent change: 50 → "+50%". */
export function formatChange(pct: number): string {
  if (!Number.isFinite(pct)) return pct > 0 ? '+∞%' : '-∞%';
  return `${pct >= 0 ? '+' : ''}${trimNumber(pct, Math.abs(pct) >= 10 ? 0 : 1)}%`;
}

/** "p < 0.001", "p = 0.012", "p = 0.38". */
export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  if (p >= 0.1) return `p = ${trimNumber(p, 2)}`;
  return `p = ${Number(p.toPrecision(2))}`;
}

/** 1234.4 → "1234 ms", 8.25 → "8.3 ms". */
export function formatMs(ms: number): string {
  return `${trimNumber(ms, ms >= 10 ? 0 : 1)} ms`;
}

/** "12:01–12:05 UTC" (the end is exclusive: the last whole minute starts at 12:04). */
export function formatRange(range: MinuteRange): string {
  return `${clock(range.start)}–${clock(range.end)} UTC`;
}

/** A plain number without trailing zeros: 0.50 → "0.5", 1 → "1". */
export function trimNumber(n: number, decimals: number): string {
  return String(Number(n.toFixed(decimals)));
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

const OUTCOME_WORDS: Record<Verdict['outcome'], string> = {
  pass: 'passed',
  fail: 'failed',
  inconclusive: 'inconclusive',
  error: 'error',
};

/** One line for logs and rollback reasons: "error-rate-increase failed: version 7 error rate …". */
export function formatVerdictReason(v: Verdict): string {
  return `${v.gate} ${OUTCOME_WORDS[v.outcome]}: ${v.summary}`;
}
