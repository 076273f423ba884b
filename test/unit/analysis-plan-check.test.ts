import { describe, expect, it } from 'vitest';
import { resolveAnalysisConfig } from '../../src/domain/analysis/config-resolve.js';
import {
  checkAnalysisPlan,
  describeNeverJudged,
  expectedNewVersionCalls,
} from '../../src/domain/analysis/plan-check.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import type { Verdict } from '../../src/domain/verdict.js';

const analysis = resolveAnalysisConfig();
const plan = (spec: string, settleSeconds?: number) => planShift(parseStrategy(spec), { settleSeconds });

describe('checkAnalysisPlan (warnings before the first weight write)', () => {
  it('AllAtOnce without --bake: the analysis never judges', () => {
    const warnings = checkAnalysisPlan({ plan: plan('AllAtOnce'), bakeSeconds: 0, analysis });
    expect(warnings).toEqual([
      "AllAtOnce moves all traffic at once and there is no --bake: the analysis never judges the new version (add --bake 10m to compare it with the stable version's metrics from before the deployment)",
    ]);
    expect(checkAnalysisPlan({ plan: plan('AllAtOnce'), bakeSeconds: 600, analysis })).toEqual([]);
  });

  // Found by a hostile pass: under --engine codedeploy the advice was a --bake that engine refuses.
  it('AllAtOnce under AWS CodeDeploy: no --bake advised, since CodeDeploy runs none', () => {
    const warnings = checkAnalysisPlan({
      plan: plan('AllAtOnce'),
      bakeSeconds: 0,
      analysis,
      bakeRefused: true,
    });
    expect(warnings).toEqual([
      'AllAtOnce moves all traffic at once and there is no --bake: the analysis never judges the new version (CodeDeploy runs no bake: use a canary or linear config, or the native engine with --bake 10m)',
    ]);
  });

  it('--no-analysis and no absolute limit: nothing about an analysis that does not run', () => {
    const off = resolveAnalysisConfig({ maxErrorRateIncrease: 'off', maxLatencyIncrease: 'off' });
    expect(checkAnalysisPlan({ plan: plan('AllAtOnce'), bakeSeconds: 0, analysis: off })).toEqual([]);
    // An absolute limit alone is a gate of the analysis: AllAtOnce without --bake never judges it.
    const absolute = resolveAnalysisConfig({
      maxErrorRateIncrease: 'off',
      maxLatencyIncrease: 'off',
      maxErrorRate: '5%',
    });
    expect(checkAnalysisPlan({ plan: plan('AllAtOnce'), bakeSeconds: 0, analysis: absolute })).toHaveLength(
      1,
    );
  });

  // F4 of session 60 (hostile pass): under CodeDeploy the settle wait comes after its 100%.
  it('steps shorter than the metric delay, CodeDeploy moving the weights: awaited after its 100%', () => {
    const [w] = checkAnalysisPlan({
      plan: plan('Linear10PercentEvery1Minute'),
      bakeSeconds: 0,
      analysis,
      settleAfterPromote: true,
    });
    expect(w).toContain("the last step's is awaited for up to 6m after CodeDeploy's 100% (--settle)");
    expect(w).not.toContain('before 100%');
  });

  it('steps shorter than the metric delay', () => {
    const [w] = checkAnalysisPlan({ plan: plan('Linear10PercentEvery1Minute'), bakeSeconds: 0, analysis });
    expect(w).toBe(
      "steps of 1m are shorter than CloudWatch's metric delay (1–3 minutes): each step's data arrive during later steps; the evidence accumulates, and the last step's is awaited for up to 6m before 100% (--settle)",
    );
    const [off] = checkAnalysisPlan({
      plan: plan('Linear10PercentEvery1Minute', 0),
      bakeSeconds: 0,
      analysis,
    });
    expect(off).toContain('the last step is never judged before 100% (--settle 0)');
    expect(checkAnalysisPlan({ plan: plan('Canary10Percent5Minutes'), bakeSeconds: 0, analysis })).toEqual(
      [],
    );
  });

  it('a --settle shorter than the extra minutes it holds at the last weight', () => {
    const warnings = checkAnalysisPlan({ plan: plan('canary:10%:5m', 90), bakeSeconds: 0, analysis });
    expect(warnings).toEqual([
      "--settle 1m 30s is shorter than what the settle wait holds at the last weight (up to 1 minute for the last step's minute to end, then 2 more minutes): it ends first, so those minutes and their metrics are not all judged before 100% (give --settle at least 3m, 6m by default, or 0 to turn it off)",
    ]);
    expect(checkAnalysisPlan({ plan: plan('canary:10%:5m', 179), bakeSeconds: 0, analysis })).toEqual([
      expect.stringMatching(/^--settle 2m 59s is shorter than/),
    ]);
    // Long enough, off, or nothing held before 100%: nothing to say.
    expect(checkAnalysisPlan({ plan: plan('canary:10%:5m', 180), bakeSeconds: 0, analysis })).toEqual([]);
    expect(checkAnalysisPlan({ plan: plan('canary:10%:5m', 0), bakeSeconds: 0, analysis })).toEqual([]);
    expect(checkAnalysisPlan({ plan: plan('AllAtOnce', 60), bakeSeconds: 600, analysis })).toEqual([]);
  });

  it('too little traffic for the minimum sample', () => {
    // 5 req/min × 10% × (5 min + 6 min settle) = 5.5 calls
    const input = { plan: plan('Canary10Percent5Minutes'), bakeSeconds: 0, analysis, requestsPerMinute: 5 };
    expect(expectedNewVersionCalls(input)).toBeCloseTo(5.5, 10);
    expect(checkAnalysisPlan(input)).toEqual([
      'at about 5 requests a minute the new version gets about 5 calls while judged, fewer than the 100 the relative gates need (--min-invocations): expect "inconclusive"; use longer or larger steps, a --bake, or --alarm',
    ]);
    expect(checkAnalysisPlan({ ...input, requestsPerMinute: 1000 })).toEqual([]);
    // unknown traffic: no guess
    expect(checkAnalysisPlan({ ...input, requestsPerMinute: undefined })).toEqual([]);
  });
});

describe('describeNeverJudged', () => {
  const v = (gate: string, outcome: Verdict['outcome']): Verdict => ({
    gate,
    outcome,
    summary: `${gate} ${outcome}`,
    at: 0,
  });

  it('warns when every analysis verdict is inconclusive', () => {
    expect(
      describeNeverJudged(
        [
          v('alarms', 'pass'),
          v('error-rate-increase', 'inconclusive'),
          v('latency-increase', 'inconclusive'),
        ],
        '7',
      ),
    ).toBe(
      'the canary analysis never judged version 7: every gate ended inconclusive (error-rate-increase inconclusive)',
    );
  });

  it('is silent when any analysis gate judged, or when the analysis was off', () => {
    expect(
      describeNeverJudged([v('error-rate-increase', 'pass'), v('latency-increase', 'inconclusive')], '7'),
    ).toBeUndefined();
    expect(describeNeverJudged([v('alarms', 'pass')], '7')).toBeUndefined();
  });
});
