import { describe, expect, it } from 'vitest';
import type { AnalysisConfigInput } from '../../src/domain/analysis/config.js';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import { formatVerdictReason } from '../../src/domain/analysis/format.js';
import { judgeCanary } from '../../src/domain/analysis/judge.js';
import type { AnalysisSamples, VersionSamples } from '../../src/domain/analysis/samples.js';
import type { Verdict } from '../../src/domain/verdict.js';

const MINUTE = 60_000;
const START = Date.parse('2030-05-01T12:01:00Z');
const NOW = Date.parse('2030-05-01T12:07:10Z');
/** An ordinary poll during a step (relative gates fail on p < α/10), and the step's last poll (p < α). */
const ctx = { targetVersion: '7', stableVersion: '6', now: NOW };
const LAST = { ...ctx, endOfStep: true };
type Ctx = typeof ctx & { endOfStep?: boolean };

/** One row per whole minute of the window: [invocations, errors, p99 ms or percentiles by name?],
 * or null when the minute's Invocations datapoint has not arrived (late). */
type Row = [number, number, (number | Record<string, number>)?] | null;

function side(rows: Row[], opts: { throttles?: number; start?: number } = {}): VersionSamples {
  const start = opts.start ?? START;
  const minutes = rows.flatMap((row, i) =>
    row === null
      ? []
      : [
          {
            at: start + i * MINUTE,
            invocations: row[0],
            errors: row[1],
            throttles: 0,
            latency: row[2] === undefined ? {} : typeof row[2] === 'number' ? { p99: row[2] } : row[2],
          },
        ],
  );
  return { range: { start, end: start + rows.length * MINUTE }, minutes, throttles: opts.throttles ?? 0 };
}

function repeat(n: number, row: Row): Row[] {
  return Array.from({ length: n }, () => row);
}

/** The same minutes for counts and latency unless latency windows are given. */
function samples(
  target: VersionSamples,
  stable: VersionSamples,
  baseline = false,
  latency?: { target: VersionSamples; stable: VersionSamples },
): AnalysisSamples {
  return {
    target,
    stable,
    targetLatency: latency?.target ?? target,
    stableLatency: latency?.stable ?? stable,
    baseline,
  };
}

function judge(s: AnalysisSamples, input: AnalysisConfigInput = {}, at: Ctx = LAST): Verdict[] {
  return judgeCanary(s, resolveAnalysisConfig(input), at);
}

function only(s: AnalysisSamples, input: AnalysisConfigInput, gate: string, at: Ctx = LAST): Verdict {
  const verdict = judge(s, input, at).find((v) => v.gate === gate);
  if (!verdict) throw new Error(`no verdict for ${gate}`);
  return verdict;
}

// 48/1000 vs 90/9000 over four minutes (the summary example of docs/analysis.md).
const badTarget = side(repeat(4, [250, 12, 300]));
const stable9000 = side([
  [2250, 22, 280],
  [2250, 23, 290],
  [2250, 22, 300],
  [2250, 23, 310],
]);
const RELATIVE_ERRORS_ONLY: AnalysisConfigInput = { maxLatencyIncrease: 'off' };
const RELATIVE_LATENCY_ONLY: AnalysisConfigInput = { maxErrorRateIncrease: 'off' };

describe('judgeCanary: error-rate-increase (accumulated evidence, e-process)', () => {
  it('fails a large increase once the evidence reaches 1/α, with the numbers in the summary', () => {
    const v = only(samples(badTarget, stable9000), RELATIVE_ERRORS_ONLY, 'error-rate-increase', ctx);
    expect(v.outcome).toBe('fail');
    expect(v.summary).toBe(
      'version 7 error rate 4.8% (48/1000) vs stable 1.0% (90/9000) over 4 minutes, +3.8 pp > allowed 0.5 pp, evidence e = 6.7e+12 of 100 needed',
    );
    expect(v.at).toBe(NOW);
    expect(v.details).toMatchObject({
      gate: 'error-rate-increase',
      reason: 'significant-increase',
      test: 'e-process-fisher-noncentral-mixture',
      allowedPp: 0.5,
      confidence: 0.99,
      alpha: 0.01,
      eValueNeeded: 100,
      minutesOfEvidence: 4,
      target: { version: '7', invocations: 1000, errors: 48, minutesCompared: 4 },
      stable: { version: '6', invocations: 9000, errors: 90 },
    });
    // Reference: python3, exact hypergeometric pmfs with math.comb, mixture over the ψ grid.
    expect((v.details?.eValue as number) / 6736474865457.509).toBeCloseTo(1, 8);
    expect(v.details?.differencePp as number).toBeCloseTo(3.8, 10);
  });

  it.each<[string, Row[], Row[], AnalysisConfigInput, Verdict['outcome'], string]>([
    // small effect (+0.2 pp ≤ 0.5 pp) on a busy function: within the allowed increase
    ['small but real', repeat(4, [25000, 300]), repeat(4, [225000, 2250]), {}, 'pass', 'within-allowed'],
    // big effect (10% vs 1%) on 20 invocations: below the minimum sample
    ['big effect, tiny sample', [[20, 2]], repeat(4, [2250, 22]), {}, 'inconclusive', 'too-few-invocations'],
    // 5/100 vs 22/2250 in one minute: e = 22 < 100
    ['5/100 vs 22/2250, one minute', [[100, 5]], [[2250, 22]], {}, 'inconclusive', 'not-significant'],
    // the same at 90% confidence: e = 22 ≥ 10
    ['the same at 90%', [[100, 5]], [[2250, 22]], { confidence: '90%' }, 'fail', 'significant-increase'],
    // the new version is better
    ['better than stable', repeat(4, [250, 0]), repeat(4, [2250, 22]), {}, 'pass', 'within-allowed'],
    // no stable traffic reported (e.g. stable's datapoints are late)
    ['no stable data', repeat(4, [250, 12]), [null, null], {}, 'inconclusive', 'no-stable-data'],
  ])('%s → %s', (_name, target, stable, input, outcome, reason) => {
    const v = only(
      samples(side(target), side(stable)),
      { ...RELATIVE_ERRORS_ONLY, ...input },
      'error-rate-increase',
    );
    expect(v.outcome).toBe(outcome);
    expect(v.details?.reason).toBe(reason);
  });

  it('says how much evidence there is and how much is needed', () => {
    const v = only(
      samples(side([[100, 5]]), side([[2250, 22]])),
      RELATIVE_ERRORS_ONLY,
      'error-rate-increase',
    );
    expect(v.summary).toBe(
      'version 7 error rate 5.0% (5/100) vs stable 0.98% (22/2250) over 1 minute, +4.0 pp > allowed 0.5 pp but not significant yet (evidence e = 22 of 100 needed)',
    );
    // python3 reference (math.comb): 22.278321130953437
    expect(v.details?.eValue as number).toBeCloseTo(22.278321130953437, 9);
  });

  it('the evidence is the same at any poll: no special last look', () => {
    const s = samples(side([[100, 5]]), side([[2250, 22]]));
    const during = only(s, RELATIVE_ERRORS_ONLY, 'error-rate-increase', ctx);
    const last = only(s, RELATIVE_ERRORS_ONLY, 'error-rate-increase', LAST);
    expect(during.outcome).toBe(last.outcome);
    expect(during.details?.eValue).toBe(last.details?.eValue);
  });

  it('compares minute by minute: a new-version minute without its stable minute does not count', () => {
    // Minute 2's Errors arrived ahead of its Invocations: 9 errors, only 5 invocations so far.
    const target = side([[100, 1], [5, 9], null, [95, 0]]);
    const stable = side([[2250, 22], [2250, 23], [2250, 22], null]);
    const v = only(samples(target, stable), RELATIVE_ERRORS_ONLY, 'error-rate-increase');
    expect(v.details).toMatchObject({ target: { invocations: 105, errors: 6, minutesCompared: 2 } });
  });

  it('bake: compares bake minutes with stable minutes before the deployment, counting backwards', () => {
    // The deployment started at START; 100% written in the minute before START + 4 minutes.
    const before = side(
      [
        [2250, 23],
        [2250, 22],
        [2250, 23],
        [2250, 22],
      ],
      { start: START - 4 * MINUTE },
    );
    const bake = side(repeat(4, [250, 12]), { start: START + 4 * MINUTE });
    const s: AnalysisSamples = {
      target: bake,
      stable: before,
      targetLatency: bake,
      stableLatency: before,
      baseline: true,
      pairing: { bakeFrom: START + 4 * MINUTE, baselineEnd: START },
    };
    const v = only(s, RELATIVE_ERRORS_ONLY, 'error-rate-increase');
    expect(v.outcome).toBe('fail');
    expect(v.summary).toContain('vs stable before the deployment 1.0% (90/9000) over 4 minutes');
    expect(v.details).toHaveProperty('baselineWindow');
  });
});

describe('judgeCanary: latency-increase (p99, calls slower than stable p99 of the same minute)', () => {
  /** Stable: 2000 calls a minute, p99 200–225 ms (window latency 212.5 ms). */
  const stableRows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [2000, 0, 200 + i * 5]);
  /** A slow version: p99 300–325 ms, and its p90 already above stable's p99. */
  const slowRows = (n: number): Row[] =>
    Array.from({ length: n }, (_, i) => [300, 0, { p99: 300 + i * 5, p95: 280, p90: 250 }]);

  it.each<[string, Row[], Row[], AnalysisConfigInput, Verdict['outcome'], string]>([
    ['slower in many calls', slowRows(6), stableRows(6), {}, 'fail', 'significant-increase'],
    // a single slow minute already shows it: 30 of 300 calls
    ['one slow minute', slowRows(1), stableRows(1), {}, 'fail', 'significant-increase'],
    // +~4%: within the allowed 20% even though consistently higher
    [
      'slightly slower',
      Array.from({ length: 6 }, (_, i) => [300, 0, 210 + i * 5] as Row),
      stableRows(6),
      {},
      'pass',
      'within-allowed',
    ],
    // p99 +40%, but only the top 1% of calls are slower (its p98 is below stable's p99): a noisy
    // p99 of a small canary, not evidence
    [
      'only the slowest call per minute',
      repeat(6, [300, 0, { p99: 300, p98: 200 }]),
      stableRows(6),
      {},
      'inconclusive',
      'not-significant',
    ],
    [
      'below the minimum sample',
      repeat(6, [10, 0, 900]),
      stableRows(6),
      {},
      'inconclusive',
      'too-few-invocations',
    ],
    ['no Duration reported', repeat(6, [300, 0]), stableRows(6), {}, 'inconclusive', 'no-latency-data'],
  ])('%s → %s', (_name, target, stable, input, outcome, reason) => {
    const v = only(
      samples(side(target), side(stable)),
      { ...RELATIVE_LATENCY_ONLY, ...input },
      'latency-increase',
    );
    expect(v.outcome).toBe(outcome);
    expect(v.details?.reason).toBe(reason);
  });

  it('matches an independently computed e-value (python3, exact fractions)', () => {
    // One minute: 300 new calls, p90 above stable's p99 → ≥ 30 slower; stable 2000 calls, so the
    // null law is that of the calls above stable's 1979th fastest.
    const v = only(
      samples(side(slowRows(1)), side(stableRows(1))),
      RELATIVE_LATENCY_ONLY,
      'latency-increase',
    );
    expect((v.details?.eValue as number) / 750196740867.405).toBeCloseTo(1, 8);
    const weak = only(
      samples(side([[300, 0, { p99: 300, p98: 190 }]]), side(stableRows(1))),
      RELATIVE_LATENCY_ONLY,
      'latency-increase',
    );
    // ≥ 3 slower (only p99 above): e = 0.21247061197328018
    expect(weak.details?.eValue as number).toBeCloseTo(0.21247061197328018, 10);
  });

  it('summarises with the latencies, the evidence and the counted calls', () => {
    const v = only(
      samples(side(slowRows(6)), side(stableRows(6))),
      RELATIVE_LATENCY_ONLY,
      'latency-increase',
    );
    expect(v.summary).toMatch(
      /^version 7 p99 313 ms vs stable 213 ms \(6 minutes\), \+47% > allowed 20%, evidence e = .* of 100 needed: 10\.0% of its calls \(≥ 180\/1800\) slower than stable's p99 of the same minute$/,
    );
    expect(v.details).toMatchObject({
      test: 'e-process-order-statistic-mixture',
      percentile: 'p99',
      allowedPct: 20,
      targetSlower: 180,
      targetSlowerOf: 1800,
    });
  });

  it('weights minutes by invocations: a two-call cold minute does not dominate', () => {
    const target: Row[] = [[2, 0, 3000], ...repeat(5, [500, 0, 210] as Row)];
    const v = only(samples(side(target), side(stableRows(6))), RELATIVE_LATENCY_ONLY, 'latency-increase');
    expect(v.outcome).toBe('pass');
    expect(v.details?.targetLatencyMs as number).toBeCloseTo((2 * 3000 + 2500 * 210) / 2502, 6);
  });

  it('ignores minutes without invocations', () => {
    const target: Row[] = [...slowRows(6), [0, 0, 99999]];
    const v = only(samples(side(target), side(stableRows(7))), RELATIVE_LATENCY_ONLY, 'latency-increase');
    expect(v.details?.targetMinutes).toHaveLength(6);
  });

  it('compares p90 when asked to', () => {
    const target = repeat(3, [300, 0, { p99: 200, p90: 190, p70: 150 }]);
    const stable = repeat(3, [2000, 0, { p99: 200, p90: 120 }]);
    const v = only(
      samples(side(target), side(stable)),
      { ...RELATIVE_LATENCY_ONLY, maxLatencyIncrease: '20%@p90' },
      'latency-increase',
    );
    expect(v.outcome).toBe('fail');
    // p70 above stable's p90: at least 30% of the calls vs ~10%
    expect(v.details).toMatchObject({ percentile: 'p90', targetSlower: 270, targetSlowerOf: 900 });
  });
});

describe('judgeCanary: absolute gates', () => {
  const ABSOLUTE: AnalysisConfigInput = { maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' };
  const healthy = side(repeat(4, [250, 1, 300]));

  it.each<[string, AnalysisConfigInput, VersionSamples, string, Verdict['outcome'], string]>([
    [
      'error rate above max',
      { maxErrorRate: '1%' },
      badTarget,
      'max-error-rate',
      'fail',
      'version 7 error rate 4.8% (48/1000) > max 1.0%',
    ],
    [
      'error rate within max',
      { maxErrorRate: '1%' },
      healthy,
      'max-error-rate',
      'pass',
      'version 7 error rate 0.40% (4/1000) ≤ max 1.0%',
    ],
    // absolute gates need no minimum sample: 1 error in 3 calls is over 1%
    [
      'tiny sample still judged',
      { maxErrorRate: '1%' },
      side([[3, 1]]),
      'max-error-rate',
      'fail',
      'version 7 error rate 33.3% (1/3) > max 1.0%',
    ],
    [
      'p99 above max',
      { maxP99: '250ms' },
      healthy,
      'max-p99',
      'fail',
      'version 7 p99 300 ms > max 250 ms (4 minutes, worst minute 300 ms)',
    ],
    [
      'p99 within max',
      { maxP99: '800ms' },
      healthy,
      'max-p99',
      'pass',
      'version 7 p99 300 ms ≤ max 800 ms (4 minutes, worst minute 300 ms)',
    ],
    [
      'no p99 reported',
      { maxP99: '800ms' },
      side([[3, 0]]),
      'max-p99',
      'inconclusive',
      'no Duration p99 reported for version 7 yet',
    ],
    [
      'throttles above max',
      { maxThrottles: 2 },
      side(repeat(4, [250, 0]), { throttles: 3 }),
      'max-throttles',
      'fail',
      'version 7 throttled 3 times > max 2',
    ],
    [
      'throttles within max',
      { maxThrottles: 0 },
      healthy,
      'max-throttles',
      'pass',
      'version 7 throttled 0 times ≤ max 0',
    ],
    // a version throttled away has no invocations, and that is still a failure
    [
      'throttled away',
      { maxThrottles: 0 },
      side([null, null], { throttles: 40 }),
      'max-throttles',
      'fail',
      'version 7 throttled 40 times > max 0',
    ],
  ])('%s', (_name, input, target, gate, outcome, summary) => {
    const v = only(samples(target, stable9000), { ...ABSOLUTE, ...input }, gate);
    expect(v.outcome).toBe(outcome);
    expect(v.summary).toBe(summary);
  });

  it('uses the chosen percentile for the gate name', () => {
    const s = samples(side([[100, 0]]), stable9000);
    expect(judge(s, { ...ABSOLUTE, maxP50: '100ms' }).map((v) => v.gate)).toEqual(['max-p50']);
  });

  it('judges latency without the minute of the weight change, errors with it', () => {
    // The minute of the change: 50 calls, 5 errors, a cold-start p99 of 2 s.
    const counts = side([[50, 5, 2000], ...repeat(3, [100, 0, 300] as Row)], { start: START - MINUTE });
    const latency = side(repeat(3, [100, 0, 300]));
    const s = samples(counts, stable9000, false, { target: latency, stable: stable9000 });
    const verdicts = judge(s, { ...ABSOLUTE, maxErrorRate: '1%', maxP99: '800ms' });
    expect(verdicts.map((v) => [v.gate, v.outcome, v.summary])).toEqual([
      ['max-error-rate', 'fail', 'version 7 error rate 1.4% (5/350) > max 1.0%'],
      ['max-p99', 'pass', 'version 7 p99 300 ms ≤ max 800 ms (3 minutes, worst minute 300 ms)'],
    ]);
  });
});

describe('judgeCanary: no data is never a pass', () => {
  const ALL: AnalysisConfigInput = { maxErrorRate: '1%', maxP99: '800ms', maxThrottles: 0 };

  it.each<[string, VersionSamples]>([
    ['no whole minute yet', side([])],
    ['datapoints not arrived (late)', side([null, null, null])],
    ['only zero-invocation minutes', side([[0, 0], null, [0, 0]])],
  ])('%s → every gate inconclusive', (_name, target) => {
    const verdicts = judge(samples(target, stable9000), ALL);
    expect(verdicts.map((v) => v.gate)).toEqual([
      'error-rate-increase',
      'latency-increase',
      'max-error-rate',
      'max-p99',
      'max-throttles',
    ]);
    for (const v of verdicts) {
      expect(v.outcome).toBe('inconclusive');
      expect(v.details?.reason).toBe('no-data');
    }
  });

  it('says why: no whole minute, or metrics lagging', () => {
    expect(judge(samples(side([]), stable9000))[0]?.summary).toBe(
      'no whole minute has ended since the deployment started; nothing to judge yet',
    );
    expect(judge(samples(side([null, null]), stable9000))[0]?.summary).toBe(
      'no invocations of version 7 reported for 12:01–12:03 UTC (2 whole minutes); CloudWatch metrics can arrive minutes late',
    );
  });

  it('latency says so when only the minute of the weight change has ended', () => {
    const counts = side([[50, 0, 300]], { start: START - MINUTE });
    const stable = side([[900, 9, 280]], { start: START - MINUTE });
    const s = samples(counts, stable, false, { target: side([]), stable: side([]) });
    const [errors, latency] = judge(s, { minInvocations: 10 });
    expect(errors?.outcome).toBe('pass');
    expect(latency).toMatchObject({ outcome: 'inconclusive', details: { reason: 'no-data' } });
    expect(latency?.summary).toBe(
      'no whole minute after the deployment started has ended yet (latency skips the minute it started in); nothing to judge yet',
    );
  });
});

describe('the false-rollback budget is split between the relative gates', () => {
  // 14/400 vs 36/3600 over four minutes: evidence 192.7 (between 1/α = 100 and 2/α = 200).
  const target = side([
    [100, 4, 120],
    [100, 4, 120],
    [100, 3, 120],
    [100, 3, 120],
  ]);
  const stable = side(repeat(4, [900, 9, 120]));

  it('needs 2/α per gate when both relative gates are on: the deployment is bounded by α', () => {
    const v = only(samples(target, stable), {}, 'error-rate-increase');
    expect(v.outcome).toBe('inconclusive');
    expect(v.details).toMatchObject({ reason: 'not-significant', alpha: 0.005, eValueNeeded: 200 });
    expect(v.details?.eValue as number).toBeCloseTo(192.7, 1);
  });

  it('needs 1/α when the error gate is the only relative gate', () => {
    const v = only(samples(target, stable), { maxLatencyIncrease: 'off' }, 'error-rate-increase');
    expect(v.outcome).toBe('fail');
    expect(v.details).toMatchObject({ alpha: 0.01, eValueNeeded: 100 });
  });
});

describe('judgeCanary: gates and formatting', () => {
  it('judges nothing when every gate is off', () => {
    expect(
      judge(samples(badTarget, stable9000), { maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' }),
    ).toEqual([]);
  });

  it('returns one verdict per enabled gate, the default being the two relative gates', () => {
    expect(judge(samples(badTarget, stable9000)).map((v) => v.gate)).toEqual([
      'error-rate-increase',
      'latency-increase',
    ]);
  });

  it('formats a verdict as a one-line reason', () => {
    const v = only(samples(badTarget, stable9000), {}, 'error-rate-increase');
    expect(formatVerdictReason(v)).toBe(
      'error-rate-increase failed: version 7 error rate 4.8% (48/1000) vs stable 1.0% (90/9000) over 4 minutes, +3.8 pp > allowed 0.5 pp, evidence e = 6.7e+12 of 200 needed',
    );
  });
});
