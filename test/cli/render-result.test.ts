import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { targetFixLines } from '../../src/cli/targeted-result.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf } from '../../src/domain/outcome.js';

const base: DeployResult = {
  status: 'rolled_back',
  functionName: 'demo',
  alias: 'live',
  fromVersion: '1',
  toVersion: '2',
  steps: [],
  verdicts: [],
};

const AWS_FIX =
  'aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config \'{"AdditionalVersionWeights":{}}\'';

describe('renderDeployResult: the headline says what happened to the alias', () => {
  // Found by a hostile pass: a resume that found its run's last write landed said "0 steps in 17m 8s".
  it('promoted with no step run (a resume that found the last write landed): no step left to run', () => {
    const text = renderDeployResult(
      withReason({ ...base, status: 'promoted', startedAt: 0, endedAt: 1_028_000 }),
    );
    expect(text).toMatch(/^✔ Promoted demo:live to version 2 \(from 1, no step left to run, in 17m 8s\)\./);
    const one = renderDeployResult(withReason({ ...base, status: 'promoted', steps: [{} as never] }));
    expect(one).toMatch(/^✔ Promoted demo:live to version 2 \(from 1, 1 step\)\./);
  });

  it('a refused first weight write: not started, nothing rolled back', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        trafficMoved: false,
        position: { kind: 'step', index: 0, percent: 10 },
        cause: causeOf(
          'WEIGHT_WRITE_FAILED',
          { percent: 10, error: 'CREDENTIALS_INVALID' },
          'could not write the weight: CREDENTIALS_INVALID: expired',
        ),
      }),
    );
    expect(text).toMatch(/^✖ Not started: demo:live is unchanged, all traffic is still on version 1\.\n/);
    expect(text).not.toContain('Rolled back');
    expect(text).toContain('Reason: not started: the first weight write (10%) was refused');
  });

  // Found by a hostile pass: after a `--supersede` the headline said the traffic was on version 1
  // while the alias was the superseding deployment's (version 3).
  it('rolled back and replaced by a --supersede: the headline says whose the alias is now', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        position: { kind: 'step', index: 0, percent: 10 },
        cause: causeOf('ROLLED_BACK_BY_OTHER', { owner: 'bob@ci:4', successor: 'd-new001' }),
      }),
    );
    expect(text).toMatch(
      /^✖ Rolled back and replaced: demo:live is deployment d-new001's now; version 2 carries no traffic\.\n/,
    );
  });

  // Found by a hostile pass: `--on-interrupt leave` under CodeDeploy exits 4 without the weights.
  it('handed to AWS CodeDeploy: the alias as last seen, then how to follow or stop it', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        status: 'paused',
        codeDeploy: { deploymentId: 'd-ABC123456' },
        aliasState: { functionVersion: '1', additionalWeights: { '2': 0.3 } },
        cause: causeOf('INTERRUPTED', { left: true }),
      } as DeployResult),
    );
    expect(text.split('\n').slice(0, 2)).toEqual([
      '➜ Handed demo:live to AWS CodeDeploy: deployment d-ABC123456.',
      '  Alias as last seen: version 1 (70%) + version 2 (30%)',
    ]);
  });

  it('a resume that finished a rollback left unfinished: rolled back, not "not started"', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        trafficMoved: false,
        cause: causeOf('ROLLBACK_UNFINISHED', { phase: 'rolling-back' }, 'the rollback was left unfinished'),
      }),
    );
    expect(text).toMatch(/^✖ Rolled back demo:live: all traffic is on version 1\.\n/);
  });

  it('traffic moved, then a gate failed: rolled back', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        trafficMoved: true,
        position: { kind: 'step', index: 1, percent: 20 },
        cause: causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm demo-errors is ALARM'),
      }),
    );
    expect(text).toMatch(/^✖ Rolled back demo:live: all traffic is on version 1\./);
  });
});

describe('renderDeployResult: an unsafe result’s fix', () => {
  const unsafe: DeployResult = {
    ...base,
    status: 'unsafe',
    trafficMoved: true,
    aliasState: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
    fixCommand: AWS_FIX,
    rollbackCommand: 'lshift rollback demo --alias live',
    cause: causeOf('ROLLBACK_FAILED', {
      attempts: 4,
      error: 'CREDENTIALS_INVALID: expired',
      errorCode: 'CREDENTIALS_INVALID',
    }),
  };

  it('names the same lshift command as the reason first, the AWS CLI line as the fallback', () => {
    const text = renderDeployResult(withReason(unsafe));
    expect(text).toContain('run `lshift rollback demo --alias live`');
    expect(text).toContain('\n  Fix: lshift rollback demo --alias live\n');
    expect(text).toMatch(/\n {2}Without lshift: aws lambda update-alias --function-name demo .*$/);
  });

  // Found by a hostile pass (session 61): "may still be split" of an alias read all on version 3.
  it.each([
    ['all on one version', { functionVersion: '3', additionalWeights: {} }, 'version 3 (100%)'],
    [
      'split by hand',
      { functionVersion: '1', additionalWeights: { '3': 0.25 } },
      'version 1 (75%) + version 3 (25%)',
    ],
  ])(
    'a rollback that met a hand move and could not close its record (%s): says what it read',
    (_, state, read) => {
      const text = renderDeployResult(
        withReason({
          ...base,
          status: 'unsafe',
          aliasState: state,
          cause: causeOf('ROLLBACK_CONFLICT', {
            error: 'alias live was changed by someone else during the rollback',
            after: causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm'),
            recordOpen: true,
          }),
        }),
      );
      expect(text.split('\n')[0]).toBe(
        `✖ UNSAFE: demo:live was moved by someone else during the rollback (lshift read it at ${read} and left it there); its deployment record is still open and needs a human.`,
      );
      expect(text).not.toContain('may still be split');
    },
  );

  // Session 67: a split left by the rollback is exit 4 (DESIGN.md §6), with the alias and the fix.
  it('a rollback that left a split someone made, its record closed: says so, the alias, and the rollback', () => {
    const result: DeployResult = {
      ...base,
      status: 'unsafe',
      fromVersion: '1',
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.35 } },
      cause: causeOf('ROLLBACK_CONFLICT', {
        error: 'alias live was changed by someone else during the rollback',
        after: causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm'),
      }),
    };
    const text = renderDeployResult(withReason(result));
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '✖ UNSAFE: demo:live was split by someone else during the rollback, and lshift left it split: nobody drives that split; it needs a human.',
    );
    expect(text).toContain('  Alias as last seen: version 1 (65%) + version 2 (35%)');
    const fix = '  Fix: lshift rollback demo --alias live   (puts all traffic on version 1 over that split)';
    expect(lines).toContain(fix);
    // The run's target goes on the command, not after the words about it.
    const early = renderDeployResult(withReason({ ...result, trafficMoved: false }));
    expect(early.split('\n')[0]).toBe(
      '✖ UNSAFE: demo:live was split by someone else before lshift moved any traffic, and lshift left it split: nobody drives that split; it needs a human.',
    );
    expect(targetFixLines([fix], { region: 'eu-west-1' })).toEqual([
      '  Fix: lshift rollback demo --alias live --region eu-west-1   (puts all traffic on version 1 over that split)',
    ]);
  });

  it('a result without rollbackCommand keeps its one Fix line', () => {
    const { rollbackCommand: _, ...older } = unsafe;
    expect(renderDeployResult(withReason(older))).toMatch(/\n {2}Fix: aws lambda update-alias .*$/);
  });
});

describe('renderDeployResult: a paused deploy', () => {
  it('says how to resume it on its alias, with this run’s guards again', () => {
    const text = renderDeployResult(withReason({ ...base, alias: 'prod', status: 'paused' }));
    expect(text).toContain(
      "Resume with `lshift deploy demo --alias prod --resume` and this run's --alarm, hook, --bake and analysis flags, or abort with `lshift rollback demo --alias prod`.",
    );
  });
});

describe('renderDeployResult: a last step stopped from outside', () => {
  const steps: DeployResult['steps'] = [
    { index: 0, percent: 10, holdSeconds: 60, startedAt: 0, endedAt: 60_000, result: 'completed' },
    { index: 1, percent: 20, holdSeconds: 60, startedAt: 60_000, endedAt: 95_000, result: 'stopped' },
  ];

  it('says which step stopped, after how long, and that its own health did not end it', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        status: 'conflict',
        steps,
        position: { kind: 'step', index: 1, percent: 20 },
        cause: causeOf('TAKEN_OVER', {}, 'taken over by ci@runner:7'),
      }),
    );
    expect(text.split('\n')).toContain(
      '  Step 2 (20%): stopped after 35s — ended by an operator, another lshift run, a change made outside lshift or another function of its release, not by its own health.',
    );
  });

  it('adds no such line when the step failed on its own health (the reason says it)', () => {
    const failed = steps.map((s) => ({
      ...s,
      result: s.result === 'stopped' ? ('failed' as const) : s.result,
    }));
    const text = renderDeployResult(withReason({ ...base, steps: failed }));
    expect(text).not.toContain('Step 2');
  });
});

/**
 * Seen in a hostile pass: after the analysis rolled back ("+23% > allowed 20%") or could not
 * judge, nothing named the flags a user would change. Each hint names them, and each is a flag.
 */
describe('renderDeployResult: the analysis flags to change', () => {
  const inconclusive = {
    outcome: 'inconclusive' as const,
    gate: 'latency-increase',
    summary: 'too few',
    at: 0,
  };
  const cases: [string, DeployResult, string[]][] = [
    [
      'a relative gate failed',
      {
        ...base,
        trafficMoved: true,
        cause: causeOf('GATE_FAILED', { gates: ['latency-increase'] }, 'p99 +23%'),
      },
      ['--max-latency-increase', '--confidence'],
    ],
    [
      'an absolute gate failed',
      { ...base, trafficMoved: true, cause: causeOf('GATE_FAILED', { gates: ['max-p99'] }, 'p99 900 ms') },
      ['--max-p99'],
    ],
    [
      'inconclusive under --on-inconclusive fail',
      {
        ...base,
        trafficMoved: true,
        cause: causeOf('INCONCLUSIVE', { gates: ['latency-increase'] }, 'too few'),
      },
      ['--bake', '--min-invocations', '--on-inconclusive continue'],
    ],
    [
      'promoted undecided',
      { ...base, status: 'promoted', steps: [], verdicts: [inconclusive] },
      ['--bake', '--min-invocations', '--on-inconclusive fail'],
    ],
  ];

  it.each(cases)(
    '%s: names the flags to change, each a flag of `lshift deploy`',
    async (_, result, named) => {
      const text = renderDeployResult(withReason(result));
      for (const flag of named) expect(text).toContain(flag);
      expect(text).toContain('(docs/analysis.md)');
      const { default: Deploy } = await import('../../commands/deploy.js');
      for (const [, flag] of text.matchAll(/--([a-z][a-z0-9-]*)/g))
        expect(Object.keys(Deploy.flags)).toContain(flag);
    },
  );

  it('an alarm that failed names no analysis flag', () => {
    const text = renderDeployResult(
      withReason({
        ...base,
        trafficMoved: true,
        cause: causeOf('GATE_FAILED', { gates: ['alarms'] }, 'ALARM'),
      }),
    );
    expect(text).not.toContain('docs/analysis.md');
  });
});

// "alarms and absolute gates still applied" was said of a deploy with neither (session 61).
describe('renderDeployResult: promoted with the analysis inconclusive says what else judged it', () => {
  const verdict = (gate: string, outcome: 'pass' | 'inconclusive') => ({
    outcome,
    gate,
    summary: 's',
    at: 0,
  });
  const note = (verdicts: DeployResult['verdicts']) =>
    renderDeployResult(withReason({ ...base, status: 'promoted', steps: [], verdicts }))
      .split('\n')
      .find((l) => l.includes('Note: the canary analysis could not judge'));
  it.each([
    [[], 'nothing else judged it (no alarm watched, no absolute limit passed)'],
    [[verdict('alarms', 'pass')], 'its alarms still applied'],
    [[verdict('max-p99', 'pass')], 'its absolute limits (--max-*) still applied'],
    [
      [verdict('alarms', 'pass'), verdict('max-error-rate', 'pass')],
      'its alarms and absolute limits still applied',
    ],
    [
      [verdict('max-p99', 'inconclusive')],
      'nothing else judged it (no alarm watched, no absolute limit passed)',
    ],
  ])('%j', (others, words) => {
    expect(note([verdict('error-rate-increase', 'inconclusive'), ...others])).toBe(
      `  Note: the canary analysis could not judge version 2 (inconclusive); ${words}.`,
    );
  });
});

// Found by a hostile pass: the reason quotes a failed hook's last line only, and the docs promised
// its last 20 lines in the failure message.
describe('renderDeployResult: a failed hook’s last lines of output', () => {
  it('under the reason, each line marked, after the one-line reason', () => {
    const output = ['Step 1/2 ok', 'GET /health -> 500', 'smoke test failed'];
    const text = renderDeployResult(
      withReason({
        ...base,
        trafficMoved: false,
        position: { kind: 'before-traffic' },
        cause: causeOf(
          'HOOK_FAILED',
          { phase: 'pre', hooks: ['cmd:./smoke.sh'], output },
          'pre-traffic hook cmd:./smoke.sh failed: exit code 1 (output: smoke test failed)',
        ),
      }),
    );
    expect(text.split('\n')).toEqual([
      '✖ Not started: demo:live is unchanged, all traffic is still on version 1.',
      '  Reason: pre-traffic hook cmd:./smoke.sh failed: exit code 1 (output: smoke test failed); no traffic was moved',
      '  Output of cmd:./smoke.sh (its last 3 lines):',
      '    | Step 1/2 ok',
      '    | GET /health -> 500',
      '    | smoke test failed',
    ]);
  });
});
