import { describe, expect, it } from 'vitest';
import { type AnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from '../../src/domain/analysis/config.js';
import {
  decodeJudging,
  describeJudging,
  describeJudgingDifference,
  encodeJudging,
  fingerprintJudging,
  judgesByDefaults,
  judgingFlagsToRepeat,
} from '../../src/domain/judging-fingerprint.js';

const DEFAULTS: AnalysisConfig = { ...DEFAULT_ANALYSIS_CONFIG };
const NO_ANALYSIS: AnalysisConfig = {
  ...DEFAULTS,
  maxErrorRateIncreasePp: undefined,
  maxLatencyIncreasePct: undefined,
};

describe('fingerprintJudging', () => {
  it('counts the absolute gates, with a 7-character hash', () => {
    const fp = fingerprintJudging({
      ...DEFAULTS,
      maxErrorRate: 0.02,
      maxLatency: { percentile: 'p99', ms: 800 },
      maxThrottles: 0,
    });
    expect(fp.absoluteGates).toBe(3);
    expect(fp.hash).toMatch(/^[0-9a-z]{7}$/);
    expect(fingerprintJudging(DEFAULTS).absoluteGates).toBe(0);
  });

  const changes: [string, Partial<AnalysisConfig>][] = [
    ['an error-rate gate', { maxErrorRate: 0.02 }],
    ['a latency gate', { maxLatency: { percentile: 'p99', ms: 800 } }],
    ['the same latency at another percentile', { maxLatency: { percentile: 'p90', ms: 800 } }],
    ['a throttle gate of 0', { maxThrottles: 0 }],
    ['a larger allowed error increase', { maxErrorRateIncreasePp: 1 }],
    ['the error comparison off', { maxErrorRateIncreasePp: undefined }],
    ['a larger allowed latency increase', { maxLatencyIncreasePct: 50 }],
    ['the latency comparison at p90', { latencyIncreasePercentile: 'p90' }],
    ['another confidence', { confidence: 0.95 }],
    ['another minimum sample', { minInvocations: 10 }],
    ['--on-inconclusive fail', { onInconclusive: 'fail' }],
    ['metric errors ignored', { ignoreMetricErrors: true }],
  ];

  it.each(changes)('%s changes the fingerprint', (_, change) => {
    expect(fingerprintJudging({ ...DEFAULTS, ...change })).not.toEqual(fingerprintJudging(DEFAULTS));
  });

  it('the percentile of a latency comparison that is off does not count', () => {
    const off = { ...DEFAULTS, maxLatencyIncreasePct: undefined };
    expect(fingerprintJudging({ ...off, latencyIncreasePercentile: 'p90' })).toEqual(fingerprintJudging(off));
  });

  it('is the same for the same settings (a resume with the same flags or --config)', () => {
    expect(fingerprintJudging({ ...DEFAULTS, maxErrorRate: 0.02 })).toEqual(
      fingerprintJudging({ ...DEFAULTS, maxErrorRate: 0.02 }),
    );
  });
});

describe('encodeJudging / decodeJudging', () => {
  it('round-trips', () => {
    const fp = fingerprintJudging({ ...DEFAULTS, maxThrottles: 5 });
    expect(encodeJudging(fp)).toMatch(/^1\.[0-9a-z]{7}$/);
    expect(decodeJudging(encodeJudging(fp))).toEqual(fp);
  });

  it.each(['', 'x', '1', '1.abc', '4.abcdefg', '1.ABCDEFG', '1.abcdefg.2'])('refuses %j', (text) => {
    expect(decodeJudging(text)).toBeUndefined();
  });
});

describe('words', () => {
  it('the defaults, with or without --no-analysis, say nothing and need no flag repeated', () => {
    for (const config of [DEFAULTS, NO_ANALYSIS]) {
      const fp = fingerprintJudging(config);
      expect(judgesByDefaults(fp)).toBe(true);
      expect(describeJudging(fp, 'present')).toBeUndefined();
      expect(judgingFlagsToRepeat(fp)).toEqual([]);
    }
  });

  it('absolute gates are counted; other settings are named as such', () => {
    expect(describeJudging(fingerprintJudging({ ...DEFAULTS, maxErrorRate: 0.02 }), 'past')).toBe(
      'judged by 1 absolute gate',
    );
    expect(describeJudging(fingerprintJudging({ ...DEFAULTS, confidence: 0.95 }), 'present')).toBe(
      'judges with analysis settings other than the defaults',
    );
    expect(judgingFlagsToRepeat(fingerprintJudging({ ...DEFAULTS, maxErrorRate: 0.02 }))).toEqual([
      'absolute gate',
      'analysis',
    ]);
  });

  it('a difference says how many gates each side has, or that a setting differs', () => {
    const gated = fingerprintJudging({ ...DEFAULTS, maxErrorRate: 0.02, maxThrottles: 0 });
    expect(describeJudgingDifference(gated, fingerprintJudging(DEFAULTS))).toBe(
      'the first run judged by 2 absolute gates (--max-error-rate, --max-p50/p90/p99 or --max-throttles); this resume by none',
    );
    expect(describeJudgingDifference(fingerprintJudging(DEFAULTS), gated)).toMatch(
      /^the first run judged by no absolute gate \(.*\); this resume by 2$/,
    );
    expect(
      describeJudgingDifference(
        fingerprintJudging(DEFAULTS),
        fingerprintJudging({ ...DEFAULTS, confidence: 0.9 }),
      ),
    ).toMatch(/^the first run judged health with other thresholds or analysis settings than this resume \(/);
  });
});
