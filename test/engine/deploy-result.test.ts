import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import type { DeployStatus } from '../../src/domain/events.js';
import { planRollback } from '../../src/domain/release-program.js';
import { aliasStateForPercent } from '../../src/engine/alias-step.js';
import {
  buildCodeDeployDeployCommand,
  buildFixCommand,
  describeAliasState,
  describeStep,
} from '../../src/engine/deploy-result.js';

describe('exitCodeForStatus', () => {
  it.each([
    ['promoted', 0],
    ['nothing_to_deploy', 0],
    ['failed', 1],
    ['rolled_back', 3],
    ['unsafe', 4],
    ['paused', 4],
    ['conflict', 5],
  ] as [DeployStatus, number][])('%s → %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });
});

describe('aliasStateForPercent', () => {
  it.each([
    [0, { functionVersion: '1', additionalWeights: {} }],
    [1, { functionVersion: '1', additionalWeights: { '2': 0.01 } }],
    [10, { functionVersion: '1', additionalWeights: { '2': 0.1 } }],
    [33, { functionVersion: '1', additionalWeights: { '2': 0.33 } }],
    [0.5, { functionVersion: '1', additionalWeights: { '2': 0.005 } }],
    [99.9, { functionVersion: '1', additionalWeights: { '2': 0.999 } }],
    [100, { functionVersion: '2', additionalWeights: {} }],
  ])('percent %s', (percent, state) => {
    expect(aliasStateForPercent('1', '2', percent)).toEqual(state);
  });

  it('makes rollback a one-step program: restore the stable version, written as 0% on the target', () => {
    const target = { functionName: 'demo', alias: 'live' };
    const program = planRollback({ stableVersion: '1' }, target);
    expect(program.steps).toEqual([{ kind: 'restore', target, version: '1' }]);
    expect(aliasStateForPercent('1', '2', 0)).toEqual({ functionVersion: '1', additionalWeights: {} });
  });
});

describe('wording', () => {
  it.each([
    [0, 10, 'step 1 (10%)'],
    [1, 20, 'step 2 (20%)'],
    [2, 0.5, 'step 3 (0.5%)'],
    [9, 100, 'step 10 (100%)'],
  ])('describeStep(%i, %s) = %s', (index, percent, text) => {
    expect(describeStep(index, percent)).toBe(text);
  });

  it('describes alias routing with both shares', () => {
    expect(describeAliasState({ functionVersion: '1', additionalWeights: { '2': 0.2 } })).toBe(
      'version 1 (80%) + version 2 (20%)',
    );
    expect(describeAliasState({ functionVersion: '3', additionalWeights: {} })).toBe('version 3 (100%)');
  });

  it('builds an AWS CLI fix command, quoting what the shell would split', () => {
    expect(buildFixCommand('demo', 'live', '1')).toBe(
      `aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`,
    );
    expect(buildFixCommand('my fn', "it's", '1')).toContain(`--function-name 'my fn' --name 'it'\\''s'`);
  });
});

describe('buildCodeDeployDeployCommand', () => {
  it('quotes every name a shell would read otherwise (found by a hostile pass: `$(…)` ran when pasted)', () => {
    expect(
      buildCodeDeployDeployCommand({
        functionName: 'demo',
        alias: 'live',
        application: "my app;echo PWNED$(id)'s",
        group: '<b>g</b>',
      }),
    ).toBe(
      "lshift deploy demo --alias live --engine codedeploy --application 'my app;echo PWNED$(id)'\\''s' --deployment-group '<b>g</b>'",
    );
  });

  it('leaves plain names as they are', () => {
    expect(
      buildCodeDeployDeployCommand({
        functionName: 'demo',
        alias: 'prod',
        application: 'lshift-demo',
        group: 'demo-prod',
      }),
    ).toBe(
      'lshift deploy demo --alias prod --engine codedeploy --application lshift-demo --deployment-group demo-prod',
    );
  });
});
