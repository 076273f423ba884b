import { describe, expect, it } from 'vitest';
import { renderEvidence, settingsMatchOf } from '../../src/cli/renderers/evidence-text.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../src/domain/analysis/config.js';
import { fingerprintJudging } from '../../src/domain/judging-fingerprint.js';

const verdict = {
  gate: 'error-rate-increase',
  outcome: 'inconclusive' as const,
  summary: '…',
  details: { eValue: 2, eValueNeeded: 200 },
  at: 0,
};

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

  it('says which settings the evidence was recomputed with, and that a deployment started with other flags needs other evidence', () => {
    expect(renderEvidence([verdict], DEFAULT_ANALYSIS_CONFIG)[1]).toBe(
      "    settings: 99% confidence, errors +0.5 pp, p99 +20% (the config file's or the defaults; a deployment started with other analysis flags judges by its own, which its record (of an older lshift) does not say)",
    );
    const stricter = { ...DEFAULT_ANALYSIS_CONFIG, confidence: 0.999, maxLatencyIncreasePct: undefined };
    expect(renderEvidence([verdict], stricter)[1]).toMatch(
      /^ {4}settings: 99\.9% confidence, errors \+0\.5 pp \(/,
    );
  });

  it('says whether they are the deployment’s own, by its record’s fingerprint (jd=)', () => {
    const config = { ...DEFAULT_ANALYSIS_CONFIG };
    const same = settingsMatchOf(fingerprintJudging(config), config);
    const other = settingsMatchOf(fingerprintJudging({ ...config, confidence: 0.999 }), config);
    expect([same, other, settingsMatchOf(undefined, config)]).toEqual(['same', 'other', 'unknown']);
    expect(renderEvidence([verdict], config, same)[1]).toContain("the same as the deployment's");
    expect(renderEvidence([verdict], config, other)[1]).toContain(
      "perhaps NOT the deployment's: its record says it was started with other absolute gates, thresholds or analysis settings",
    );
  });
});
