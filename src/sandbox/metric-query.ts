/**
 * One metric, aggregated per period: the shared core of GetMetricData, GetMetricStatistics and
 * alarm evaluation. `asOfMs` is the moment of the read, so an alarm evaluated for a past minute
 * sees only what CloudWatch would have had then (late Lambda datapoints included).
 */
import { customMinuteDists } from './custom-metrics.js';
import { computeStatistic, type Dist, mergeDists } from './distribution.js';
import { LAMBDA_NAMESPACE, lambdaMinuteDist } from './lambda-metrics.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { DimensionData } from './types.js';

const MINUTE_MS = 60_000;
/** Past this many minutes a read generates no traffic (GetMetricStatistics' own limit is 1,440 points). */
const MAX_LAMBDA_MINUTES = 30 * 1440;

export interface MetricSpec {
  namespace: string;
  metricName: string;
  dimensions: DimensionData[];
}

export interface PeriodDist {
  /** Period start, epoch ms. */
  ts: number;
  dist: Dist;
}

export interface Point {
  ts: number;
  value: number;
}

/**
 * Where a query's periods start: StartTime rounded down to the minute (to the period below one
 * minute), as CloudWatch rounds it; datapoints then fall at start + k × period.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 */
export function queryAnchor(startMs: number, periodSeconds: number): number {
  const unit = periodSeconds >= 60 ? MINUTE_MS : periodSeconds * 1000;
  return Math.floor(startMs / unit) * unit;
}

export function periodOf(anchorMs: number, ms: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return anchorMs + Math.floor((ms - anchorMs) / periodMs) * periodMs;
}

export function queryPeriodDists(
  sb: Sandbox,
  spec: MetricSpec,
  periodSeconds: number,
  startMs: number,
  endMs: number,
  asOfMs: number,
): PeriodDist[] {
  const from = queryAnchor(startMs, periodSeconds);
  const minutes =
    spec.namespace === LAMBDA_NAMESPACE
      ? lambdaMinutes(sb, spec, from, endMs, asOfMs)
      : customMinuteDists(sb, spec.namespace, spec.metricName, spec.dimensions, from, endMs).filter(
          ([at]) => at <= asOfMs,
        );
  const byPeriod = new Map<number, Dist[]>();
  for (const [at, dist] of minutes) {
    const ts = periodOf(from, at, periodSeconds);
    const list = byPeriod.get(ts) ?? [];
    list.push(dist);
    byPeriod.set(ts, list);
  }
  const out: PeriodDist[] = [];
  for (const [ts, dists] of byPeriod) {
    const dist = mergeDists(dists);
    if (dist) out.push({ ts, dist });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

export function queryStatPoints(
  sb: Sandbox,
  spec: MetricSpec,
  stat: string,
  periodSeconds: number,
  startMs: number,
  endMs: number,
  asOfMs: number,
): Point[] {
  const points: Point[] = [];
  for (const { ts, dist } of queryPeriodDists(sb, spec, periodSeconds, startMs, endMs, asOfMs)) {
    const value = computeStatistic(dist, stat);
    if (value !== undefined && Number.isFinite(value)) points.push({ ts, value });
  }
  return points;
}

function lambdaMinutes(
  sb: Sandbox,
  spec: MetricSpec,
  fromMs: number,
  endMs: number,
  asOfMs: number,
): [number, Dist][] {
  const dims = Object.fromEntries(spec.dimensions.map((d) => [d.Name, d.Value]));
  const fn = dims.FunctionName === undefined ? undefined : own(sb.data.functions, dims.FunctionName);
  if (!fn) return [];
  const first = Math.max(
    Math.floor(fromMs / MINUTE_MS) * MINUTE_MS,
    Math.floor(fn.createdAtMs / MINUTE_MS) * MINUTE_MS,
  );
  const last = Math.min(endMs, asOfMs);
  const out: [number, Dist][] = [];
  const start = Math.max(first, last - MAX_LAMBDA_MINUTES * MINUTE_MS);
  for (let at = Math.ceil(start / MINUTE_MS) * MINUTE_MS; at < last; at += MINUTE_MS) {
    if (at < fromMs) continue;
    const dist = lambdaMinuteDist(sb, spec.metricName, dims, at, asOfMs);
    if (dist) out.push([at, dist]);
  }
  return out;
}
