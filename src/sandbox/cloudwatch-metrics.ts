/**
 * GetMetricData and GetMetricStatistics over the sandbox's metrics. Periods without data are
 * absent; results come newest first unless ScanBy=TimestampAscending, as in CloudWatch.
 */
import { cloudWatchErrors } from './api-error.js';
import { customMetricUnit, readDimensions } from './custom-metrics.js';
import { BASIC_STATS, computeStatistic, isSupportedStat, percentileOf } from './distribution.js';
import { LAMBDA_NAMESPACE, lambdaUnit } from './lambda-metrics.js';
import {
  evaluateExpression,
  MathError,
  type MathNode,
  parseExpression,
  referencedIds,
  type Series,
} from './metric-math.js';
import { queryAnchor, queryPeriodDists, queryStatPoints } from './metric-query.js';
import type { Sandbox } from './sandbox.js';
import type { MetricQueryData } from './types.js';

const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

export function getMetricData(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const queries = readQueries(input.MetricDataQueries, 'MetricDataQueries');
  const { startMs, endMs } = readRange(input);
  const results = evaluateQueries(sb, queries, startMs, endMs, sb.simNow());
  const ascending = input.ScanBy === 'TimestampAscending';
  const MetricDataResults = queries
    .filter((q) => q.ReturnData !== false)
    .map((q) => {
      const series = [...(results.get(q.Id) ?? new Map()).entries()].sort((a, b) =>
        ascending ? a[0] - b[0] : b[0] - a[0],
      );
      return {
        Id: q.Id,
        Label: q.Label ?? (q.MetricStat ? q.MetricStat.Metric.MetricName : q.Id),
        Timestamps: series.map(([ts]) => ts / 1000),
        Values: series.map(([, v]) => v),
        StatusCode: 'Complete',
        Messages: [],
      };
    });
  return { MetricDataResults, Messages: [] };
}

/** Every query's series (metric stats and expressions), as of `asOfMs`. */
export function evaluateQueries(
  sb: Sandbox,
  queries: MetricQueryData[],
  startMs: number,
  endMs: number,
  asOfMs: number,
): Map<string, Series> {
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const parsed = new Map<string, MathNode>();
  for (const q of queries) {
    if (q.Expression === undefined) continue;
    try {
      parsed.set(q.Id, parseExpression(q.Expression));
    } catch (error) {
      throw cloudWatchErrors.invalidParameter(`Error in expression '${q.Id}': ${(error as Error).message}`);
    }
  }
  const results = new Map<string, Series>();
  const resolving = new Set<string>();
  const resolve = (id: string): Series => {
    const done = results.get(id);
    if (done) return done;
    const query = byId.get(id);
    if (!query) throw new MathError(`Unrecognized query id ${id}`);
    if (resolving.has(id)) throw new MathError(`Circular reference to ${id}`);
    resolving.add(id);
    const series = query.MetricStat ? statSeries(sb, query, startMs, endMs, asOfMs) : expressionSeries(query);
    resolving.delete(id);
    results.set(id, series);
    return series;
  };
  const expressionSeries = (query: MetricQueryData): Series => {
    const node = parsed.get(query.Id)!;
    const period = query.Period ?? expressionPeriod(node, byId);
    const value = evaluateExpression(node, { resolve, periods: () => periodStarts(startMs, endMs, period) });
    return value instanceof Map ? value : new Map();
  };
  for (const q of queries) {
    try {
      resolve(q.Id);
    } catch (error) {
      if (error instanceof MathError) {
        throw cloudWatchErrors.invalidParameter(`Error in expression '${q.Id}': ${error.message}`);
      }
      throw error;
    }
  }
  return results;
}

function statSeries(
  sb: Sandbox,
  query: MetricQueryData,
  startMs: number,
  endMs: number,
  asOfMs: number,
): Series {
  const stat = query.MetricStat!;
  const spec = {
    namespace: stat.Metric.Namespace,
    metricName: stat.Metric.MetricName,
    dimensions: stat.Metric.Dimensions ?? [],
  };
  const points = queryStatPoints(sb, spec, stat.Stat, stat.Period, startMs, endMs, asOfMs);
  return new Map(points.map((p) => [p.ts, p.value]));
}

function expressionPeriod(node: MathNode, byId: Map<string, MetricQueryData>): number {
  const periods = referencedIds(node)
    .map((id) => byId.get(id))
    .map((q) => q?.MetricStat?.Period ?? q?.Period)
    .filter((p): p is number => p !== undefined);
  return periods.length > 0 ? Math.min(...periods) : 60;
}

function periodStarts(startMs: number, endMs: number, periodSeconds: number): number[] {
  const out: number[] = [];
  const cap = 100_800;
  for (
    let ts = queryAnchor(startMs, periodSeconds);
    ts < endMs && out.length < cap;
    ts += periodSeconds * 1000
  )
    out.push(ts);
  return out;
}

export function getMetricStatistics(sb: Sandbox, input: Record<string, unknown>): Record<string, unknown> {
  const namespace = requireString(input.Namespace, 'Namespace');
  const metricName = requireString(input.MetricName, 'MetricName');
  const dimensions = readDimensions(input.Dimensions, 'Dimensions');
  const period = readPeriod(input.Period, 'Period');
  const { startMs, endMs } = readRange(input);
  const statistics = Array.isArray(input.Statistics) ? (input.Statistics as string[]) : [];
  const extended = Array.isArray(input.ExtendedStatistics) ? (input.ExtendedStatistics as string[]) : [];
  if (statistics.length === 0 && extended.length === 0) {
    throw cloudWatchErrors.missingParameter('Statistics or ExtendedStatistics');
  }
  for (const s of statistics) {
    if (!(BASIC_STATS as readonly string[]).includes(s)) {
      throw cloudWatchErrors.invalidParameter(
        `The parameter Statistics.member contains an invalid statistic: ${s}.`,
      );
    }
  }
  for (const s of extended) {
    if (percentileOf(s) === undefined) {
      throw cloudWatchErrors.invalidParameter(
        `The parameter ExtendedStatistics.member contains an invalid statistic: ${s}.`,
      );
    }
  }
  const requested = Math.ceil((endMs - queryAnchor(startMs, period)) / (period * 1000));
  if (requested > 1440) {
    throw cloudWatchErrors.combination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const unit =
    namespace === LAMBDA_NAMESPACE
      ? lambdaUnit(metricName)
      : (customMetricUnit(sb, namespace, metricName, dimensions) ?? 'None');
  const dists = queryPeriodDists(
    sb,
    { namespace, metricName, dimensions },
    period,
    startMs,
    endMs,
    sb.simNow(),
  );
  const Datapoints = dists.map(({ ts, dist }) => {
    const point: Record<string, unknown> = { Timestamp: ts / 1000, Unit: unit };
    for (const s of statistics) point[s] = computeStatistic(dist, s);
    if (extended.length > 0) {
      point.ExtendedStatistics = Object.fromEntries(extended.map((s) => [s, computeStatistic(dist, s)]));
    }
    return point;
  });
  return { Label: metricName, Datapoints };
}

/** Validates MetricDataQueries (GetMetricData, metric-math alarms). */
export function readQueries(raw: unknown, field: string): MetricQueryData[] {
  if (!Array.isArray(raw) || raw.length === 0) throw cloudWatchErrors.missingParameter(field);
  if (raw.length > 500) {
    throw cloudWatchErrors.invalidParameter(`The collection ${field} must not have a size greater than 500.`);
  }
  const seen = new Set<string>();
  return raw.map((q: Record<string, unknown>, i) => {
    const at = `${field}.member.${i + 1}`;
    const id = requireString(q?.Id, `${at}.Id`);
    if (!ID_PATTERN.test(id)) {
      throw cloudWatchErrors.invalidParameter(
        `The value ${id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (seen.has(id))
      throw cloudWatchErrors.invalidParameter(`The value ${id} for parameter ${at}.Id is a duplicate.`);
    seen.add(id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw cloudWatchErrors.combination(
        `Exactly one element of the MetricStat or the Expression field in ${at} must be specified.`,
      );
    }
    const query: MetricQueryData = { Id: id };
    if (typeof q.Label === 'string') query.Label = q.Label;
    if (typeof q.ReturnData === 'boolean') query.ReturnData = q.ReturnData;
    if (q.Period !== undefined) query.Period = readPeriod(q.Period, `${at}.Period`);
    if (q.Expression !== undefined) query.Expression = requireString(q.Expression, `${at}.Expression`);
    else query.MetricStat = readMetricStat(q.MetricStat as Record<string, unknown>, `${at}.MetricStat`);
    return query;
  });
}

function readMetricStat(
  raw: Record<string, unknown>,
  at: string,
): NonNullable<MetricQueryData['MetricStat']> {
  const metric = (raw?.Metric ?? {}) as Record<string, unknown>;
  const stat = requireString(raw?.Stat, `${at}.Stat`);
  if (!isSupportedStat(stat)) {
    throw cloudWatchErrors.invalidParameter(
      `The value ${stat} for parameter ${at}.Stat is not a statistic the sandbox supports (SampleCount, Sum, Average, Minimum, Maximum, pNN).`,
    );
  }
  return {
    Metric: {
      Namespace: requireString(metric.Namespace, `${at}.Metric.Namespace`),
      MetricName: requireString(metric.MetricName, `${at}.Metric.MetricName`),
      Dimensions: readDimensions(metric.Dimensions, `${at}.Metric.Dimensions`),
    },
    Period: readPeriod(raw.Period, `${at}.Period`),
    Stat: stat,
    ...(typeof raw.Unit === 'string' ? { Unit: raw.Unit } : {}),
  };
}

export function readPeriod(raw: unknown, field: string): number {
  if (raw === undefined) throw cloudWatchErrors.missingParameter(field);
  const ok =
    typeof raw === 'number' &&
    Number.isInteger(raw) &&
    ([1, 5, 10, 30].includes(raw) || (raw >= 60 && raw % 60 === 0));
  if (!ok) {
    throw cloudWatchErrors.invalidParameter(
      `The parameter ${field} must be 1, 5, 10, 30 or a multiple of 60, got ${String(raw)}.`,
    );
  }
  return raw as number;
}

function readRange(input: Record<string, unknown>): { startMs: number; endMs: number } {
  if (typeof input.StartTime !== 'number') throw cloudWatchErrors.missingParameter('StartTime');
  if (typeof input.EndTime !== 'number') throw cloudWatchErrors.missingParameter('EndTime');
  const startMs = input.StartTime * 1000;
  const endMs = input.EndTime * 1000;
  if (startMs >= endMs) {
    throw cloudWatchErrors.invalidParameter(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  }
  return { startMs, endMs };
}

export function requireString(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw === '') throw cloudWatchErrors.missingParameter(field);
  return raw;
}
