/**
 * The one GetMetricData request per poll, and reading its answer into per-version, per-minute
 * samples. Lambda metrics for an alias with weighted routing are split by the dimension set
 * {FunctionName, Resource=<function>:<alias>, ExecutedVersion=<n>}:
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
import type { MetricQuery, MetricSeries } from '../health-readings.js';
import { type AnalysisConfig, analysisPercentiles } from './config.js';
import { thresholdStat } from './latency-threshold.js';
import type { AnalysisSamples, MinuteSample, VersionSamples } from './samples.js';
import { slowShareLadder } from './slow-share.js';
import { type AnalysisWindows, containsMinute, MINUTE_MS, type MinuteRange } from './windows.js';

export interface AnalysisQueryInput {
  functionName: string;
  alias: string;
  targetVersion: string;
  stableVersion: string;
  /** Duration percentiles to fetch for each version (see analysisStats). */
  stats: AnalysisStats;
  /** The latency gate's fixed threshold (ms): adds `TC(T:)` per version (latency-threshold.ts). */
  thresholdMs?: number;
}

/** Duration percentile statistics per version, CloudWatch names: `p99`, `p98.5`. */
export interface AnalysisStats {
  target: readonly string[];
  stable: readonly string[];
}

type Side = 't' | 's';
const COUNTS = [
  { key: 'inv', metricName: 'Invocations' },
  { key: 'err', metricName: 'Errors' },
  { key: 'thr', metricName: 'Throttles' },
] as const;
const PERCENTILE_ID = /^([ts])_p(\d+(?:_\d+)?)$/;

/**
 * The percentiles the gates need: those of the gates (and p99 for summaries) for both versions;
 * for the new version also the ladder the latency gate's test reads (slow-share.ts).
 */
export function analysisStats(config: AnalysisConfig): AnalysisStats {
  const stable = analysisPercentiles(config);
  const ladder =
    config.maxLatencyIncreasePct === undefined ? [] : slowShareLadder(config.latencyIncreasePercentile);
  const target = [...new Set<string>([...stable, ...ladder])].sort(
    (a, b) => Number(a.slice(1)) - Number(b.slice(1)),
  );
  return { target, stable };
}

/** Query ids: `t_inv`, `t_err`, `t_thr`, `t_p99`, `t_p98_5`… for the target; `s_…` for stable. */
export function analysisQueryId(side: Side, key: 'inv' | 'err' | 'thr' | string): string {
  return `${side}_${key.replace('.', '_')}`;
}

export function buildAnalysisQueries(input: AnalysisQueryInput): MetricQuery[] {
  return [
    ...buildVersionQueries('t', input.targetVersion, input.stats.target, input),
    ...buildVersionQueries('s', input.stableVersion, input.stats.stable, input),
  ];
}

function buildVersionQueries(
  side: Side,
  version: string,
  percentiles: readonly string[],
  input: AnalysisQueryInput,
): MetricQuery[] {
  const dimensions = {
    FunctionName: input.functionName,
    Resource: `${input.functionName}:${input.alias}`,
    ExecutedVersion: version,
  };
  const base = { namespace: 'AWS/Lambda', dimensions, periodSeconds: MINUTE_MS / 1000, returnData: true };
  return [
    ...COUNTS.map((c) => ({
      ...base,
      id: analysisQueryId(side, c.key),
      metricName: c.metricName,
      stat: 'Sum',
    })),
    ...percentiles.map((p) => ({
      ...base,
      id: analysisQueryId(side, p),
      metricName: 'Duration',
      stat: p,
    })),
    ...(input.thresholdMs === undefined
      ? []
      : [
          {
            ...base,
            id: analysisQueryId(side, 'tc'),
            metricName: 'Duration',
            stat: thresholdStat(input.thresholdMs),
          },
        ]),
  ];
}

/**
 * Per-minute samples of both versions, whole minutes inside each window only (the counts and
 * the latency windows differ, see windows.ts; one series serves both, split by timestamp).
 * A minute counts for a version only when its Invocations datapoint has arrived; within such a
 * minute an absent Errors or Throttles datapoint is 0 (Lambda reports them with the invocation
 * counts), and an absent Duration percentile is simply no latency sample. Throttles are summed
 * over every minute, with or without invocations: a version throttled away has no invocations.
 */
export function readAnalysisSamples(
  series: readonly MetricSeries[],
  windows: AnalysisWindows,
): AnalysisSamples {
  const byId = new Map(series.map((s) => [s.id, s]));
  return {
    target: readVersion(byId, 't', windows.target),
    stable: readVersion(byId, 's', windows.stable),
    targetLatency: readVersion(byId, 't', windows.targetLatency),
    stableLatency: readVersion(byId, 's', windows.stableLatency),
    baseline: windows.baseline,
    ...(windows.pairing ? { pairing: windows.pairing } : {}),
  };
}

function readVersion(byId: Map<string, MetricSeries>, side: Side, range: MinuteRange): VersionSamples {
  const points = (key: string) => readPoints(byId.get(analysisQueryId(side, key)), range);
  const invocations = points('inv');
  const errors = points('err');
  const throttles = points('thr');
  const above = points('tc');
  const latency = percentileIds(byId, side).map(
    ([stat, id]) => [stat, readPoints(byId.get(id), range)] as const,
  );
  const minutes: MinuteSample[] = [...invocations.keys()]
    .sort((a, b) => a - b)
    .map((at) => ({
      at,
      invocations: invocations.get(at)!,
      errors: errors.get(at) ?? 0,
      throttles: throttles.get(at) ?? 0,
      latency: Object.fromEntries(latency.flatMap(([p, m]) => (m.has(at) ? [[p, m.get(at)!]] : []))),
      ...(above.has(at) ? { aboveThreshold: above.get(at)! } : {}),
    }));
  let throttleTotal = 0;
  for (const v of throttles.values()) throttleTotal += v;
  return { range, minutes, throttles: throttleTotal };
}

/** [statistic, query id] of the Duration percentiles answered for one version: `t_p98_5` → `p98.5`. */
function percentileIds(byId: Map<string, MetricSeries>, side: Side): [string, string][] {
  return [...byId.keys()].flatMap((id) => {
    const match = PERCENTILE_ID.exec(id);
    return match && match[1] === side ? [[`p${match[2]!.replace('_', '.')}`, id] as [string, string]] : [];
  });
}

/** Datapoints of one series inside the range, by minute; non-finite values are dropped. */
function readPoints(series: MetricSeries | undefined, range: MinuteRange): Map<number, number> {
  const points = new Map<number, number>();
  if (!series) return points;
  series.timestamps.forEach((at, i) => {
    const value = series.values[i];
    if (value !== undefined && Number.isFinite(value) && containsMinute(range, at)) points.set(at, value);
  });
  return points;
}
