import { describe, expect, it } from 'vitest';
import { renderMinuteCharts } from '../../src/cli/renderers/mermaid-chart.js';
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
