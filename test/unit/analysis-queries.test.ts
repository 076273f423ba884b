import { describe, expect, it } from 'vitest';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import {
  analysisStats,
  buildAnalysisQueries,
  readAnalysisSamples,
} from '../../src/domain/analysis/queries.js';
import { partnerMinute, planAnalysisWindows } from '../../src/domain/analysis/windows.js';
import { describeFailedSeries, findFailedSeries, MISSING_SERIES } from '../../src/domain/health-readings.js';
import type { MetricSeries, MetricStatQuery } from '../../src/ports/metrics.js';

const T = (hhmmss: string) => Date.parse(`2030-05-01T${hhmmss}Z`);

function series(id: string, points: [string, number][], status = 'Complete'): MetricSeries {
  return { id, timestamps: points.map(([t]) => T(t)), values: points.map(([, v]) => v), status };
}

describe('analysisStats', () => {
  it("asks for the gates' percentiles for both versions, and the ladder for the new one", () => {
    expect(analysisStats(resolveAnalysisConfig())).toEqual({
      target: ['p90', 'p92', 'p94', 'p95', 'p96', 'p97', 'p98', 'p98.5', 'p99'],
      stable: ['p99'],
    });
    expect(analysisStats(resolveAnalysisConfig({ maxLatencyIncrease: '20%@p90', maxP50: '1s' }))).toEqual({
      target: ['p20', 'p40', 'p50', 'p60', 'p70', 'p80', 'p85', 'p90', 'p99'],
      stable: ['p50', 'p90', 'p99'],
    });
    expect(analysisStats(resolveAnalysisConfig({ maxLatencyIncrease: 'off' }))).toEqual({
      target: ['p99'],
      stable: ['p99'],
    });
  });
});

describe('buildAnalysisQueries', () => {
  const queries = buildAnalysisQueries({
    functionName: 'orders',
    alias: 'live',
    targetVersion: '7',
    stableVersion: '6',
    stats: { target: ['p90', 'p98.5', 'p99'], stable: ['p90', 'p99'] },
  }) as MetricStatQuery[];

  it('asks for counts and the needed Duration percentiles of both versions', () => {
    expect(queries.map((q) => `${q.id}=${q.metricName}/${q.stat}`)).toEqual([
      't_inv=Invocations/Sum',
      't_err=Errors/Sum',
      't_thr=Throttles/Sum',
      't_p90=Duration/p90',
      't_p98_5=Duration/p98.5',
      't_p99=Duration/p99',
      's_inv=Invocations/Sum',
      's_err=Errors/Sum',
      's_thr=Throttles/Sum',
      's_p90=Duration/p90',
      's_p99=Duration/p99',
    ]);
  });

  it('uses valid CloudWatch ids, per-minute periods and the ExecutedVersion dimension set', () => {
    for (const q of queries) {
      expect(q.id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
      expect(q).toMatchObject({ namespace: 'AWS/Lambda', periodSeconds: 60, returnData: true });
      expect(q.dimensions).toEqual({
        FunctionName: 'orders',
        Resource: 'orders:live',
        ExecutedVersion: q.id.startsWith('t_') ? '7' : '6',
      });
    }
  });
});

describe('planAnalysisWindows (the evidence accumulates over the whole deployment)', () => {
  it.each([
    // counts from the minute the deployment started, whatever the step; latency one whole
    // minute later; the end is the last minute that has ended
    ['11:58:40', '12:00:20', '12:05:20', '11:58:00', '11:59:00', '12:05:00'],
    // a later step does not restart the window
    ['11:58:40', '12:30:20', '12:31:20', '11:58:00', '11:59:00', '12:31:00'],
    // a start exactly on a minute boundary: no partial minute to skip
    ['12:00:00', '12:00:00', '12:03:59', '12:00:00', '12:00:00', '12:03:00'],
    // no whole minute yet: both empty
    ['12:00:10', '12:00:20', '12:00:59', '12:00:00', '12:00:00', '12:00:00'],
  ])(
    'deployment at %s, step at %s, now %s → counts [%s, end), latency [%s, end), end %s',
    (started, step, now, counts, latency, end) => {
      const w = planAnalysisWindows({
        phase: 'shift',
        stepStartedAt: T(step),
        deploymentStartedAt: T(started),
        now: T(now),
      });
      expect(w.target).toEqual({ start: T(counts), end: T(end) });
      expect(w.targetLatency).toEqual({ start: T(latency), end: T(end) });
      expect(w.stable).toEqual(w.target);
      expect(w.stableLatency).toEqual(w.targetLatency);
      expect(w.query).toEqual(w.target);
      expect(w.baseline).toBe(false);
      expect(w.pairing).toBeUndefined();
    },
  );

  it('bake: keeps the shift minutes, and pairs each bake minute with one before the deployment', () => {
    const w = planAnalysisWindows({
      phase: 'bake',
      stepStartedAt: T('12:30:10'),
      deploymentStartedAt: T('11:58:40'),
      now: T('12:41:30'),
    });
    // bake minutes 12:31…12:40 (10) pair with 11:57, 11:56, … 11:48
    expect(w.target).toEqual({ start: T('11:58:00'), end: T('12:41:00') });
    expect(w.stable).toEqual({ start: T('11:48:00'), end: T('12:41:00') });
    expect(w.query).toEqual({ start: T('11:48:00'), end: T('12:41:00') });
    expect(w.pairing).toEqual({ bakeFrom: T('12:31:00'), baselineEnd: T('11:58:00') });
    expect(partnerMinute(T('12:31:00'), w.pairing)).toBe(T('11:57:00'));
    expect(partnerMinute(T('12:40:00'), w.pairing)).toBe(T('11:48:00'));
    // the minute of the 100% write still has stable calls: compared with itself
    expect(partnerMinute(T('12:30:00'), w.pairing)).toBe(T('12:30:00'));
    expect(w.baseline).toBe(true);
  });
});

describe('readAnalysisSamples', () => {
  const shift = planAnalysisWindows({
    phase: 'shift',
    stepStartedAt: T('12:00:20'),
    deploymentStartedAt: T('12:00:10'),
    now: T('12:05:20'),
  });

  it('keeps whole minutes inside each window only', () => {
    const samples = readAnalysisSamples(
      [
        // 11:59 is before the deployment; 12:00 is the minute it started in (counts only);
        // 12:05 has not ended yet (partial)
        series('t_inv', [
          ['11:59:00', 7],
          ['12:00:00', 5],
          ['12:01:00', 10],
          ['12:04:00', 12],
          ['12:05:00', 3],
        ]),
        series('s_inv', [
          ['12:00:00', 95],
          ['12:01:00', 90],
        ]),
      ],
      shift,
    );
    expect(samples.target.minutes.map((m) => m.at)).toEqual([T('12:00:00'), T('12:01:00'), T('12:04:00')]);
    expect(samples.target.range).toEqual({ start: T('12:00:00'), end: T('12:05:00') });
    expect(samples.targetLatency.minutes.map((m) => m.at)).toEqual([T('12:01:00'), T('12:04:00')]);
    expect(samples.targetLatency.range).toEqual({ start: T('12:01:00'), end: T('12:05:00') });
    expect(samples.stable.minutes.map((m) => m.invocations)).toEqual([95, 90]);
    expect(samples.stableLatency.minutes.map((m) => m.invocations)).toEqual([90]);
  });

  it('reads every Duration percentile answered, by statistic name', () => {
    const samples = readAnalysisSamples(
      [
        series('t_inv', [['12:01:00', 100]]),
        series('t_p99', [['12:01:00', 300]]),
        series('t_p98_5', [['12:01:00', 250]]),
        series('t_p90', [['12:01:00', 200]]),
        series('s_inv', [['12:01:00', 900]]),
        series('s_p99', [['12:01:00', 280]]),
      ],
      shift,
    );
    expect(samples.targetLatency.minutes[0]?.latency).toEqual({ p99: 300, 'p98.5': 250, p90: 200 });
    expect(samples.stableLatency.minutes[0]?.latency).toEqual({ p99: 280 });
  });

  it('excludes a minute whose Invocations has not arrived, even when Errors has', () => {
    const samples = readAnalysisSamples(
      [
        series('t_inv', [['12:01:00', 100]]),
        series('t_err', [
          ['12:01:00', 2],
          ['12:02:00', 4],
        ]),
        series('t_p99', [
          ['12:01:00', 300],
          ['12:02:00', 900],
        ]),
      ],
      shift,
    );
    expect(samples.target.minutes).toEqual([
      { at: T('12:01:00'), invocations: 100, errors: 2, throttles: 0, latency: { p99: 300 } },
    ]);
  });

  it('reads absent Errors/Throttles in a reported minute as 0 and absent Duration as no sample', () => {
    const samples = readAnalysisSamples(
      [
        series('s_inv', [
          ['12:01:00', 900],
          ['12:02:00', 0],
        ]),
        series('s_p99', [['12:01:00', 250]]),
      ],
      shift,
    );
    expect(samples.stable.minutes).toEqual([
      { at: T('12:01:00'), invocations: 900, errors: 0, throttles: 0, latency: { p99: 250 } },
      { at: T('12:02:00'), invocations: 0, errors: 0, throttles: 0, latency: {} },
    ]);
  });

  it('sums Throttles over every minute, also those without invocations', () => {
    const samples = readAnalysisSamples(
      [
        series('t_inv', [['12:01:00', 10]]),
        series('t_thr', [
          ['12:01:00', 1],
          ['12:03:00', 7],
          ['12:05:00', 50],
        ]),
      ],
      shift,
    );
    expect(samples.target.throttles).toBe(8);
    expect(samples.target.minutes[0]?.throttles).toBe(1);
  });

  it('drops non-finite values and copes with series CloudWatch did not return', () => {
    const samples = readAnalysisSamples([series('t_inv', [['12:01:00', Number.NaN]])], shift);
    expect(samples.target.minutes).toEqual([]);
    expect(samples.stable.minutes).toEqual([]);
  });

  it('bake: splits one series by time into the new version and the baseline', () => {
    const bake = planAnalysisWindows({
      phase: 'bake',
      stepStartedAt: T('12:30:00'),
      deploymentStartedAt: T('12:00:30'),
      now: T('12:32:10'),
    });
    const samples = readAnalysisSamples(
      [
        series('t_inv', [
          ['12:10:00', 5],
          ['12:30:00', 40],
          ['12:31:00', 41],
        ]),
        series('s_inv', [
          ['11:57:00', 99],
          ['11:58:00', 100],
          ['11:59:00', 101],
          ['12:00:00', 102],
          ['12:31:00', 1],
        ]),
      ],
      bake,
    );
    expect(samples.baseline).toBe(true);
    // the new version: every minute since the deployment started
    expect(samples.target.minutes.map((m) => m.invocations)).toEqual([5, 40, 41]);
    // stable: the baseline minutes for bake minutes 12:30 and 12:31 (11:59, 11:58), and the
    // deployment's own minutes
    expect(samples.stable.minutes.map((m) => m.invocations)).toEqual([100, 101, 102, 1]);
    expect(samples.pairing).toEqual({ bakeFrom: T('12:30:00'), baselineEnd: T('12:00:00') });
  });
});

describe('findFailedSeries', () => {
  it('reports series CloudWatch could not deliver', () => {
    const failed = findFailedSeries([
      series('t_inv', []),
      series('t_err', [], 'InternalError'),
      series('s_inv', [], 'Forbidden'),
      series('s_err', [], 'PartialData'),
      series('t_p99', [], MISSING_SERIES),
    ]);
    expect(failed.map((s) => s.id)).toEqual(['t_err', 's_inv', 't_p99']);
    expect(describeFailedSeries(failed)).toBe(
      'CloudWatch could not deliver t_err (InternalError), s_inv (Forbidden), t_p99 (absent from its answer)',
    );
  });
});
