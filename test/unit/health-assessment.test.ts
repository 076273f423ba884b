import { describe, expect, it } from 'vitest';
import {
  assessHealth,
  condenseRepeats,
  type HealthLimits,
  type HealthPoll,
} from '../../src/domain/health-assessment.js';
import type { VerdictOutcome } from '../../src/domain/verdict.js';

const limits: HealthLimits = { healthErrorLimit: 3, ignoreHealthErrors: false, onInconclusive: 'continue' };

function poll(outcomes: VerdictOutcome[], endOfStep = false): HealthPoll {
  return {
    endOfStep,
    verdicts: outcomes.map((outcome, i) => ({
      outcome,
      gate: i === 0 ? 'alarms' : `gate${i}`,
      summary: outcome,
      at: 0,
    })),
  };
}

describe('assessHealth', () => {
  it.each<[string, HealthPoll[], Partial<HealthLimits>, string, string | undefined]>([
    ['no poll yet', [], {}, 'continue', undefined],
    ['all pass', [poll(['pass', 'pass'])], {}, 'continue', undefined],
    ['a failing gate', [poll(['pass', 'fail'])], {}, 'failed', 'GATE_FAILED'],
    ['two errors in a row, limit 3', [poll(['error']), poll(['error'])], {}, 'continue', undefined],
    [
      'three errors in a row',
      [poll(['error']), poll(['error']), poll(['error'])],
      {},
      'failed',
      'HEALTH_UNREADABLE',
    ],
    [
      'errors broken by a readable poll',
      [poll(['error']), poll(['pass']), poll(['error']), poll(['error'])],
      {},
      'continue',
      undefined,
    ],
    [
      'errors ignored',
      [poll(['error']), poll(['error']), poll(['error'])],
      { ignoreHealthErrors: true },
      'continue',
      undefined,
    ],
    [
      'inconclusive mid-step under fail',
      [poll(['inconclusive'])],
      { onInconclusive: 'fail' },
      'continue',
      undefined,
    ],
    [
      'inconclusive at the end of the step under fail',
      [poll(['inconclusive'], true)],
      { onInconclusive: 'fail' },
      'failed',
      'INCONCLUSIVE',
    ],
    [
      'inconclusive at the end of the step under continue',
      [poll(['inconclusive'], true)],
      {},
      'continue',
      undefined,
    ],
    [
      'a fail wins over errors',
      [poll(['error']), poll(['error']), poll(['error', 'fail'])],
      {},
      'failed',
      'GATE_FAILED',
    ],
  ])('%s → %s', (_name, history, overrides, status, code) => {
    const assessment = assessHealth(history, { ...limits, ...overrides });
    expect(assessment.status).toBe(status);
    expect(assessment.status === 'failed' ? assessment.cause.code : undefined).toBe(code);
  });

  /**
   * The `codedeploy` gate's verdict on a deployment that ended (engine/codedeploy-gate.ts): a
   * StopDeployment from outside this run (MANUAL_STOP) is marked `stoppedFromOutside`.
   */
  function codedeploy(outside: boolean): HealthPoll['verdicts'][number] {
    const details = { id: 'd-1', status: 'Stopped', stoppedFromOutside: outside };
    return {
      outcome: 'fail',
      gate: 'codedeploy',
      summary: 'CodeDeploy deployment d-1 Stopped',
      details,
      at: 0,
    };
  }

  /** The same verdict for a deployment CodeDeploy ended because a hook it ran failed. */
  function hookFailed(phase: 'pre' | 'post'): HealthPoll['verdicts'][number] {
    const verdict = codedeploy(false);
    return {
      ...verdict,
      details: { ...verdict.details, hookFailed: { phase, hooks: ['cmd:journey-test'] } },
    };
  }

  it.each<[string, HealthPoll['verdicts'], object]>([
    [
      'a stop from outside, alone',
      [codedeploy(true)],
      { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-1' } },
    ],
    [
      'a stop from outside beside an unreadable gate (not a failure of its own)',
      [codedeploy(true), { outcome: 'error', gate: 'alarms', summary: 'x', at: 0 }],
      { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-1' } },
    ],
    [
      'CodeDeploy’s own alarm (not MANUAL_STOP, no hook failed)',
      [codedeploy(false)],
      { code: 'GATE_FAILED', data: { gates: ['codedeploy'] } },
    ],
    [
      'a hook CodeDeploy ran that failed: the hook’s failure, as in a native deploy',
      [hookFailed('post')],
      { code: 'HOOK_FAILED', data: { phase: 'post', hooks: ['cmd:journey-test'] } },
    ],
    [
      'a hook CodeDeploy ran that failed, beside lshift’s own alarm: the gates',
      [hookFailed('post'), { outcome: 'fail', gate: 'alarms', summary: 'alarm a is ALARM', at: 0 }],
      { code: 'GATE_FAILED', data: { gates: ['codedeploy', 'alarms'] } },
    ],
    [
      'a stop from outside beside lshift’s own alarm',
      [codedeploy(true), { outcome: 'fail', gate: 'alarms', summary: 'alarm a is ALARM', at: 0 }],
      { code: 'GATE_FAILED', data: { gates: ['codedeploy', 'alarms'] } },
    ],
  ])('%s → %j', (_name, verdicts, cause) => {
    const assessment = assessHealth([{ verdicts, endOfStep: false }], limits);
    expect(assessment.status === 'failed' ? assessment.cause : undefined).toEqual(cause);
  });

  it('reports the error streak for the health.error event, and the reason names it', () => {
    const history = [poll(['pass', 'error']), poll(['error']), poll(['error'])];
    const assessment = assessHealth(history, limits);
    expect(assessment.errors).toMatchObject({ consecutive: 3, limit: 3 });
    expect(assessment.status === 'failed' && assessment.reason).toContain(
      '3 consecutive polls failed (limit 3)',
    );
  });
});

// "(3 attempts of 10 s each timed out).; analysis: …" (found by a hostile pass, session 61).
describe('assessHealth: clauses joined without a period before the ";"', () => {
  it('drops the closing period of each unreadable gate message', () => {
    const errors = (a: string, b: string): HealthPoll => ({
      endOfStep: false,
      verdicts: [
        { outcome: 'error', gate: 'alarms', summary: a, at: 0 },
        { outcome: 'error', gate: 'error-rate-increase', summary: b, at: 0 },
      ],
    });
    const history = [1, 2, 3].map(() =>
      errors('DescribeAlarms timed out (3 attempts of 10 s each timed out).', 'GetMetricData was throttled.'),
    );
    const assessment = assessHealth(history, limits);
    expect(assessment.errors?.message).not.toContain('.;');
    expect(assessment.errors?.message).toMatch(/timed out\); .*throttled$/);
  });
});

describe('condenseRepeats (one failing call read by several gates)', () => {
  const expired =
    'AWS rejected the credentials for cloudwatch:GetMetricData on metrics a, b, c and 22 more (ExpiredToken) (AWS: The security token included in the request is expired)';
  const alarms =
    'could not read alarm e: CREDENTIALS_INVALID: AWS rejected the credentials for cloudwatch:DescribeAlarms on alarms e (ExpiredToken) (AWS: The security token included in the request is expired)';

  it('keeps the first in full and says "(the same error)" for the repeats', () => {
    expect(
      condenseRepeats([
        alarms,
        `analysis: could not read CloudWatch metrics for demo:live (versions 2 and 1): ${expired}`,
        `async-delivery: could not read the asynchronous-invocation metrics of demo: ${expired}`,
        `pc-spillover: could not read ProvisionedConcurrencySpilloverInvocations of demo:live: ${expired}`,
      ]),
    ).toEqual([
      alarms,
      `analysis: could not read CloudWatch metrics for demo:live (versions 2 and 1): ${expired}`,
      'async-delivery: could not read the asynchronous-invocation metrics of demo: (the same error)',
      'pc-spillover: could not read ProvisionedConcurrencySpilloverInvocations of demo:live: (the same error)',
    ]);
  });

  it('an unreachable endpoint: each repeat is condensed from the longest tail an earlier one shares', () => {
    const refused = (call: string) =>
      `Could not reach http://127.0.0.1:4599 for ${call}: the endpoint refused the connection (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4599; 3 attempts made).`;
    const metrics = refused('cloudwatch:GetMetricData on metrics t_inv, t_err, t_thr and 22 more');
    const first = `could not read alarm demo-errors: NETWORK_ERROR: ${refused('cloudwatch:DescribeAlarms on alarms demo-errors')}`;
    expect(
      condenseRepeats([
        first,
        `analysis: could not read CloudWatch metrics for demo:live (versions 2 and 1): ${metrics}`,
        `async-delivery: could not read the asynchronous-invocation metrics of demo: ${metrics}`,
        `pc-spillover: could not read ProvisionedConcurrencySpilloverInvocations of demo:live: ${metrics}`,
      ]),
    ).toEqual([
      first,
      // Only the refusal is shared with the alarms' call: said once more in short.
      'analysis: could not read CloudWatch metrics for demo:live (versions 2 and 1): Could not reach http://127.0.0.1:4599 for cloudwatch:GetMetricData on metrics t_inv, t_err, t_thr and 22 more: (the same error)',
      'async-delivery: could not read the asynchronous-invocation metrics of demo: (the same error)',
      'pc-spillover: could not read ProvisionedConcurrencySpilloverInvocations of demo:live: (the same error)',
    ]);
  });

  it('leaves different errors, and short or parenthesised shared tails, alone', () => {
    const different = ['a: could not read x: THROTTLED', 'b: could not read y: THROTTLED'];
    expect(condenseRepeats(different)).toEqual(different);
    // Only AWS's own words are shared (inside "(AWS: …)"): the errors differ.
    const other = `analysis: could not read metrics: ${expired}`;
    expect(condenseRepeats([alarms, other])).toEqual([alarms, other]);
  });

  it('condenses the health-unreadable reason', () => {
    const verdict = (gate: string, summary: string) => ({ outcome: 'error' as const, gate, summary, at: 0 });
    const p: HealthPoll = {
      endOfStep: false,
      verdicts: [
        verdict('analysis', `could not read m: ${expired}`),
        verdict('pc-spillover', `could not read n: ${expired}`),
      ],
    };
    const result = assessHealth([p, p, p], limits);
    expect(result.status === 'failed' && result.reason).toBe(
      `health unreadable: 3 consecutive polls failed (limit 3): analysis: could not read m: ${expired}; pc-spillover: could not read n: (the same error)`,
    );
  });
});
