import { describe, expect, it } from 'vitest';
import { type AnalysisConfigInput, resolveAnalysisConfig } from '../../src/domain/analysis/config.js';
import { formatVerdictReason } from '../../src/domain/analysis/format.js';
import { judgeCanary } from '../../src/domain/analysis/judge.js';
import type { AnalysisSamples, VersionSamples } from '../../src/domain/analysis/samples.js';
import type { Verdict } from '../../src/domain/verdict.js';

const MINUTE = 60_000;
const START = Date.parse('2030-05-01T12:01:00Z');
const NOW = Date.parse('2030-05-01T12:07:10Z');
const ctx = { targetVersion: '7', stableVersion: '6', now: NOW };

/** One row per whole minute of the window: [invocations, errors, p99 ms?], or null when the
 * minute's Invocations datapoint has not arrived (late). */
type Row = [number, number, number?] | null;

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
            latency: row[2] === undefined ? {} : { p99: row[2] },
          },
        ],
  );
  return { range: { start, end: start + rows.length * MINUTE }, minutes, throttles: opts.throttles ?? 0 };
}

function repeat(n: number, row: Row): Row[] {
  return Array.from({ length: n }, () => row);
}

function samples(target: VersionSamples, stable: VersionSamples, baseline = false): AnalysisSamples {
  return { target, stable, baseline };
}

function judge(s: AnalysisSamples, input: AnalysisConfigInput = {}): Verdict[] {
  return judgeCanary(s, resolveAnalysisConfig(input), ctx);
}

function only(s: AnalysisSamples, input: AnalysisConfigInput, gate: string): Verdict {
  const verdict = judge(s, input).find((v) => v.gate === gate);
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

describe('judgeCanary: error-rate-increase', () => {
  it('fails a large and significant increase, with the numbers in the summary', () => {
    const v = only(samples(badTarget, stable9000), RELATIVE_ERRORS_ONLY, 'error-rate-increase');
    expect(v.outcome).toBe('fail');
    expect(v.summary).toBe(
      'version 7 error rate 4.8% (48/1000) vs stable 1.0% (90/9000), +3.8 pp > allowed 0.5 pp, p < 0.001',
    );
    expect(v.at).toBe(NOW);
    expect(v.details).toMatchObject({
      gate: 'error-rate-increase',
      reason: 'significant-increase',
      test: 'z-test',
      allowedPp: 0.5,
      confidence: 0.99,
      target: { version: '7', invocations: 1000, errors: 48, errorRate: 0.048, minutesReported: 4 },
      stable: { version: '6', invocations: 9000, errors: 90, errorRate: 0.01 },
    });
    expect(v.details?.pValue as number).toBeLessThan(1e-20);
    expect(v.details?.differencePp as number).toBeCloseTo(3.8, 10);
  });

  it.each<[string, Row[], Row[], AnalysisConfigInput, Verdict['outcome'], string]>([
    // small effect (+0.2 pp ≤ 0.5 pp) that is highly significant (z = 5.97): not a failure
    [
      'small but significant',
      repeat(4, [25000, 300]),
      repeat(4, [225000, 2250]),
      {},
      'pass',
      'within-allowed',
    ],
    // big effect (10% vs 1%) on 20 invocations: below the minimum sample
    ['big effect, tiny sample', [[20, 2]], repeat(4, [2250, 22]), {}, 'inconclusive', 'too-few-invocations'],
    // the same with the minimum lowered: Fisher p = 0.0174 ≥ 0.01, still not a failure
    [
      'big effect, not significant',
      [[20, 2]],
      [
        [4500, 45],
        [4500, 45],
      ],
      { minInvocations: 10 },
      'inconclusive',
      'not-significant',
    ],
    // at 95% confidence the same data fails (0.0174 < 0.05)
    [
      'big effect, significant at 95%',
      [[20, 2]],
      [
        [4500, 45],
        [4500, 45],
      ],
      { minInvocations: 10, confidence: '95%' },
      'fail',
      'significant-increase',
    ],
    // 3/100 vs 90/9000: 3.0% vs 1.0% but Fisher p = 0.082
    ['3/100 vs 90/9000', [[100, 3]], repeat(4, [2250, 22.5]), {}, 'inconclusive', 'not-significant'],
    // 5/100 vs 90/9000: Fisher p = 0.0038 < 0.01
    ['5/100 vs 90/9000', [[100, 5]], repeat(4, [2250, 22.5]), {}, 'fail', 'significant-increase'],
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

  it('uses Fisher exact at small expected counts and says so', () => {
    const v = only(
      samples(side([[100, 5]]), side(repeat(4, [2250, 22.5]))),
      RELATIVE_ERRORS_ONLY,
      'error-rate-increase',
    );
    expect(v.details).toMatchObject({ test: 'fisher-exact' });
    expect(v.details?.pValue as number).toBeCloseTo(0.0038467353355684797, 9);
    expect(v.summary).toBe(
      'version 7 error rate 5.0% (5/100) vs stable 1.0% (90/9000), +4.0 pp > allowed 0.5 pp, p = 0.0038',
    );
  });

  it('explains a suspicious but not significant difference', () => {
    const v = only(
      samples(side([[100, 3]]), side(repeat(4, [2250, 22.5]))),
      RELATIVE_ERRORS_ONLY,
      'error-rate-increase',
    );
    expect(v.summary).toContain('but not significant (p = 0.082, needs p < 0.01)');
  });

  it('counts errors across minutes, never more errors than invocations in a minute', () => {
    // Minute 2's Errors arrived ahead of its Invocations: 9 errors, only 5 invocations so far.
    const target = side([[100, 1], [5, 9], null, [95, 0]]);
    const v = only(samples(target, stable9000), RELATIVE_ERRORS_ONLY, 'error-rate-increase');
    expect(v.details).toMatchObject({
      target: { invocations: 200, errors: 6, minutesReported: 3, windowMinutes: 4 },
    });
  });

  it('bake: compares with stable before the deployment', () => {
    const v = only(samples(badTarget, stable9000, true), RELATIVE_ERRORS_ONLY, 'error-rate-increase');
    expect(v.outcome).toBe('fail');
    expect(v.summary).toContain('vs stable before the deployment 1.0% (90/9000)');
    expect(v.details).toHaveProperty('baselineWindow');
  });
});

describe('judgeCanary: latency-increase (p99, rank test over minutes)', () => {
  const stableRows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [2000, 0, 200 + i * 5]);
  const slowRows = (n: number): Row[] => Array.from({ length: n }, (_, i) => [300, 0, 300 + i * 5]);

  it.each<[string, Row[], Row[], AnalysisConfigInput, Verdict['outcome'], string]>([
    // 6 vs 6 minutes, every new-version minute slower: exact p = 1/924 = 0.0011, +~45%
    ['slower in every minute', slowRows(6), stableRows(6), {}, 'fail', 'significant-increase'],
    // +~4%: within the allowed 20% even though consistently higher
    [
      'slightly slower',
      Array.from({ length: 6 }, (_, i) => [300, 0, 210 + i * 5] as Row),
      stableRows(6),
      {},
      'pass',
      'within-allowed',
    ],
    // only 3 vs 3 minutes: the smallest possible p is 1/20, it can never reach 0.01
    ['too few minutes to be significant', slowRows(3), stableRows(3), {}, 'inconclusive', 'not-significant'],
    // interleaved: medians apart but ranks mixed
    [
      'noisy',
      [
        [300, 0, 150],
        [300, 0, 900],
        [300, 0, 190],
        [300, 0, 800],
        [300, 0, 210],
        [300, 0, 700],
      ],
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

  it('summarises with the weighted window latency and the p-value', () => {
    const v = only(
      samples(side(slowRows(6)), side(stableRows(6))),
      RELATIVE_LATENCY_ONLY,
      'latency-increase',
    );
    expect(v.summary).toBe(
      'version 7 p99 313 ms vs stable 213 ms (6 vs 6 minutes), +47% > allowed 20%, p = 0.0011',
    );
    expect(v.details).toMatchObject({ test: 'mann-whitney-exact', u: 36, percentile: 'p99', allowedPct: 20 });
  });

  it('says when the sample is too small for the test to ever be significant', () => {
    const v = only(
      samples(side(slowRows(3)), side(stableRows(3))),
      RELATIVE_LATENCY_ONLY,
      'latency-increase',
    );
    expect(v.summary).toContain('3 vs 3 minutes cannot reach p < 0.01');
  });

  it('weights minutes by invocations: a two-call cold minute does not dominate', () => {
    const target: Row[] = [[2, 0, 3000], ...repeat(5, [500, 0, 210] as Row)];
    const v = only(samples(side(target), side(stableRows(6))), RELATIVE_LATENCY_ONLY, 'latency-increase');
    expect(v.outcome).toBe('pass');
    expect(v.details?.targetLatencyMs as number).toBeCloseTo((2 * 3000 + 2500 * 210) / 2502, 6);
  });

  it('ignores minutes without invocations', () => {
    const target: Row[] = [...slowRows(6), [0, 0, 99999]];
    const v = only(samples(side(target), side(stableRows(6))), RELATIVE_LATENCY_ONLY, 'latency-increase');
    expect(v.details?.targetMinutes).toHaveLength(6);
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
      'no whole minute has ended since version 7 got this weight; nothing to judge yet',
    );
    expect(judge(samples(side([null, null]), stable9000))[0]?.summary).toBe(
      'no invocations of version 7 reported for 12:01–12:03 UTC (2 whole minutes); CloudWatch metrics can arrive minutes late',
    );
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
      'error-rate-increase failed: version 7 error rate 4.8% (48/1000) vs stable 1.0% (90/9000), +3.8 pp > allowed 0.5 pp, p < 0.001',
    );
  });
});
