import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import type { FollowResult } from '../../src/engine/follow-codedeploy.js';

const target = { functionName: 'demo', alias: 'live', currentVersion: '1', targetVersion: '2' } as never;
const stopped = (outcome: FollowResult['outcome']): FollowResult => ({
  deploymentId: 'd-D9122CEC1',
  status: 'Stopped',
  outcome,
  target,
  detail:
    'stopped from outside this run (a StopDeployment request: the console, `aws deploy stop-deployment` or another operator): CodeDeploy deployment d-D9122CEC1 Stopped: The deployment was stopped by a StopDeployment request. (rollback: alias live routes all traffic to version 1.)',
});

/**
 * Seen in the sandbox (`aws deploy stop-deployment` of a deploy --engine codedeploy, then `lshift
 * wait d-…`): the headline "✖ CodeDeploy deployment d-… Stopped: …" and again in its "Reason:".
 */
describe('lshift wait’s summary of a CodeDeploy deployment that did not succeed', () => {
  it.each(['rolled_back', 'unsafe'] as const)('%s: names the deployment and its status once', (outcome) => {
    const text = describeFollow(stopped(outcome));
    expect(text.match(/CodeDeploy deployment d-D9122CEC1/g)).toHaveLength(1);
    expect(text).toContain(
      '  Reason: stopped from outside this run (a StopDeployment request: the console, `aws deploy stop-deployment` or another operator): The deployment was stopped by a StopDeployment request.',
    );
  });

  it('a reason that is only CodeDeploy’s account starts with its words', () => {
    const failed: FollowResult = {
      ...stopped('rolled_back'),
      status: 'Failed',
      detail: 'CodeDeploy deployment d-D9122CEC1 Failed: a hook failed',
    };
    const lines = describeFollow(failed).split('\n');
    expect(lines[0]).toBe(
      '✖ CodeDeploy deployment d-D9122CEC1 Failed: all traffic of demo:live is back on version 1.',
    );
    expect(lines[1]).toBe('  Reason: a hook failed');
  });
});

describe('lshift wait’s summary when its Ctrl-C came after CodeDeploy had ended the deployment', () => {
  const late = (outcome: FollowResult['outcome'], status: FollowResult['status']): FollowResult => ({
    deploymentId: 'd-D9122CEC1',
    status,
    outcome,
    target,
    interruptedAfterEnd: true,
  });

  it('succeeded: says nothing was stopped, and how to put the traffic back', () => {
    expect(describeFollow(late('succeeded', 'Succeeded')).split('\n')).toEqual([
      '✔ CodeDeploy deployment d-D9122CEC1 Succeeded: demo:live is on version 2.',
      '  The interrupt came after CodeDeploy had ended the deployment: nothing was stopped. To put all traffic back on version 1: `lshift rollback demo --alias live`',
    ]);
  });

  it('rolled back by CodeDeploy already: says nothing was stopped, with no command to run', () => {
    const lines = describeFollow(late('rolled_back', 'Failed')).split('\n');
    expect(lines).toEqual([
      '✖ CodeDeploy deployment d-D9122CEC1 Failed: all traffic of demo:live is back on version 1.',
      '  The interrupt came after CodeDeploy had ended the deployment: nothing was stopped.',
    ]);
  });

  it('an interrupt the wait obeyed in time says nothing of it', () => {
    const inTime: FollowResult = { ...late('succeeded', 'Succeeded'), interruptedAfterEnd: undefined };
    expect(describeFollow(inTime)).not.toContain('interrupt');
  });
});

/**
 * `--on-interrupt leave` and a signal before any read answered: lshift does not know whether
 * CodeDeploy still runs the deployment. The line said "CodeDeploy keeps running it" of one that
 * may have ended.
 */
describe('lshift wait left a deployment (--on-interrupt leave)', () => {
  it('before any read: says its status is not known, and how to see it', () => {
    const lines = describeFollow({ deploymentId: 'd-D9122CEC1', outcome: 'left', statusUnread: true }).split(
      '\n',
    );
    expect(lines).toEqual([
      '➜ Stopped following d-D9122CEC1 before lshift had read it (--on-interrupt leave): whether AWS CodeDeploy still runs it or has ended it is not known.',
      '  To see it: `aws deploy get-deployment --deployment-id d-D9122CEC1 --query deploymentInfo.status`, or follow it again with `lshift wait d-D9122CEC1`',
    ]);
    expect(lines.join('\n')).not.toContain('keeps running it');
  });

  it('once read running: CodeDeploy keeps running it', () => {
    expect(
      describeFollow({ deploymentId: 'd-D9122CEC1', status: 'InProgress', outcome: 'left', target }),
    ).toBe('➜ Stopped following d-D9122CEC1; CodeDeploy keeps running it (--on-interrupt leave).');
  });
});

// Found by a hostile pass (session 60): a wait of a deployment lshift had decided to roll back
// said "✔ … Succeeded: demo:live is on version 2" and closed its record promoted.
describe('lshift wait’s summary of a deployment lshift had decided to roll back', () => {
  it('finished: says whose decision it finished and where all traffic is', () => {
    const text = describeFollow({
      ...stopped('rolled_back'),
      detail: undefined,
      decidedRollback: {
        recordId: 'd-k3j9x2',
        finished: true,
        said: 'all traffic is on version 1 (was version 1 (60%) + version 2 (40%))',
      },
    } as FollowResult);
    expect(text.split('\n')).toEqual([
      '✖ lshift had decided to roll back deployment d-k3j9x2 (CodeDeploy deployment d-D9122CEC1, Stopped): the wait finished that rollback: all traffic of demo:live is back on version 1.',
      '  Rollback: all traffic is on version 1 (was version 1 (60%) + version 2 (40%))',
    ]);
  });

  it('not finished: UNSAFE, with the command that finishes it, never "Succeeded"', () => {
    const text = describeFollow({
      ...stopped('unsafe'),
      status: 'InProgress',
      detail: undefined,
      decidedRollback: { recordId: 'd-k3j9x2', finished: false, said: 'this wait cannot move traffic' },
    } as FollowResult);
    expect(text).toContain('✖ UNSAFE: lshift had decided to roll back deployment d-k3j9x2');
    expect(text).toContain('  Fix: lshift rollback demo --alias live');
    expect(text).not.toContain('Succeeded');
  });
  // Session 61: CodeDeploy Succeeded while the deciding run's stop was held; the wait said ✔, exit 0.
  it('CodeDeploy Succeeded and the deciding run put the alias back: said as that run’s rollback, never ✔', () => {
    const text = describeFollow({
      ...stopped('rolled_back'),
      status: 'Succeeded',
      detail: undefined,
      decidedRollback: {
        recordId: 'd-k3j9x2',
        finished: true,
        said: 'its run (ci@box:7) closed the record rolled-back',
        by: 'ci@box:7',
      },
    } as FollowResult);
    expect(text.split('\n')).toEqual([
      '✖ lshift had decided to roll back deployment d-k3j9x2 (CodeDeploy deployment d-D9122CEC1, Succeeded): its run finished that rollback: all traffic of demo:live is back on version 1.',
      '  Rollback: its run (ci@box:7) closed the record rolled-back',
    ]);
  });

  it('left while the deciding run was still on it: UNSAFE, status to see it, never ✔', () => {
    const text = describeFollow({
      ...stopped('unsafe'),
      status: 'Succeeded',
      detail: undefined,
      aliasState: { functionVersion: '2', additionalWeights: {} },
      decidedRollback: {
        recordId: 'd-k3j9x2',
        finished: false,
        said: 'its run (ci@box:7) was still rolling it back when the wait was interrupted',
        by: 'ci@box:7',
      },
    } as FollowResult);
    expect(text).toContain(
      '✖ UNSAFE: lshift had decided to roll back deployment d-k3j9x2 (CodeDeploy deployment d-D9122CEC1, Succeeded): its run (ci@box:7) was still rolling it back when the wait was interrupted',
    );
    expect(text).toContain('lshift status demo --alias live');
    expect(text).not.toContain('✔');
  });

  // Seen by hand (session 62): a Ctrl-C of the wait following that run's record, before any alias
  // read: "…; demo:live is unknown.".
  it('left before any alias read: says the alias was not read, not "is unknown"', () => {
    const text = describeFollow({
      ...stopped('unsafe'),
      status: 'Succeeded',
      detail: undefined,
      decidedRollback: {
        recordId: 'd-k3j9x2',
        finished: false,
        said: 'its run (ci@box:7) was still rolling it back when the wait was interrupted',
        by: 'ci@box:7',
      },
    } as FollowResult);
    expect(text).toContain('when the wait was interrupted; where demo:live is now was not read.');
    expect(text).not.toContain('is unknown');
  });
});
