/**
 * Issue 14: the async-delivery gate rolls the new version back on its delivery failures, and
 * shares the poll's single GetMetricData call with the canary analysis (metric-batch.ts).
 */

import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { createAnalysisGate } from '../../src/engine/analysis-gate.js';
import { createAsyncGate } from '../../src/engine/async-gate.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { batchMetricReads } from '../../src/engine/metric-batch.js';
import type { MetricQuery, MetricSeries } from '../../src/ports/metrics.js';
import { canary, createWorld, request } from './world.js';

/** Answers every query with one datapoint per minute: `value(query)` or nothing. */
function answer(value: (q: MetricQuery) => number | undefined) {
  return (queries: MetricQuery[], startMs: number, endMs: number): MetricSeries[] =>
    queries.map((q) => {
      const v = value(q);
      const timestamps: number[] = [];
      if (v !== undefined) for (let t = startMs; t < endMs; t += 60_000) timestamps.push(t);
      return { id: q.id, timestamps, values: timestamps.map(() => v ?? 0), status: 'Complete' };
    });
}

function metricName(q: MetricQuery): string | undefined {
  return 'metricName' in q ? q.metricName : undefined;
}

describe('async-delivery gate', () => {
  it("rolls back when the new version's deliveries to a destination fail", async () => {
    const w = createWorld();
    w.metrics.onMetricData(
      answer((q) => {
        if (
          metricName(q) === 'DestinationDeliveryFailures' &&
          'dimensions' in q &&
          q.dimensions.ExecutedVersion === '2'
        )
          return 4;
        if (metricName(q) === 'AsyncEventsReceived') return 50;
        return undefined;
      }),
    );
    const metrics = batchMetricReads(w.metrics);
    const result = await runDeploy(
      { ...w.deps, metrics, gates: [createAsyncGate(metrics)] },
      request(canary(10, 300)),
    );
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(
      /asynchronous events of version 2 could not be delivered to a destination/,
    );
    const asked = w.metrics.callsOf('getMetricData')[0]!.args[0] as MetricQuery[];
    expect(asked.find((q) => q.id === 'lsasync_delivery')).toMatchObject({
      metricName: 'DestinationDeliveryFailures',
      dimensions: { FunctionName: 'demo', Resource: 'demo:live', ExecutedVersion: '2' },
      stat: 'Sum',
    });
    expect(asked.find((q) => q.id === 'lsasync_dropped')).toMatchObject({
      dimensions: { FunctionName: 'demo' },
    });
  });

  it('promotes when the function gets asynchronous events and none fails', async () => {
    const w = createWorld();
    w.metrics.onMetricData(answer((q) => (metricName(q) === 'AsyncEventsReceived' ? 30 : undefined)));
    const metrics = batchMetricReads(w.metrics);
    const result = await runDeploy(
      { ...w.deps, metrics, gates: [createAsyncGate(metrics)] },
      request(canary(10, 300)),
    );
    expect(result.status).toBe('promoted');
    expect(result.verdicts.some((v) => v.gate === 'async-delivery' && v.outcome === 'pass')).toBe(true);
  });

  it('reads with the canary analysis in ONE GetMetricData call per poll', async () => {
    const w = createWorld();
    w.metrics.onMetricData(answer(() => undefined));
    const metrics = batchMetricReads(w.metrics);
    const gates = [createAnalysisGate(metrics, resolveAnalysisConfig({})), createAsyncGate(metrics)];
    const result = await runDeploy({ ...w.deps, metrics, gates }, request(canary(10, 300)));
    expect(result.status).toBe('promoted');
    const calls = w.metrics.callsOf('getMetricData');
    const polls = w.sink.ofType('health.polled').length;
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(polls);
    const mixed = calls.filter((c) => {
      const ids = (c.args[0] as MetricQuery[]).map((q) => q.id);
      return ids.some((id) => id.startsWith('lsasync')) && ids.some((id) => !id.startsWith('lsasync'));
    });
    expect(mixed.length).toBeGreaterThan(0);
  });

  // An early poll's `error` stayed in the promoted result beside the later readable polls (whose
  // gate said nothing): "⚠️ error" under "✅ promoted" (found by a hostile pass).
  it('a result keeps each gate’s last poll: an early unreadable read does not outlive a readable one', async () => {
    const w = createWorld();
    let calls = 0;
    const quiet = answer(() => undefined);
    w.metrics.onMetricData((queries, start, end) => {
      calls += 1;
      if (calls === 1)
        return queries.map((q) => ({ id: q.id, timestamps: [], values: [], status: 'Forbidden' }));
      return quiet(queries, start, end);
    });
    const result = await runDeploy(
      { ...w.deps, gates: [createAsyncGate(w.metrics)] },
      request(canary(10, 300)),
    );
    expect(calls).toBeGreaterThan(1);
    expect(result.status).toBe('promoted');
    expect(result.verdicts.filter((v) => v.outcome === 'error')).toEqual([]);
  });

  it('reports an unreadable signal as an error verdict, never a pass', async () => {
    const w = createWorld();
    w.metrics.onMetricData((queries) =>
      queries.map((q) => ({ id: q.id, timestamps: [], values: [], status: 'Forbidden' })),
    );
    const gate = createAsyncGate(w.metrics);
    const verdicts = await gate.evaluate({
      functionName: 'demo',
      alias: 'live',
      stableVersion: '1',
      targetVersion: '2',
      phase: 'shift',
      stepIndex: 0,
      percent: 10,
      stepStartedAt: 0,
      deploymentStartedAt: 0,
      bakes: false,
      now: 180_000,
      endOfStep: false,
    });
    expect(verdicts).toMatchObject([{ outcome: 'error', gate: 'async-delivery' }]);
  });
});

describe('batchMetricReads', () => {
  it('merges reads started together, and gives each reader its own queries and range', async () => {
    const w = createWorld();
    w.metrics.onMetricData(answer(() => 1));
    const metrics = batchMetricReads(w.metrics);
    const q = (id: string): MetricQuery => ({
      id,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: {},
      stat: 'Sum',
      periodSeconds: 60,
    });
    const [a, b] = await Promise.all([
      metrics.getMetricData([q('a1')], 0, 120_000),
      metrics.getMetricData([q('b1'), q('b2')], 60_000, 240_000),
    ]);
    expect(w.metrics.callsOf('getMetricData')).toHaveLength(1);
    expect(w.metrics.callsOf('getMetricData')[0]!.args.slice(1)).toEqual([0, 240_000]);
    expect(a?.map((s) => [s.id, s.timestamps])).toEqual([['a1', [0, 60_000]]]);
    expect(b?.map((s) => [s.id, s.timestamps])).toEqual([
      ['b1', [60_000, 120_000, 180_000]],
      ['b2', [60_000, 120_000, 180_000]],
    ]);
  });

  it('merges readers whose query ids collide, renaming them in the call and back in the answers', async () => {
    const w = createWorld();
    w.metrics.onMetricData(answer(() => 1));
    const metrics = batchMetricReads(w.metrics);
    const q: MetricQuery = {
      id: 'same',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: {},
      stat: 'Sum',
      periodSeconds: 60,
    };
    const [a, b] = await Promise.all([
      metrics.getMetricData([q], 0, 60_000),
      metrics.getMetricData([q], 0, 60_000),
    ]);
    expect(w.metrics.callsOf('getMetricData')).toHaveLength(1);
    const sent = w.metrics.callsOf('getMetricData')[0]!.args[0] as MetricQuery[];
    expect(sent.map((s) => s.id)).toEqual(['same', 't1_same']);
    expect([a?.map((s) => s.id), b?.map((s) => s.id)]).toEqual([['same'], ['same']]);
  });
});
