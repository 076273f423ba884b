/**
 * One GetMetricData call per poll, however many gates read metrics: the health monitor starts
 * every gate's evaluation at once, so the reads they ask for in the same turn are merged into a
 * single call (the union of their time ranges; each gate gets back only its own queries, cut to
 * its own range). Query ids must not collide: a gate prefixes its own (the async gate's start
 * with `lsasync`). A collision, or a merged batch over GetMetricData's 500 queries, falls back to
 * separate calls rather than mix answers up.
 */
import type { MetricQuery, MetricSeries, MetricsPort } from '../ports/metrics.js';

const MAX_QUERIES = 500;
/** Microtask turns to wait for the other gates' reads: they start in the same synchronous pass. */
const GATHER_TURNS = 5;

interface Pending {
  queries: MetricQuery[];
  startMs: number;
  endMs: number;
  resolve: (series: MetricSeries[]) => void;
  reject: (error: unknown) => void;
}

export function batchMetricReads(metrics: MetricsPort): MetricsPort {
  let pending: Pending[] = [];
  const flush = async (batch: Pending[]) => {
    if (batch.length === 1 || !mergeable(batch)) {
      for (const p of batch) metrics.getMetricData(p.queries, p.startMs, p.endMs).then(p.resolve, p.reject);
      return;
    }
    const startMs = Math.min(...batch.map((p) => p.startMs));
    const endMs = Math.max(...batch.map((p) => p.endMs));
    try {
      const series = await metrics.getMetricData(
        batch.flatMap((p) => p.queries),
        startMs,
        endMs,
      );
      for (const p of batch) p.resolve(ownSeries(series, p));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };
  return {
    describeAlarms: (names) => metrics.describeAlarms(names),
    getMetricData(queries, startMs, endMs) {
      return new Promise<MetricSeries[]>((resolve, reject) => {
        pending.push({ queries, startMs, endMs, resolve, reject });
        if (pending.length > 1) return;
        afterTurns(GATHER_TURNS, () => {
          const batch = pending;
          pending = [];
          void flush(batch);
        });
      });
    },
  };
}

function mergeable(batch: Pending[]): boolean {
  const ids = batch.flatMap((p) => p.queries.map((q) => q.id));
  return ids.length <= MAX_QUERIES && new Set(ids).size === ids.length;
}

/** This reader's series, with only the datapoints inside its own range. */
function ownSeries(series: MetricSeries[], p: Pending): MetricSeries[] {
  const ids = new Set(p.queries.map((q) => q.id));
  return series
    .filter((s) => ids.has(s.id))
    .map((s) => {
      const keep = s.timestamps.map((t) => t >= p.startMs && t < p.endMs);
      return {
        ...s,
        timestamps: s.timestamps.filter((_, i) => keep[i]),
        values: s.values.filter((_, i) => keep[i]),
      };
    });
}

function afterTurns(turns: number, run: () => void): void {
  if (turns <= 0) run();
  else queueMicrotask(() => afterTurns(turns - 1, run));
}
