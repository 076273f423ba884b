/**
 * An endpoint that refuses every connection fails each health source alike (the alarms'
 * DescribeAlarms, and the one GetMetricData the metric gates share). The poll line said the same
 * ~200-character error four times; now the first says it in full and the others "(the same
 * error)", as the health-unreadable reason does (health-assessment.ts, condenseRepeats).
 */
import { describe, expect, it } from 'vitest';
import { summarizeHealth } from '../../src/cli/renderers/describe-event.js';
import type { Verdict } from '../../src/domain/verdict.js';

const refused = (call: string) =>
  `Could not reach http://127.0.0.1:4599 for ${call}: the endpoint refused the connection (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4599; 3 attempts made).`;
const metrics = refused('cloudwatch:GetMetricData on metrics t_inv, t_err and 22 more');
const error = (gate: string, summary: string): Verdict => ({ outcome: 'error', gate, summary, at: 0 });

describe('a health line when every source failed the same way', () => {
  it('says the error once in full, then "(the same error)"', () => {
    const line = summarizeHealth(1, [
      error(
        'alarms',
        `could not read alarm demo-errors: NETWORK_ERROR: ${refused('cloudwatch:DescribeAlarms')}`,
      ),
      error('analysis', `could not read CloudWatch metrics for demo:live (versions 2 and 1): ${metrics}`),
      error('async-delivery', `could not read the asynchronous-invocation metrics of demo: ${metrics}`),
    ]);
    expect(line).toBe(
      [
        `alarms error: could not read alarm demo-errors: NETWORK_ERROR: ${refused('cloudwatch:DescribeAlarms')}`,
        'analysis error: could not read CloudWatch metrics for demo:live (versions 2 and 1): Could not reach http://127.0.0.1:4599 for cloudwatch:GetMetricData on metrics t_inv, t_err and 22 more: (the same error)',
        'async-delivery error: could not read the asynchronous-invocation metrics of demo: (the same error)',
      ].join('; '),
    );
  });

  it('keeps gates with one identical summary together, and different errors whole', () => {
    const throttled = 'could not read x: THROTTLED';
    expect(
      summarizeHealth(0, [
        error('a', throttled),
        error('b', throttled),
        error('c', 'could not read y: DENIED'),
      ]),
    ).toBe('a error, b error: could not read x: THROTTLED; c error: could not read y: DENIED');
  });
});
