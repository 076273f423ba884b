/**
 * As few CloudWatch calls per poll as the APIs allow, however many gates and functions read:
 * the reads started together are merged — GetMetricData into ⌈queries / 500⌉ calls
 * (src/domain/metric-call-plan.ts: ids made unique, results mapped back, each reader's series
 * cut to its own range), DescribeAlarms into one read of every name, which the adapter sends as
 * ⌈names / 100⌉ calls; DescribeAlarmHistory, one alarm a call, FLAP_READ_CONCURRENCY at once
 * for all readers together. A single function's gates start their reads in the same synchronous
 * pass, so a few microtask turns gather them (one GetMetricData call per poll). A release's
 * functions each poll on their own timer (on one grid); `gather` waits up to that long on the
 * clock for the others, or until as many have come as last time.
 */
import { type MetricRead, type PlannedCall, planMetricCalls } from '../domain/metric-call-plan.js';
import type { Clock } from '../ports/clock.js';
import type { AlarmState, MetricQuery, MetricSeries, MetricsPort } from '../ports/metrics.js';
import { FLAP_READ_CONCURRENCY } from './alarm-history-reader.js';
import { createLimit } from './bounded.js';

/** Microtask turns to wait for the other gates' reads: they start in the same synchronous pass. */
const GATHER_TURNS = 5;

export interface BatchOptions {
  /** Wait this long (clock time) for other readers before sending: a release's functions. */
  gather?: { clock: Clock; ms: number };
}

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}
type MetricPending = Pending<MetricSeries[]> & MetricRead;
type AlarmPending = Pending<AlarmState[]> & { names: string[] };

export function batchMetricReads(metrics: MetricsPort, opts: BatchOptions = {}): MetricsPort {
  const metricReads = gatherer<MetricPending>(opts, (batch) => flushMetrics(metrics, batch));
  const alarmReads = gatherer<AlarmPending>(opts, (batch) => flushAlarms(metrics, batch));
  const historyReads = createLimit(FLAP_READ_CONCURRENCY);
  return {
    describeAlarms: (names) => new Promise((resolve, reject) => alarmReads({ names, resolve, reject })),
    // One alarm per call (the API takes one name), and only after a state change: not batched,
    // but limited across every gate reading through this port (a release's functions), as the
    // quota is the account's (alarm-history-reader.ts).
    describeAlarmHistory: (name, startMs, endMs) =>
      historyReads(() => metrics.describeAlarmHistory(name, startMs, endMs)),
    getMetricData: (queries, startMs, endMs) =>
      new Promise((resolve, reject) => metricReads({ queries, startMs, endMs, resolve, reject })),
  };
}

/**
 * Collects what arrives until the gather window closes, then hands the batch to `flush`. With a
 * window (a release), a round's reads go at once when as many have come as in the last round: a
 * release's functions poll on one grid (health-monitor.ts), so a poll's reads are all there
 * within moments, and waiting out the window would add it to every poll — the last poll of each
 * level included, which the next level waits for. Reads that come later in the round go when
 * the window closes, which also counts the round (fewer or more functions polling).
 */
function gatherer<P>(opts: BatchOptions, flush: (batch: P[]) => Promise<void>): (p: P) => void {
  let pending: P[] = [];
  /** Reads in the last round; whether a round is open, and how many of its reads went already. */
  let expected = 0;
  let open = false;
  let sent = 0;
  const send = () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) void flush(batch);
  };
  return (p) => {
    pending.push(p);
    const gather = opts.gather;
    if (!gather) {
      if (pending.length === 1) afterTurns(GATHER_TURNS, send);
      return;
    }
    if (!open) {
      open = true;
      sent = 0;
      const close = () => {
        expected = sent + pending.length;
        open = false;
        send();
      };
      gather.clock.sleep(gather.ms).then(close, close);
    }
    if (sent === 0 && expected > 1 && pending.length >= expected) {
      sent = pending.length;
      send();
    }
  };
}

async function flushMetrics(metrics: MetricsPort, batch: MetricPending[]): Promise<void> {
  if (batch.length === 1) {
    const only = batch[0]!;
    metrics.getMetricData([...only.queries], only.startMs, only.endMs).then(only.resolve, only.reject);
    return;
  }
  const calls = planMetricCalls(batch);
  const results = await Promise.allSettled(calls.map((call) => sendCall(metrics, call)));
  // Which calls serve each reader, and each reader's series: indexed once, not searched per
  // reader (300 readers × 6 calls × 500 queries a poll for 100 functions).
  const callsOf = batch.map((): number[] => []);
  calls.forEach((call, i) => {
    for (const read of new Set(call.queries.map((q) => q.read))) callsOf[read]!.push(i);
  });
  const seriesOf = batch.map((): TaggedSeries[] => []);
  for (const r of results) if (r.status === 'fulfilled') for (const s of r.value) seriesOf[s.read]!.push(s);
  batch.forEach((reader, index) => {
    const failed = callsOf[index]!.map((i) => results[i]!).find((r) => r.status === 'rejected');
    if (failed) {
      reader.reject(failed.reason);
      return;
    }
    reader.resolve(ownSeries(seriesOf[index]!, reader));
  });
}

type TaggedSeries = MetricSeries & { read: number; ownId: string };

/** One planned call; its series tagged with the reader and the id that reader asked for. */
async function sendCall(metrics: MetricsPort, call: PlannedCall): Promise<TaggedSeries[]> {
  const series = await metrics.getMetricData(
    call.queries.map((q) => q.query),
    call.startMs,
    call.endMs,
  );
  const byId = new Map(call.queries.map((q) => [q.query.id, q]));
  return series.flatMap((s) => {
    const q = byId.get(s.id);
    return q ? [{ ...s, read: q.read, ownId: q.ownId }] : [];
  });
}

/** This reader's series under its own ids, in its query order, with only its own range. */
function ownSeries(series: TaggedSeries[], p: MetricRead): MetricSeries[] {
  const mine = new Map(series.map((s) => [s.ownId, s]));
  return p.queries.flatMap((q: MetricQuery) => {
    const s = mine.get(q.id);
    if (!s) return [];
    const keep = s.timestamps.map((t) => t >= p.startMs && t < p.endMs);
    return [
      {
        id: q.id,
        status: s.status,
        timestamps: s.timestamps.filter((_, i) => keep[i]),
        values: s.values.filter((_, i) => keep[i]),
      },
    ];
  });
}

async function flushAlarms(metrics: MetricsPort, batch: AlarmPending[]): Promise<void> {
  if (batch.length === 1) {
    const only = batch[0]!;
    metrics.describeAlarms(only.names).then(only.resolve, only.reject);
    return;
  }
  const names = [...new Set(batch.flatMap((p) => p.names))];
  try {
    const states = await metrics.describeAlarms(names);
    for (const p of batch) {
      const wanted = new Set(p.names);
      p.resolve(states.filter((s) => wanted.has(s.name)));
    }
  } catch (error) {
    for (const p of batch) p.reject(error);
  }
}

function afterTurns(turns: number, run: () => void): void {
  if (turns <= 0) run();
  else queueMicrotask(() => afterTurns(turns - 1, run));
}
