import { describe, expect, it } from 'vitest';
import { renderMinuteCharts } from '../../src/cli/renderers/mermaid-chart.js';
import { bucketMinutes, MAX_CHART_POINTS } from '../../src/cli/renderers/minute-buckets.js';
import { renderSparklines, sparkline } from '../../src/cli/renderers/sparkline.js';
import type { DeployResult } from '../../src/domain/events.js';
import type { Verdict } from '../../src/domain/verdict.js';

const T = Date.UTC(2030, 4, 1, 12, 0, 0);
const perMinute = {
  at: [T, T + 60_000, T + 120_000],
  targetInvocations: [100, 200, 300],
  targetErrors: [1, 6, 15],
  stableInvocations: [900, 800, 700],
  stableErrors: [9, 8, 7],
  targetP99: [120, 150, null],
  stableP99: [118, 121, 119],
};
const verdict: Verdict = {
  gate: 'error-rate-increase',
  outcome: 'fail',
  summary: '…',
  details: { perMinute },
  at: T,
};

describe('sparkline', () => {
  it('scales bars to the shared maximum and marks missing minutes', () => {
    expect(sparkline([0, 2.5, 5, null], 5)).toBe('▁▄█·');
  });

  it('renders both versions under the health line', () => {
    expect(renderSparklines([verdict])).toEqual([
      'errors  new ▂▅█  stable ▂▂▂  (max 5.0%)',
      'p99     new ▆█·  stable ▆▆▆  (max 150 ms)',
    ]);
    expect(renderSparklines([{ ...verdict, details: {} }])).toEqual([]);
  });
});

describe('renderMinuteCharts (GitHub step summary)', () => {
  const result: DeployResult = {
    status: 'rolled_back',
    functionName: 'orders',
    alias: 'live',
    fromVersion: '6',
    toVersion: '7',
    steps: [
      { index: 0, percent: 10, holdSeconds: 60, startedAt: T + 20_000, result: 'completed' },
      { index: 1, percent: 20, holdSeconds: 60, startedAt: T + 80_000, result: 'failed' },
    ],
    verdicts: [verdict],
  };

  it('draws error rate and p99 per minute, the weight written in a minute in its label', () => {
    expect(renderMinuteCharts(result).join('\n')).toBe(
      [
        '### New vs stable, per minute',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "Error rate per minute, % (1st line: version 7, 2nd: stable 6)"',
        '  x-axis ["12:00 →10%", "12:01 →20%", "12:02"]',
        '  y-axis "%" 0 --> 5.5',
        '  line [1, 3, 5]',
        '  line [1, 1, 1]',
        '```',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "p99 latency per minute, ms (1st line: version 7, 2nd: stable 6)"',
        '  x-axis ["12:00 →10%", "12:01 →20%"]',
        '  y-axis "ms" 0 --> 170',
        '  line [120, 150]',
        '  line [118, 121]',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('draws nothing without compared minutes', () => {
    expect(renderMinuteCharts({ ...result, verdicts: [] })).toEqual([]);
  });
});

/** A 2-day bake: 2,880 minutes, one bad minute (100% errors, p99 5 s) in the middle. */
function twoDayBake() {
  const n = 2 * 24 * 60;
  const bad = 1000;
  const at = Array.from({ length: n }, (_, i) => T + i * 60_000);
  return {
    at,
    targetInvocations: at.map(() => 100),
    targetErrors: at.map((_, i) => (i === bad ? 100 : 0)),
    stableInvocations: at.map(() => 900),
    stableErrors: at.map(() => 9),
    targetP99: at.map((_, i) => (i === bad ? 5000 : 120)),
    stableP99: at.map(() => 118),
  };
}

describe('bucketMinutes', () => {
  it('keeps a series of at most 120 minutes as it is', () => {
    const series = { ...perMinute, targetP99: [120, 150, 119] };
    expect(bucketMinutes(series)).toEqual({
      minutes: 1,
      series,
      endsAt: [T + 60_000, T + 120_000, T + 180_000],
    });
  });

  it('merges minutes into equal buckets: calls and errors summed, p99 the worst minute, a missing p99 skipped', () => {
    expect(bucketMinutes(perMinute, 2)).toEqual({
      minutes: 2,
      endsAt: [T + 120_000, T + 180_000],
      series: {
        at: [T, T + 120_000],
        targetInvocations: [300, 300],
        targetErrors: [7, 15],
        stableInvocations: [1700, 700],
        stableErrors: [17, 7],
        targetP99: [150, null],
        stableP99: [121, 119],
      },
    });
  });

  it('a 2-day bake: at most 120 buckets', () => {
    const buckets = bucketMinutes(twoDayBake());
    expect(buckets.minutes).toBe(24);
    expect(buckets.series.at).toHaveLength(MAX_CHART_POINTS);
    expect(buckets.series.targetInvocations.reduce((a, b) => a + b)).toBe(2880 * 100);
  });
});

describe('renderMinuteCharts of a 2-day bake', () => {
  const bake: DeployResult = {
    status: 'rolled_back',
    functionName: 'orders',
    alias: 'live',
    fromVersion: '6',
    toVersion: '7',
    steps: [{ index: 0, percent: 100, holdSeconds: 0, startedAt: T + 30_000, result: 'completed' }],
    verdicts: [{ ...verdict, details: { perMinute: twoDayBake() } }],
  };
  const text = renderMinuteCharts(bake);

  it('draws at most 120 points per line, and as many labels', () => {
    const lines = text.filter((l) => l.startsWith('  line ['));
    const axes = text.filter((l) => l.startsWith('  x-axis ['));
    expect(lines).toHaveLength(4);
    expect(axes).toHaveLength(2);
    for (const l of [...lines, ...axes]) {
      expect(l.split(',').length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    }
    expect(text.join('\n').length).toBeLessThan(20_000);
  });

  it('says how many minutes a point is, keeps the bad minute visible, and labels the weight', () => {
    expect(text[0]).toBe('### New vs stable, per 24 minutes');
    expect(text).toContain('  title "Error rate per 24 minutes, % (1st line: version 7, 2nd: stable 6)"');
    expect(text).toContain(
      '  title "p99 latency, worst minute of each 24, ms (1st line: version 7, 2nd: stable 6)"',
    );
    const [errors, , p99] = text.filter((l) => l.startsWith('  line ['));
    // Minute 1000 is in bucket 41 (minutes 984–1007): 100 errors of 2,400 calls.
    expect(errors!.slice('  line ['.length, -1).split(', ')[41]).toBe('4.17');
    expect(p99!.slice('  line ['.length, -1).split(', ')[41]).toBe('5000');
    expect(text.find((l) => l.startsWith('  x-axis ['))).toMatch(/^ {2}x-axis \["12:00 →100%", "12:24", /);
  });
});
