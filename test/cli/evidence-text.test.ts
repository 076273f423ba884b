import { describe, expect, it } from 'vitest';
import { renderEvidence } from '../../src/cli/renderers/evidence-text.js';

describe('renderEvidence (lshift status)', () => {
  it('says the e-value in words, as a share of the way to a rollback', () => {
    expect(
      renderEvidence([
        {
          gate: 'error-rate-increase',
          outcome: 'inconclusive',
          summary: '…',
          details: { eValue: 10, eValueNeeded: 100 },
          at: 0,
        },
        {
          gate: 'latency-increase',
          outcome: 'fail',
          summary: '…',
          details: { eValue: 2.5e7, eValueNeeded: 100 },
          at: 0,
        },
        { gate: 'max-error-rate', outcome: 'pass', summary: 'version 7 error rate 0.5% ≤ max 1%', at: 0 },
      ]),
    ).toEqual([
      '  canary analysis (recomputed now from CloudWatch):',
      '    error rate: evidence 10 of the 100 needed to roll back (50% of the way) — inconclusive',
      '    latency: evidence 2.5e+7 of the 100 needed to roll back (100% of the way) — fail',
      '    max-error-rate: pass — version 7 error rate 0.5% ≤ max 1%',
    ]);
  });

  it('shows nothing without verdicts', () => {
    expect(renderEvidence([])).toEqual([]);
  });
});
