/**
 * PutMetricData: custom metrics stored per minute (standard resolution), visible at once.
 * Values/Counts keep percentiles exact; a StatisticSet keeps count, sum, min and max exact and
 * approximates percentiles with its average.
 */
import { cloudWatchErrors } from './api-error.js';
import { type Dist, distFromCounts } from './distribution.js';
import { hasOwn, own, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { CustomMinute, DimensionData } from './types.js';

const MINUTE_MS = 60_000;
const MAX_MINUTES_PER_METRIC = 20_160; // two weeks of minutes

interface MetricDatumInput {
  MetricName?: unknown;
  Dimensions?: unknown;
  Timestamp?: unknown;
  Value?: unknown;
  Values?: unknown;
  Counts?: unknown;
  StatisticValues?: { SampleCount?: unknown; Sum?: unknown; Minimum?: unknown; Maximum?: unknown };
  Unit?: unknown;
}

export function metricKey(namespace: string, metricName: string, dimensions: DimensionData[]): string {
  const dims = [...dimensions]
    .sort((a, b) => a.Name.localeCompare(b.Name))
    .map((d) => `${d.Name}=${d.Value}`);
  return [namespace, metricName, ...dims].join('\u0000');
}

export function putMetricData(sb: Sandbox, input: Record<string, unknown>): void {
  const namespace = input.Namespace;
  if (typeof namespace !== 'string' || namespace === '') throw cloudWatchErrors.missingParameter('Namespace');
  if (namespace.startsWith('AWS/')) {
    throw cloudWatchErrors.invalidParameter(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  const data = input.MetricData;
  if (!Array.isArray(data) || data.length === 0) throw cloudWatchErrors.missingParameter('MetricData');
  if (data.length > 1000) {
    throw cloudWatchErrors.invalidParameter(
      'The collection MetricData must not have a size greater than 1000.',
    );
  }
  const now = sb.simNow();
  data.forEach((datum: MetricDatumInput, i) => {
    storeDatum(sb, namespace, datum, i + 1, now);
  });
  sb.markDirty();
}

function storeDatum(
  sb: Sandbox,
  namespace: string,
  datum: MetricDatumInput,
  index: number,
  now: number,
): void {
  const field = `MetricData.member.${index}`;
  if (typeof datum.MetricName !== 'string' || datum.MetricName === '') {
    throw cloudWatchErrors.missingParameter(`${field}.MetricName`);
  }
  const dimensions = readDimensions(datum.Dimensions, `${field}.Dimensions`);
  const at = typeof datum.Timestamp === 'number' ? datum.Timestamp * 1000 : now;
  const pairs = samplesOf(datum, field);
  const key = metricKey(namespace, datum.MetricName, dimensions);
  if (!hasOwn(sb.data.customMetrics, key)) {
    setOwn(sb.data.customMetrics, key, {
      namespace,
      metricName: datum.MetricName,
      dimensions,
      unit: typeof datum.Unit === 'string' ? datum.Unit : undefined,
      minutes: {},
    });
  }
  const metric = own(sb.data.customMetrics, key)!;
  const minute = String(Math.floor(at / MINUTE_MS) * MINUTE_MS);
  metric.minutes[minute] ??= { count: 0, sum: 0, min: Number.MAX_VALUE, max: -Number.MAX_VALUE, values: [] };
  const entry = metric.minutes[minute];
  addSamples(entry, pairs.samples, pairs.exact);
  pruneOldMinutes(metric.minutes);
}

function samplesOf(
  datum: MetricDatumInput,
  field: string,
): { samples: [number, number][]; exact?: CustomMinute } {
  const given = [datum.Value !== undefined, datum.Values !== undefined, datum.StatisticValues !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw cloudWatchErrors.combination(
      `${field} must contain exactly one of Value, Values or StatisticValues.`,
    );
  }
  if (datum.Value !== undefined) return { samples: [[finite(datum.Value, `${field}.Value`), 1]] };
  if (datum.Values !== undefined) {
    const values = Array.isArray(datum.Values) ? datum.Values : [];
    const counts = Array.isArray(datum.Counts) ? datum.Counts : values.map(() => 1);
    if (counts.length !== values.length) {
      throw cloudWatchErrors.combination(`${field}: Values and Counts must have the same number of items.`);
    }
    return {
      samples: values.map((v, i) => [finite(v, `${field}.Values`), finite(counts[i], `${field}.Counts`)]),
    };
  }
  const stats = datum.StatisticValues ?? {};
  const count = finite(stats.SampleCount, `${field}.StatisticValues.SampleCount`);
  const sum = finite(stats.Sum, `${field}.StatisticValues.Sum`);
  const exact = {
    count,
    sum,
    min: finite(stats.Minimum, `${field}.StatisticValues.Minimum`),
    max: finite(stats.Maximum, `${field}.StatisticValues.Maximum`),
    values: [],
  };
  return { samples: count > 0 ? [[sum / count, count]] : [], exact };
}

function addSamples(entry: CustomMinute, samples: [number, number][], exact?: CustomMinute): void {
  for (const [value, weight] of samples) {
    entry.values.push(value, weight);
    if (!exact) {
      entry.count += weight;
      entry.sum += value * weight;
      entry.min = Math.min(entry.min, value);
      entry.max = Math.max(entry.max, value);
    }
  }
  if (exact) {
    entry.count += exact.count;
    entry.sum += exact.sum;
    entry.min = Math.min(entry.min, exact.min);
    entry.max = Math.max(entry.max, exact.max);
  }
}

/** Stored minutes of a custom metric within [startMs, endMs), as distributions. */
export function customMinuteDists(
  sb: Sandbox,
  namespace: string,
  metricName: string,
  dimensions: DimensionData[],
  startMs: number,
  endMs: number,
): [number, Dist][] {
  const metric = own(sb.data.customMetrics, metricKey(namespace, metricName, dimensions));
  if (!metric) return [];
  const out: [number, Dist][] = [];
  for (const [minute, entry] of Object.entries(metric.minutes)) {
    const at = Number(minute);
    if (at < startMs || at >= endMs || entry.count <= 0) continue;
    const pairs: [number, number][] = [];
    for (let i = 0; i < entry.values.length; i += 2) pairs.push([entry.values[i]!, entry.values[i + 1]!]);
    out.push([
      at,
      { ...distFromCounts(pairs), count: entry.count, sum: entry.sum, min: entry.min, max: entry.max },
    ]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

export function customMetricUnit(
  sb: Sandbox,
  namespace: string,
  metricName: string,
  dims: DimensionData[],
): string | undefined {
  return own(sb.data.customMetrics, metricKey(namespace, metricName, dims))?.unit;
}

export function readDimensions(raw: unknown, field: string): DimensionData[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw cloudWatchErrors.invalidParameter(`The parameter ${field} must be a list.`);
  if (raw.length > 30)
    throw cloudWatchErrors.invalidParameter(`The collection ${field} must not have a size greater than 30.`);
  return raw.map((d: { Name?: unknown; Value?: unknown }, i) => {
    if (typeof d?.Name !== 'string' || d.Name === '')
      throw cloudWatchErrors.missingParameter(`${field}.member.${i + 1}.Name`);
    if (typeof d.Value !== 'string')
      throw cloudWatchErrors.missingParameter(`${field}.member.${i + 1}.Value`);
    return { Name: d.Name, Value: d.Value };
  });
}

function finite(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw cloudWatchErrors.invalidParameter(`The value ${String(raw)} for parameter ${field} is invalid.`);
  }
  return raw;
}

function pruneOldMinutes(minutes: Record<string, CustomMinute>): void {
  const keys = Object.keys(minutes);
  if (keys.length <= MAX_MINUTES_PER_METRIC) return;
  const sorted = keys.map(Number).sort((a, b) => a - b);
  for (const key of sorted.slice(0, keys.length - MAX_MINUTES_PER_METRIC)) delete minutes[String(key)];
}
