import { describe, expect, it } from 'vitest';
import type { AnalysisConfigInput } from '../../src/domain/analysis/config.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { PSI_GRID } from '../../src/domain/analysis/e-process.js';
import { OperationError } from '../../src/domain/errors.js';
import { createAnalysisGate } from '../../src/engine/analysis-gate.js';
import type { HealthWindow } from '../../src/engine/health-gate.js';
import type {
  AlarmHistory,
  AlarmState,
  MetricQuery,
  MetricSeries,
  MetricsPort,
} from '../../src/ports/metrics.js';

const T = (hhmmss: string) => Date.parse(`2030-05-01T${hhmmss}Z`);
const MINUTE = 60_000;

/** Datapoints by query id; the fake answers like CloudWatch: only points inside [start, end). */
type Points = Record<string, Record<number, number>>;

class FakeMetrics implements MetricsPort {
  readonly calls: { queries: MetricQuery[]; startMs: number; endMs: number }[] = [];
  failWith?: Error;
  statusOf: Record<string, string> = {};

  constructor(readonly points: Points = {}) {}

  async describeAlarms(): Promise<AlarmState[]> {
    throw new Error('the analysis gate must not read alarms');
  }

  async describeAlarmHistory(): Promise<AlarmHistory> {
    throw new Error('the analysis gate must not read alarm history');
  }

  async getMetricData(queries: MetricQuery[], startMs: number, endMs: number): Promise<MetricSeries[]> {
    this.calls.push({ queries, startMs, endMs });
    if (this.failWith) throw this.failWith;
    return queries.map((q) => {
      const entries = Object.entries(this.points[q.id] ?? {})
        .map(([at, v]) => [Number(at), v] as const)
        .filter(([at]) => at >= startMs && at < endMs)
        .sort((a, b) => a[0] - b[0]);
      return {
        id: q.id,
        timestamps: entries.map(([at]) => at),
        values: entries.map(([, v]) => v),
        status: this.statusOf[q.id] ?? 'Complete',
      };
    });
  }
}

/** The same value in each of `count` minutes from `from`. */
function perMinute(from: string, count: number, value: number): Record<number, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [T(from) + i * MINUTE, value]));
}

function shiftWindow(overrides: Partial<HealthWindow> = {}): HealthWindow {
  return {
    functionName: 'orders',
    alias: 'live',
    stableVersion: '6',
    targetVersion: '7',
    phase: 'shift',
    stepIndex: 0,
    percent: 10,
    stepStartedAt: T('12:00:20'),
    deploymentStartedAt: T('11:59:50'),
    now: T('12:06:10'),
    endOfStep: false,
    bakes: false,
    ...overrides,
  };
}

function gate(metrics: MetricsPort, input: AnalysisConfigInput = {}) {
  return createAnalysisGate(metrics, resolveAnalysisConfig(input));
}

// Five whole minutes 12:01–12:05; 12:06 is still running and must be ignored.
const healthyShift: Points = {
  t_inv: { ...perMinute('12:01:00', 5, 200), [T('12:06:00')]: 50 },
  t_err: { ...perMinute('12:01:00', 5, 2), [T('12:06:00')]: 50 },
  t_p99: perMinute('12:01:00', 5, 300),
  s_inv: perMinute('12:01:00', 5, 1800),
  s_err: perMinute('12:01:00', 5, 18),
  s_p99: perMinute('12:01:00', 5, 290),
};

describe('createAnalysisGate', () => {
  it('makes exactly one GetMetricData call per evaluation, from the minute the deployment started', async () => {
    const metrics = new FakeMetrics(healthyShift);
    const g = gate(metrics);
    expect(g.name).toBe('analysis');
    await g.evaluate(shiftWindow());
    expect(metrics.calls).toHaveLength(1);
    await g.evaluate(shiftWindow({ now: T('12:07:10') }));
    expect(metrics.calls).toHaveLength(2);
    const [first] = metrics.calls;
    // No pre-deployment p99 in this fake: the baseline (15 minutes before 11:59) is asked for again.
    expect(first?.startMs).toBe(T('11:44:00'));
    expect(metrics.calls[1]?.startMs).toBe(T('11:44:00'));
    expect(first?.endMs).toBe(T('12:06:00'));
    // a later step does not restart the window: the evidence accumulates
    await g.evaluate(
      shiftWindow({ stepIndex: 3, percent: 40, stepStartedAt: T('12:05:20'), now: T('12:07:10') }),
    );
    expect(metrics.calls).toHaveLength(3);
    expect(metrics.calls[2]?.startMs).toBe(T('11:44:00'));
    expect(first?.queries.map((q) => q.id)).toEqual([
      't_inv',
      't_err',
      't_thr',
      't_p90',
      't_p92',
      't_p94',
      't_p95',
      't_p96',
      't_p97',
      't_p98',
      't_p98_5',
      't_p99',
      's_inv',
      's_err',
      's_thr',
      's_p99',
      'b_base',
      'b_cnt',
      'b_err',
    ]);
  });

  it('fixes T once from the pre-deployment p99, then asks for TC(T:) of both versions in the same call', async () => {
    const metrics = new FakeMetrics({
      ...healthyShift,
      b_base: { [T('11:44:00')]: 287.25 },
      b_cnt: { [T('11:44:00')]: 15_000 },
    });
    const g = gate(metrics);
    await g.evaluate(shiftWindow());
    await g.evaluate(shiftWindow({ now: T('12:07:10') }));
    expect(metrics.calls).toHaveLength(2);
    const second = metrics.calls[1]!;
    expect(second.startMs).toBe(T('11:59:00'));
    const tc = second.queries.filter((q) => q.id.endsWith('_tc'));
    expect(tc.map((q) => [q.id, 'stat' in q ? q.stat : undefined])).toEqual([
      ['t_tc', 'TC(287.25:)'],
      ['s_tc', 'TC(287.25:)'],
    ]);
    expect(second.queries.some((q) => q.id === 'b_base')).toBe(false);
  });

  describe('the error gate prior, cut from stable errors before the deployment (error-prior.ts)', () => {
    // 5 of 200 calls a minute vs 18–19 of 1,800 over five minutes: +1.5 pp, evidence 175 over the
    // whole grid, 216 over ψ ≥ 2 (200 needed).
    const points: Points = {
      ...healthyShift,
      t_err: perMinute('12:01:00', 5, 5),
      s_err: { ...perMinute('12:01:00', 5, 18), [T('12:01:00')]: 19 },
    };
    const before = { b_cnt: { [T('11:44:00')]: 15_000 }, b_err: { [T('11:44:00')]: 75 } };
    const errorVerdict = (verdicts: { gate: string }[]) =>
      verdicts.find((v) => v.gate === 'error-rate-increase') as
        | { outcome: string; details: Record<string, unknown> }
        | undefined;

    it('without errors reported before, mixes over the whole grid: not enough evidence', async () => {
      const verdict = errorVerdict(await gate(new FakeMetrics(points)).evaluate(shiftWindow()));
      expect(verdict?.outcome).toBe('inconclusive');
      expect(verdict?.details).toMatchObject({ psiGrid: [...PSI_GRID], prior: 'no-baseline' });
      expect(verdict?.details.eValue).toBeCloseTo(175.3, 1);
    });

    it('stable at 0.5% before: only ψ ≥ 2 can be rolled back, the same minutes are enough', async () => {
      const metrics = new FakeMetrics({ ...points, ...before });
      const verdict = errorVerdict(await gate(metrics).evaluate(shiftWindow()));
      expect(metrics.calls[0]!.queries.map((q) => q.id)).toContain('b_err');
      expect(verdict?.outcome).toBe('fail');
      expect(verdict?.details).toMatchObject({
        psiGrid: [2, 3, 4, 6, 8, 12],
        prior: 'cut',
        stableBefore: { invocations: 15_000, errors: 75 },
      });
      expect(verdict?.details.eValue).toBeCloseTo(216.3, 1);
    });

    it('is fixed by the first answer: never asked for or changed again', async () => {
      const metrics = new FakeMetrics({ ...points, ...before });
      const g = gate(metrics);
      await g.evaluate(shiftWindow());
      metrics.points.b_err = { [T('11:44:00')]: 3000 };
      const verdict = errorVerdict(await g.evaluate(shiftWindow({ now: T('12:07:10') })));
      expect(metrics.calls).toHaveLength(2);
      expect(metrics.calls[1]!.queries.map((q) => q.id)).not.toContain('b_err');
      expect(verdict?.details).toMatchObject({ psiGrid: [2, 3, 4, 6, 8, 12] });
    });

    it('a deployment that bakes keeps the whole grid and does not ask for the errors before', async () => {
      const metrics = new FakeMetrics({ ...points, ...before });
      const verdict = errorVerdict(await gate(metrics).evaluate(shiftWindow({ bakes: true })));
      expect(metrics.calls[0]!.queries.map((q) => q.id)).not.toContain('b_err');
      expect(verdict?.details).toMatchObject({ psiGrid: [...PSI_GRID], prior: 'bake' });
      expect(verdict?.outcome).toBe('inconclusive');
    });
  });

  it('does not fix T from a thin baseline (166 calls: fewer than 5 expected above a p99): the ladder, never asked again', async () => {
    // A function deployed seconds after it was created: its 15 minutes before hold a 10-second sliver.
    const metrics = new FakeMetrics({
      ...healthyShift,
      b_base: { [T('11:44:00')]: 222 },
      b_cnt: { [T('11:44:00')]: 166 },
    });
    const g = gate(metrics);
    await g.evaluate(shiftWindow());
    const verdicts = await g.evaluate(shiftWindow({ now: T('12:07:10') }));
    const second = metrics.calls[1]!;
    expect(second.queries.some((q) => q.id.endsWith('_tc'))).toBe(false);
    expect(second.queries.some((q) => q.id === 'b_base' || q.id === 'b_cnt')).toBe(false);
    const latency = verdicts.find((v) => v.gate === 'latency-increase')!;
    expect(latency.details).not.toHaveProperty('thresholdMs');
    // 500 calls are enough (5 expected above p99): T is fixed.
    const enough = new FakeMetrics({
      ...healthyShift,
      b_base: { [T('11:44:00')]: 222 },
      b_cnt: { [T('11:44:00')]: 500 },
    });
    const g2 = gate(enough);
    await g2.evaluate(shiftWindow());
    await g2.evaluate(shiftWindow({ now: T('12:07:10') }));
    expect(enough.calls[1]!.queries.some((q) => q.id === 't_tc')).toBe(true);
  });

  it('judges latency on the exact counts above T: 6 of 200 calls vs 18 of 1800 per minute fails', async () => {
    const metrics = new FakeMetrics({
      ...healthyShift,
      t_p99: perMinute('12:01:00', 5, 400),
      b_base: { [T('11:44:00')]: 290 },
      b_cnt: { [T('11:44:00')]: 15_000 },
      t_tc: perMinute('12:01:00', 5, 12),
      s_tc: perMinute('12:01:00', 5, 18),
    });
    const g = gate(metrics);
    await g.evaluate(shiftWindow());
    const verdicts = await g.evaluate(shiftWindow({ now: T('12:06:30') }));
    const latency = verdicts.find((v) => v.gate === 'latency-increase')!;
    expect(latency.outcome).toBe('fail');
    expect(latency.details).toMatchObject({
      test: 'e-process-threshold-count-mixture',
      thresholdMs: 290,
      exactMinutes: 5,
      targetSlower: 60,
    });
    expect(latency.summary).toContain('6.0% of its calls (60/1000) slower than 290 ms');
    // Independently (python3, math.comb): five minutes of X ~ Hypergeometric(k=30 above T, nT=200,
    // nS=1800), x = 12, tilted over the ψ grid and averaged: log E = 46.03480437259809.
    expect(latency.details?.logEValue as number).toBeCloseTo(46.03480437259809, 8);
  });

  it('passes a healthy new version, ignoring the running minute', async () => {
    const verdicts = await gate(new FakeMetrics(healthyShift)).evaluate(shiftWindow());
    expect(verdicts.map((v) => [v.gate, v.outcome])).toEqual([
      ['error-rate-increase', 'pass'],
      ['latency-increase', 'pass'],
    ]);
    expect(verdicts[0]?.summary).toContain('1.0% (10/1000) vs stable 1.0% (90/9000)');
    expect(verdicts[0]?.at).toBe(T('12:06:10'));
  });

  it('fails a new version with a significantly higher error rate', async () => {
    const metrics = new FakeMetrics({ ...healthyShift, t_err: perMinute('12:01:00', 5, 12) });
    const verdicts = await gate(metrics).evaluate(shiftWindow());
    expect(verdicts[0]).toMatchObject({ gate: 'error-rate-increase', outcome: 'fail' });
    expect(verdicts[0]?.summary).toBe(
      'version 7 error rate 6.0% (60/1000) vs stable 1.0% (90/9000) over 5 minutes, +5.0 pp > allowed 0.5 pp, evidence e = 9.8e+19 of 200 needed',
    );
  });

  it('fetches the percentiles the gates need', async () => {
    const metrics = new FakeMetrics(healthyShift);
    await gate(metrics, { maxP50: '100ms', maxLatencyIncrease: '20%@p90' }).evaluate(shiftWindow());
    expect(metrics.calls[0]?.queries.map((q) => q.id)).toEqual([
      't_inv',
      't_err',
      't_thr',
      't_p20',
      't_p40',
      't_p50',
      't_p60',
      't_p70',
      't_p80',
      't_p85',
      't_p90',
      't_p99',
      's_inv',
      's_err',
      's_thr',
      's_p50',
      's_p90',
      's_p99',
      'b_base',
      'b_cnt',
      'b_err',
    ]);
  });

  it('counts the minute the deployment started in for errors, not for latency', async () => {
    const metrics = new FakeMetrics({
      ...healthyShift,
      t_inv: { ...healthyShift.t_inv, [T('11:59:00')]: 60 },
      t_err: { ...healthyShift.t_err, [T('11:59:00')]: 1 },
      t_p99: { ...healthyShift.t_p99, [T('11:59:00')]: 9000 },
      s_inv: { ...healthyShift.s_inv, [T('11:59:00')]: 500 },
      s_p99: { ...healthyShift.s_p99, [T('11:59:00')]: 290 },
    });
    const [errors, latency] = await gate(metrics).evaluate(shiftWindow());
    expect(errors?.details).toMatchObject({ target: { invocations: 1060, errors: 11, minutesCompared: 6 } });
    expect(latency?.details).toMatchObject({ target: { invocations: 1000, minutesCompared: 5 } });
    expect(latency?.outcome).toBe('pass');
  });

  it('needs the same evidence at every poll, and keeps the minutes of earlier steps', async () => {
    // 20/1000 vs 90/9000 (2.0% vs 1.0%) over five minutes.
    const metrics = new FakeMetrics({ ...healthyShift, t_err: perMinute('12:01:00', 5, 4) });
    const g = gate(metrics, { maxLatencyIncrease: 'off' });
    const during = await g.evaluate(shiftWindow());
    const last = await g.evaluate(shiftWindow({ endOfStep: true }));
    const nextStep = await g.evaluate(
      shiftWindow({ stepIndex: 1, percent: 20, stepStartedAt: T('12:06:00') }),
    );
    for (const v of [during[0], last[0], nextStep[0]]) {
      expect(v).toMatchObject({ details: { eValueNeeded: 100, target: { invocations: 1000, errors: 20 } } });
      expect(v?.details?.eValue).toBe(during[0]?.details?.eValue);
    }
  });

  it('turns a metrics API failure into an error verdict, never a throw', async () => {
    const metrics = new FakeMetrics(healthyShift);
    metrics.failWith = new OperationError(
      'THROTTLED',
      'CloudWatch GetMetricData was throttled (Rate exceeded).',
    );
    const verdicts = await gate(metrics).evaluate(shiftWindow());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ outcome: 'error', gate: 'analysis', at: T('12:06:10') });
    expect(verdicts[0]?.summary).toBe(
      'could not read CloudWatch metrics for orders:live (versions 7 and 6): CloudWatch GetMetricData was throttled (Rate exceeded).',
    );
    expect(verdicts[0]?.details).toMatchObject({ code: 'THROTTLED', ignored: false });
  });

  it('with ignoreMetricErrors, an API failure is inconclusive instead', async () => {
    const metrics = new FakeMetrics();
    metrics.failWith = new Error('socket hang up');
    const verdicts = await gate(metrics, { ignoreMetricErrors: true }).evaluate(shiftWindow());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ outcome: 'inconclusive', gate: 'analysis' });
    expect(verdicts[0]?.summary).toContain('ignored (--ignore-metric-errors)');
  });

  it('treats a series CloudWatch could not deliver as an API failure', async () => {
    const metrics = new FakeMetrics(healthyShift);
    metrics.statusOf = { s_err: 'Forbidden' };
    const verdicts = await gate(metrics).evaluate(shiftWindow());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ outcome: 'error', gate: 'analysis' });
    expect(verdicts[0]?.summary).toContain('s_err (Forbidden)');
  });

  it('reports a judge failure as an error verdict too', async () => {
    // Impossible data (negative error counts) makes the statistics refuse the table.
    const metrics = new FakeMetrics({ ...healthyShift, t_err: perMinute('12:01:00', 5, -3) });
    const verdicts = await gate(metrics, { maxLatencyIncrease: 'off' }).evaluate(shiftWindow());
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ outcome: 'error', gate: 'analysis' });
    expect(verdicts[0]?.summary).toMatch(/^canary analysis of orders:live failed: /);
  });

  it('before the first whole minute ends: no call, and inconclusive (never pass)', async () => {
    const metrics = new FakeMetrics(healthyShift);
    const verdicts = await gate(metrics, { maxErrorRate: '1%' }).evaluate(
      shiftWindow({ deploymentStartedAt: T('12:00:10'), now: T('12:00:50') }),
    );
    expect(metrics.calls).toHaveLength(0);
    expect(verdicts.map((v) => v.outcome)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
  });

  it('late datapoints: no new-version data yet is inconclusive', async () => {
    const metrics = new FakeMetrics({ s_inv: perMinute('12:01:00', 5, 1800) });
    const verdicts = await gate(metrics).evaluate(shiftWindow());
    expect(verdicts.every((v) => v.outcome === 'inconclusive')).toBe(true);
    expect(verdicts[0]?.summary).toContain('CloudWatch metrics can arrive minutes late');
  });

  it('with every gate off, reads nothing and judges nothing', async () => {
    const metrics = new FakeMetrics(healthyShift);
    const verdicts = await gate(metrics, { maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' }).evaluate(
      shiftWindow(),
    );
    expect(verdicts).toEqual([]);
    expect(metrics.calls).toHaveLength(0);
  });
});

describe('createAnalysisGate in the bake window', () => {
  // Deployment started 12:00:30; 100% since 12:30:00; now 12:36:05 → bake minutes 12:30–12:35,
  // baseline: the six minutes before the deployment, 11:54–11:59, of the stable version.
  const bake = shiftWindow({
    phase: 'bake',
    percent: 100,
    stepStartedAt: T('12:30:00'),
    deploymentStartedAt: T('12:00:30'),
    now: T('12:36:05'),
  });
  const points: Points = {
    s_inv: { ...perMinute('11:54:00', 6, 1500), ...perMinute('12:10:00', 10, 700) },
    s_err: { ...perMinute('11:54:00', 6, 15), ...perMinute('12:10:00', 10, 7) },
    s_p99: perMinute('11:54:00', 6, 300),
    t_inv: { ...perMinute('12:30:00', 6, 1500), ...perMinute('12:10:00', 10, 100) },
    t_err: { ...perMinute('12:30:00', 6, 60), ...perMinute('12:10:00', 10, 0) },
    t_p99: perMinute('12:30:00', 6, 310),
  };

  it('reads both ranges in one call over their union', async () => {
    const metrics = new FakeMetrics(points);
    await gate(metrics).evaluate(bake);
    expect(metrics.calls).toHaveLength(1);
    // The baseline for T (15 minutes before 12:00) starts earlier than the bake's baseline.
    expect(metrics.calls[0]).toMatchObject({ startMs: T('11:45:00'), endMs: T('12:36:00') });
    const again = new FakeMetrics({
      ...points,
      b_base: { [T('11:45:00')]: 300 },
      b_cnt: { [T('11:45:00')]: 15_000 },
    });
    const g = gate(again);
    await g.evaluate(bake);
    await g.evaluate(bake);
    expect(again.calls[1]).toMatchObject({ startMs: T('11:54:00'), endMs: T('12:36:00') });
  });

  it('counts above T only in shift minutes: a bake minute is paired with the baseline T came from', async () => {
    const metrics = new FakeMetrics({
      ...points,
      s_p99: { ...points.s_p99, ...perMinute('12:10:00', 10, 300) },
      t_p99: { ...points.t_p99, ...perMinute('12:10:00', 10, 300) },
      b_base: { [T('11:45:00')]: 300 },
      b_cnt: { [T('11:45:00')]: 15_000 },
      t_tc: { ...perMinute('12:10:00', 10, 1), ...perMinute('12:30:00', 6, 15) },
      s_tc: { ...perMinute('11:54:00', 6, 15), ...perMinute('12:10:00', 10, 7) },
    });
    const g = gate(metrics);
    await g.evaluate(bake);
    const verdicts = await g.evaluate(bake);
    const latency = verdicts.find((v) => v.gate === 'latency-increase')!;
    expect(latency.details).toMatchObject({
      exactMinutes: 10,
      minutesOfEvidence: 16,
      test: 'e-process-threshold-count-and-order-statistic-mixture',
    });
  });

  it('compares bake minutes with stable before the deployment, and keeps the shift minutes', async () => {
    const verdicts = await gate(new FakeMetrics(points)).evaluate(bake);
    expect(verdicts[0]).toMatchObject({ gate: 'error-rate-increase', outcome: 'fail' });
    // 6 bake minutes (60/1500 vs 15/1500 before the deployment) + 10 shift minutes (0/100 vs 7/700)
    expect(verdicts[0]?.summary).toMatch(
      /^version 7 error rate 3\.6% \(360\/10000\) vs stable before the deployment 1\.0% \(160\/16000\) over 16 minutes, \+2\.6 pp > allowed 0\.5 pp, evidence e = /,
    );
    expect(verdicts[0]?.details).toMatchObject({
      window: { start: '2030-05-01T12:00:00.000Z', end: '2030-05-01T12:36:00.000Z' },
      baselineWindow: { start: '2030-05-01T11:54:00.000Z', end: '2030-05-01T12:36:00.000Z' },
    });
    expect(verdicts[1]).toMatchObject({ gate: 'latency-increase', outcome: 'pass' });
  });

  it('applies the absolute gates as during the shift', async () => {
    const verdicts = await gate(new FakeMetrics(points), { maxErrorRate: '5%', maxP99: '250ms' }).evaluate(
      bake,
    );
    expect(verdicts.map((v) => [v.gate, v.outcome])).toEqual([
      ['error-rate-increase', 'fail'],
      ['latency-increase', 'pass'],
      ['max-error-rate', 'pass'],
      ['max-p99', 'fail'],
    ]);
  });
});
