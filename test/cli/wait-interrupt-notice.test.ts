/**
 * The first signal's notice of `lshift wait <id>`. Before the wait has read the deployment it does
 * not know whether there is anything to stop: the notice said "stopping the deployment with
 * auto-rollback (StopDeployment)", then the wait found it had ended and stopped nothing.
 */
import { describe, expect, it } from 'vitest';
import { describeWaitInterrupt } from '../../src/cli/wait-interrupt-notice.js';

const ID = 'd-ABCDEF123';

describe('describeWaitInterrupt', () => {
  it('before any read (rollback): says what happens whether it still runs or has ended, claims no stop', () => {
    const notice = describeWaitInterrupt(ID, 'rollback', {});
    expect(notice).toBe(
      `lshift has not read deployment ${ID} yet: if AWS CodeDeploy still runs it, lshift stops it with auto-rollback (StopDeployment) and follows it until CodeDeploy has put the alias back; if it has already ended, there is nothing to stop`,
    );
    expect(notice).not.toMatch(/^stopping/);
  });

  it('before any read (leave): does not say CodeDeploy keeps running what may have ended', () => {
    const notice = describeWaitInterrupt(ID, 'leave', {});
    expect(notice).toContain(`lshift has not read deployment ${ID} yet: if AWS CodeDeploy still runs it`);
    expect(notice).toContain('if it has already ended, there is nothing to leave running');
    expect(notice).not.toMatch(/^no longer following/);
  });

  it('once a read says it runs: stopping (rollback) or leaving it running (leave)', () => {
    expect(describeWaitInterrupt(ID, 'rollback', { status: 'InProgress' })).toBe(
      'stopping the deployment with auto-rollback (StopDeployment) and following it until CodeDeploy has put the alias back',
    );
    expect(describeWaitInterrupt(ID, 'leave', { status: 'InProgress' })).toBe(
      'no longer following the deployment; AWS CodeDeploy keeps running it (--on-interrupt leave)',
    );
  });

  it.each(['rollback', 'leave'] as const)('once the end is read (%s): nothing is left to stop', (mode) => {
    expect(describeWaitInterrupt(ID, mode, { status: 'Succeeded', ended: 'Succeeded' })).toBe(
      `AWS CodeDeploy had already ended deployment ${ID} (Succeeded): nothing is left to stop; lshift is reading where the alias is, then exits`,
    );
  });

  // It said "lshift is reading where the alias is, then exits" while the wait followed the record
  // of the run rolling back a deployment lshift decided to roll back (follow-deciding-run.ts): the
  // signal ends that following, and nothing is read again.
  it.each(['rollback', 'leave'] as const)(
    'following the run that rolls it back (%s): stops following, that run goes on',
    (mode) => {
      const notice = describeWaitInterrupt(ID, mode, {
        status: 'Succeeded',
        ended: 'Succeeded',
        followingRun: 'ops@desk:4242',
      });
      expect(notice).toBe(
        `AWS CodeDeploy had already ended deployment ${ID} (Succeeded): nothing is left to stop; lshift stops following the record of its run (ops@desk:4242), which is still rolling it back, and exits (exit 4): that run goes on, and \`lshift status\` shows where the alias is`,
      );
      expect(notice).not.toContain('reading where the alias is');
    },
  );

  // Found by a hostile pass: during the stop without rollback for a person's move it said
  // "stopping the deployment with auto-rollback … until CodeDeploy has put the alias back".
  it('stopping CodeDeploy without its rollback for a move by hand: that stop goes on, no rollback said', () => {
    const notice = describeWaitInterrupt(ID, 'rollback', { status: 'InProgress', keepingMove: true });
    expect(notice).toBe(
      'someone moved the alias by hand, and lshift is stopping the deployment WITHOUT its rollback so that the move stays: that stop goes on until CodeDeploy says it ended, then lshift exits',
    );
  });

  it.each([
    ['after the end', { status: 'Succeeded', ended: 'Succeeded', followingRun: 'ops@desk:4242' }],
    ['while CodeDeploy runs', { status: 'InProgress' }],
  ])('finishing the rollback itself (%s): the rollback goes on', (_, read) => {
    const notice = describeWaitInterrupt(ID, 'rollback', { ...read, finishingRollback: true });
    expect(notice).toBe(
      'lshift is finishing the rollback it decided for this deployment: the rollback goes on until the alias is back (or it fails), then lshift exits',
    );
  });
});
