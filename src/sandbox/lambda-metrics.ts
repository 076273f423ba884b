/**
 * AWS/Lambda metrics from the synthetic traffic, per minute, under the dimension sets Lambda
 * publishes for alias traffic: {FunctionName}, {FunctionName, Resource=<fn>:<alias>} and
 * {FunctionName, Resource, ExecutedVersion}. Like Lambda, nothing is published for a minute
 * without requests, `Errors` is one 0/1 sample per invocation (so its Average is the error rate)
 * and `Duration` keeps every sample (percentiles are exact).
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
import { asyncMinuteDist, isAsyncMetric } from './async-metrics.js';
import { type Dist, distFromCounts, distFromSorted, mergeDists } from './distribution.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import { generateMinute, type TrafficCell } from './traffic.js';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';
export const LAMBDA_METRICS = ['Invocations', 'Errors', 'Throttles', 'Duration'] as const;
const MINUTE_MS = 60_000;

/** Units Lambda reports, for GetMetricStatistics. */
export function lambdaUnit(metricName: string): string {
  return metricName === 'Duration' ? 'Milliseconds' : 'Count';
}

/** The metric's samples in one minute, or undefined when Lambda would publish nothing. */
export function lambdaMinuteDist(
  sb: Sandbox,
  metricName: string,
  dimensions: Record<string, string>,
  minuteMs: number,
): Dist | undefined {
  if (isAsyncMetric(metricName)) return asyncDist(sb, metricName, dimensions, minuteMs);
  if (!(LAMBDA_METRICS as readonly string[]).includes(metricName)) return undefined;
  const cells = selectCells(sb, dimensions, minuteMs);
  if (!cells || cells.length === 0) return undefined;
  return cellsDist(metricName, cells);
}

/** Asynchronous-invocation metrics (issue 14, ./async-metrics.ts) from the same cells. */
function asyncDist(sb: Sandbox, metricName: string, dimensions: Record<string, string>, minuteMs: number) {
  const cells = selectCells(sb, dimensions, minuteMs);
  const fn =
    dimensions.FunctionName === undefined ? undefined : own(sb.data.functions, dimensions.FunctionName);
  return cells && fn ? asyncMinuteDist(fn, metricName, dimensions, cells) : undefined;
}

/** Can the minute's datapoints be seen at `asOfMs` (complete, plus the ingestion delay)? */
export function isMinuteVisible(sb: Sandbox, minuteMs: number, asOfMs: number): boolean {
  return minuteMs + MINUTE_MS + sb.metricDelayMsFor(minuteMs) <= asOfMs;
}

function selectCells(sb: Sandbox, dims: Record<string, string>, minuteMs: number): TrafficCell[] | undefined {
  const keys = Object.keys(dims).sort().join(',');
  const fn = dims.FunctionName === undefined ? undefined : own(sb.data.functions, dims.FunctionName);
  if (!fn || minuteMs + MINUTE_MS <= fn.createdAtMs) return undefined;
  const cells = sb.traffic.get(fn.name, minuteMs, () =>
    generateMinute(sb.data.seed, fn, minuteMs, sb.faults.versions),
  );
  if (keys === 'FunctionName') return cells;
  const resource = dims.Resource ?? '';
  if (!resource.startsWith(`${fn.name}:`)) return undefined;
  const alias = resource.slice(fn.name.length + 1);
  if (keys === 'FunctionName,Resource') return cells.filter((c) => c.alias === alias);
  if (keys === 'ExecutedVersion,FunctionName,Resource') {
    return cells.filter((c) => c.alias === alias && c.version === dims.ExecutedVersion);
  }
  return undefined;
}

function cellsDist(metricName: string, cells: TrafficCell[]): Dist | undefined {
  const invocations = cells.reduce((n, c) => n + c.invocations, 0);
  const errors = cells.reduce((n, c) => n + c.errors, 0);
  const throttles = cells.reduce((n, c) => n + c.throttles, 0);
  switch (metricName) {
    case 'Invocations':
      return invocations > 0 ? distFromCounts([[1, invocations]]) : undefined;
    case 'Errors':
      return invocations > 0
        ? distFromCounts([
            [0, invocations - errors],
            [1, errors],
          ])
        : undefined;
    case 'Throttles':
      return invocations + throttles > 0
        ? distFromCounts([
            [0, invocations],
            [1, throttles],
          ])
        : undefined;
    case 'Duration':
      return invocations > 0
        ? mergeDists(cells.filter((c) => c.invocations > 0).map((c) => distFromSorted(c.durations)))
        : undefined;
    default:
      return undefined;
  }
}
