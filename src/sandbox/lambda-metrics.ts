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

/**
 * The metric's samples in one minute as CloudWatch shows them at `asOfMs` (late, and possibly
 * partial: Sandbox.metricVisibility), or undefined when nothing is visible or Lambda would
 * publish nothing.
 */
export function lambdaMinuteDist(
  sb: Sandbox,
  metricName: string,
  dimensions: Record<string, string>,
  minuteMs: number,
  asOfMs: number,
): Dist | undefined {
  if (isAsyncMetric(metricName)) return asyncDist(sb, metricName, dimensions, minuteMs, asOfMs);
  if (!(LAMBDA_METRICS as readonly string[]).includes(metricName)) return undefined;
  const minute = minuteCells(sb, dimensions, minuteMs, asOfMs);
  if (!minute) return undefined;
  // Polls read the same minutes again and again: build each distribution once per cached minute.
  let byKey = distMemo.get(minute);
  if (!byKey) {
    byKey = new Map();
    distMemo.set(minute, byKey);
  }
  const key = `${Object.keys(dimensions).sort().join(',')}|${dimensions.Resource}|${dimensions.ExecutedVersion}|${metricName}`;
  if (byKey.has(key)) return byKey.get(key) ?? undefined;
  const cells = selectCells(sb, dimensions, minute);
  const dist = cells && cells.length > 0 ? cellsDist(metricName, cells) : undefined;
  byKey.set(key, dist ?? null);
  return dist;
}

const distMemo = new WeakMap<TrafficCell[], Map<string, Dist | null>>();

/** Asynchronous-invocation metrics (issue 14, ./async-metrics.ts) from the same cells. */
function asyncDist(
  sb: Sandbox,
  metricName: string,
  dimensions: Record<string, string>,
  minuteMs: number,
  asOfMs: number,
): Dist | undefined {
  const minute = minuteCells(sb, dimensions, minuteMs, asOfMs);
  if (!minute) return undefined;
  const cells = selectCells(sb, dimensions, minute);
  const fn = own(sb.data.functions, dimensions.FunctionName ?? '');
  return cells && fn ? asyncMinuteDist(fn, metricName, dimensions, cells) : undefined;
}

/** The function's cells of the minute as visible at `asOfMs` (cached by the traffic cache). */
function minuteCells(
  sb: Sandbox,
  dims: Record<string, string>,
  minuteMs: number,
  asOfMs: number,
): TrafficCell[] | undefined {
  const fn = dims.FunctionName === undefined ? undefined : own(sb.data.functions, dims.FunctionName);
  if (!fn || minuteMs + MINUTE_MS <= fn.createdAtMs) return undefined;
  const visible = sb.metricVisibility(fn.name, minuteMs, asOfMs);
  if (visible <= 0) return undefined;
  // A partial minute holds the requests of its first part: a consistent subset of every metric.
  const cutoffMs = minuteMs + visible * MINUTE_MS;
  return sb.traffic.get(fn.name, minuteMs, visible, () =>
    generateMinute(sb.data, fn, minuteMs, sb.faults.versions, cutoffMs),
  );
}

function selectCells(
  sb: Sandbox,
  dims: Record<string, string>,
  cells: TrafficCell[],
): TrafficCell[] | undefined {
  const keys = Object.keys(dims).sort().join(',');
  const fn = own(sb.data.functions, dims.FunctionName ?? '');
  if (!fn) return undefined;
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
