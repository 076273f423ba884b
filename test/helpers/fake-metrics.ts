/**
 * In-memory MetricsPort. Alarm states are scripted over clock time (`setAlarm(name, 'ALARM',
 * { at })`), reads can be made to fail (`fail({ op, nth, times })`), and every call is logged.
 */
import { OperationError } from '../../src/domain/errors.js';
import type { Clock } from '../../src/ports/clock.js';
import type {
  AlarmHistory,
  AlarmState,
  AlarmStateValue,
  MetricQuery,
  MetricSeries,
  MetricsPort,
} from '../../src/ports/metrics.js';

export type MetricsOp = 'describeAlarms' | 'describeAlarmHistory' | 'getMetricData';

export interface MetricsCall {
  op: MetricsOp;
  args: unknown[];
  at: number;
  /** Set when the call threw. */
  error?: string;
}

export interface MetricsFault {
  op: MetricsOp;
  /** 1-based index of this op's call to fail first; default: the next call. */
  nth?: number;
  /** How many calls fail (default 1; `Infinity` for always). */
  times?: number;
  error?: Error;
}

interface TimelineEntry {
  at: number;
  state: AlarmStateValue | 'DELETED';
  reason?: string;
}

interface ArmedFault {
  op: MetricsOp;
  from: number;
  remaining: number;
  error: Error;
}

export type MetricDataHandler = (queries: MetricQuery[], startMs: number, endMs: number) => MetricSeries[];

export function throttledError(operation = 'cloudwatch:DescribeAlarms'): OperationError {
  return new OperationError('THROTTLED', `AWS throttled ${operation} on alarms.`, {
    context: { action: operation },
    hint: 'Retry later.',
  });
}

export class FakeMetrics implements MetricsPort {
  readonly calls: MetricsCall[] = [];
  private readonly alarms = new Map<string, TimelineEntry[]>();
  private faults: ArmedFault[] = [];
  private readonly counts: Record<MetricsOp, number> = {
    describeAlarms: 0,
    describeAlarmHistory: 0,
    getMetricData: 0,
  };
  private metricData: MetricDataHandler = (queries) =>
    queries.map((q) => ({ id: q.id, timestamps: [], values: [], status: 'Complete' }));

  constructor(private readonly clock: Clock) {}

  /**
   * Creates (or re-scripts) an alarm with its state from now on (or from `at`). A state set for
   * the same instant as an earlier one replaces it: a test that scripts ALARM and then OK "now"
   * means OK, not an alarm that went to ALARM and back (whose history the gates read).
   */
  setAlarm(name: string, state: AlarmStateValue, opts: { at?: number; reason?: string } = {}): this {
    const at = opts.at ?? this.clock.now();
    const timeline = (this.alarms.get(name) ?? []).filter((entry) => entry.at !== at);
    timeline.push({ at, state, reason: opts.reason ?? defaultReason(state) });
    timeline.sort((a, b) => a.at - b.at);
    this.alarms.set(name, timeline);
    return this;
  }

  /** The alarm disappears from `at` (default now). */
  deleteAlarm(name: string, at?: number): this {
    const timeline = this.alarms.get(name) ?? [];
    timeline.push({ at: at ?? this.clock.now(), state: 'DELETED' });
    timeline.sort((a, b) => a.at - b.at);
    this.alarms.set(name, timeline);
    return this;
  }

  fail(fault: MetricsFault): this {
    this.faults.push({
      op: fault.op,
      from: fault.nth ?? this.counts[fault.op] + 1,
      remaining: fault.times ?? 1,
      error: fault.error ?? throttledError(),
    });
    return this;
  }

  onMetricData(handler: MetricDataHandler): this {
    this.metricData = handler;
    return this;
  }

  callsOf(op: MetricsOp): MetricsCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  async describeAlarms(names: string[]): Promise<AlarmState[]> {
    this.enter('describeAlarms', [[...names]]);
    const now = this.clock.now();
    const out: AlarmState[] = [];
    for (const name of names) {
      const entry = currentEntry(this.alarms.get(name), now);
      if (!entry || entry.state === 'DELETED') continue;
      const transitionedAt = transitionOf(this.alarms.get(name) ?? [], now);
      out.push({ name, state: entry.state, reason: entry.reason, updatedAt: entry.at, transitionedAt });
    }
    return out;
  }

  /** The scripted changes of state value in [startMs, endMs] that have happened by now. */
  async describeAlarmHistory(name: string, startMs: number, endMs: number): Promise<AlarmHistory> {
    this.enter('describeAlarmHistory', [name, startMs, endMs]);
    const now = this.clock.now();
    const transitions: AlarmHistory['transitions'] = [];
    let previous: TimelineEntry | undefined;
    for (const entry of this.alarms.get(name) ?? []) {
      if (entry.at > now) break;
      const changed = entry.state !== 'DELETED' && entry.state !== previous?.state;
      if (changed && entry.at >= startMs && entry.at <= endMs) {
        const from = previous && previous.state !== 'DELETED' ? { from: previous.state } : {};
        transitions.push({ at: entry.at, ...from, to: entry.state as AlarmStateValue, reason: entry.reason });
      }
      previous = entry;
    }
    return { transitions, complete: true };
  }

  async getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]> {
    this.enter('getMetricData', [structuredClone(queries), startMs, endMs]);
    return this.metricData(queries, startMs, endMs);
  }

  private enter(op: MetricsOp, args: unknown[]): void {
    this.counts[op]++;
    const call: MetricsCall = { op, args, at: this.clock.now() };
    this.calls.push(call);
    const fault = this.faults.find((f) => f.op === op && f.remaining > 0 && this.counts[op] >= f.from);
    if (fault) {
      fault.remaining--;
      call.error = fault.error.message;
      throw fault.error;
    }
  }
}

function currentEntry(timeline: TimelineEntry[] | undefined, now: number): TimelineEntry | undefined {
  let found: TimelineEntry | undefined;
  for (const entry of timeline ?? []) if (entry.at <= now) found = entry;
  return found;
}

/** When the current run of the same state value began (StateTransitionedTimestamp). */
function transitionOf(timeline: TimelineEntry[], now: number): number | undefined {
  let at: number | undefined;
  let state: TimelineEntry['state'] | undefined;
  for (const entry of timeline) {
    if (entry.at > now) break;
    if (entry.state !== state) at = entry.at;
    state = entry.state;
  }
  return at;
}

function defaultReason(state: AlarmStateValue): string {
  switch (state) {
    case 'ALARM':
      return 'Threshold Crossed: 1 datapoint [5.0] was greater than the threshold (1.0).';
    case 'OK':
      return 'Threshold Crossed: no datapoints were greater than the threshold (1.0).';
    case 'INSUFFICIENT_DATA':
      return 'Insufficient Data: 1 datapoint was unknown.';
  }
}
