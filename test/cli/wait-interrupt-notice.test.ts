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
});
