import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../src/domain/health-readings.js';
import { type MetricRead, planMetricCalls, QUERY_ID } from '../../src/domain/metric-call-plan.js';

const stat = (id: string): MetricQuery => ({
  id,
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: { FunctionName: 'fn' },
  stat: 'Sum',
  periodSeconds: 60,
});
const expr = (id: string, expression: string): MetricQuery => ({ id, expression, periodSeconds: 60 });
/** A release's function: the same `perTarget` query ids for every one. */
const target = (perTarget: number, startMs = 0, endMs = 60_000): MetricRead => ({
  queries: Array.from({ length: perTarget }, (_, i) => stat(`q${i}`)),
  startMs,
  endMs,
});
const sizes = (reads: MetricRead[], max?: number) => planMetricCalls(reads, max).map((c) => c.queries.length);

describe('planMetricCalls: ⌈queries / 500⌉ GetMetricData calls per poll', () => {
  it.each([
    // [functions, queries each, calls]
    [1, 8, [8]],
    [62, 8, [496]],
    [63, 8, [500, 4]],
    [100, 8, [500, 300]],
    [100, 5, [500]],
    [100, 12, [500, 500, 200]],
    [250, 4, [500, 500]],
  ])('%i functions × %i queries → %j', (n, each, expected) => {
    const reads = Array.from({ length: n }, () => target(each));
    expect(sizes(reads)).toEqual(expected);
    expect(expected.length).toBe(Math.ceil((n * each) / 500));
  });

  it('every query once, ids unique and valid in each call, each mapped back to its reader and own id', () => {
    const reads = Array.from({ length: 100 }, () => target(8));
    const calls = planMetricCalls(reads);
    const all = calls.flatMap((c) => c.queries);
    expect(all).toHaveLength(800);
    for (const c of calls) {
      const ids = c.queries.map((q) => q.query.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(QUERY_ID);
    }
    const served = new Set(all.map((q) => `${q.read}/${q.ownId}`));
    expect(served.size).toBe(800);
    expect(all.find((q) => q.read === 0 && q.ownId === 'q3')!.query.id).toBe('q3');
    expect(all.find((q) => q.read === 7 && q.ownId === 'q3')!.query.id).toBe('t7_q3');
  });

  it('a renamed reader’s expressions name its renamed queries; functions stay as they are', () => {
    const withMath: MetricRead = {
      queries: [stat('errors'), stat('calls'), expr('rate', 'IF(calls > 0, 100 * errors / calls, 0)')],
      startMs: 0,
      endMs: 60_000,
    };
    const [call] = planMetricCalls([withMath, withMath]);
    const second = call!.queries.filter((q) => q.read === 1).map((q) => q.query);
    expect(second.map((q) => q.id)).toEqual(['t1_errors', 't1_calls', 't1_rate']);
    expect((second[2] as { expression: string }).expression).toBe(
      'IF(t1_calls > 0, 100 * t1_errors / t1_calls, 0)',
    );
  });

  it('a reader with expressions is never split; one without fills the call up', () => {
    const math: MetricRead = {
      queries: [stat('a'), stat('b'), expr('c', 'a + b')],
      startMs: 0,
      endMs: 1,
    };
    // max 4: the 3-query math read does not fit after 3 plain queries, so it opens the next
    // call whole; the last read's plain queries fill that call and spill into a third.
    const calls = planMetricCalls([target(3), math, target(2)], 4);
    expect(calls.map((c) => c.queries.map((q) => `${q.read}:${q.ownId}`))).toEqual([
      ['0:q0', '0:q1', '0:q2'],
      ['1:a', '1:b', '1:c', '2:q0'],
      ['2:q1'],
    ]);
    expect(sizes([target(3), target(3)], 4)).toEqual([4, 2]);
  });

  it('a reader over the limit goes alone, so the refusal is its own', () => {
    expect(sizes([target(2), target(501), target(2)])).toEqual([501, 4]);
  });

  it('each call spans the ranges of the reads in it', () => {
    const calls = planMetricCalls([target(300, 0, 60_000), target(300, 30_000, 120_000), target(300, 0, 10)]);
    expect(calls.map((c) => [c.startMs, c.endMs])).toEqual([
      [0, 120_000],
      [0, 120_000],
    ]);
  });
});
