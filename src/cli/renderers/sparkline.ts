/**
 * Per-minute pictures of the new vs the stable version, from the error gate's `perMinute`
 * series (src/domain/analysis/paired-minutes.ts): a compact sparkline for a terminal, and the
 * numbers a chart needs.
 */
import type { MinuteSeries } from '../../domain/analysis/paired-minutes.js';
import type { Verdict } from '../../domain/verdict.js';

const BARS = '▁▂▃▄▅▆▇█';

/** The per-minute series a relative verdict carries in `details.perMinute` (domain/analysis). */
export type PerMinute = MinuteSeries;

/** The per-minute series of the newest error-rate verdict that carries one. */
export function findPerMinute(verdicts: readonly Verdict[]): PerMinute | undefined {
  for (const v of [...verdicts].reverse()) {
    const series = v.details?.perMinute as PerMinute | undefined;
    if (series && Array.isArray(series.at) && series.at.length > 0) return series;
  }
  return undefined;
}

/** Error rates in percent per minute (null without invocations). */
export function errorRates(errors: number[], invocations: number[]): (number | null)[] {
  return errors.map((e, i) => ((invocations[i] ?? 0) > 0 ? (100 * e) / invocations[i]! : null));
}

/** One bar per value on a shared scale (`·` for a missing value); the last `width` values. */
export function sparkline(values: (number | null)[], max: number, width = 30): string {
  return values
    .slice(-width)
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return '·';
      const level = max > 0 ? Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 1e-9)) : 0;
      return BARS[level];
    })
    .join('');
}

function maxOf(...lists: (number | null)[][]): number {
  return Math.max(0, ...lists.flat().filter((v): v is number => v !== null && Number.isFinite(v)));
}

/**
 * Two lines under the health line:
 *   errors  new ▁▁▃▇█  stable ▁▁▁▁▁  (max 5.0%)
 *   p99     new ▃▄▄▅▅  stable ▃▃▃▃▃  (max 180 ms)
 */
export function renderSparklines(verdicts: readonly Verdict[], width = 30): string[] {
  const s = findPerMinute(verdicts);
  if (!s) return [];
  const te = errorRates(s.targetErrors, s.targetInvocations);
  const se = errorRates(s.stableErrors, s.stableInvocations);
  const eMax = maxOf(te, se);
  const pMax = maxOf(s.targetP99, s.stableP99);
  return [
    `errors  new ${sparkline(te, eMax, width)}  stable ${sparkline(se, eMax, width)}  (max ${eMax.toFixed(1)}%)`,
    `p99     new ${sparkline(s.targetP99, pMax, width)}  stable ${sparkline(s.stableP99, pMax, width)}  (max ${Math.round(pMax)} ms)`,
  ];
}
