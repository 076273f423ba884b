/** A check's owner in GitHub Actions names its job attempt (owner.ts describeCheckRunner). */
import { describe, expect, it } from 'vitest';
import { describeCheckRunner, describeOwner } from '../../src/cli/owner.js';
import { isEarlierAttempt, parseGithubJobOwner } from '../../src/domain/owner-mark.js';
import { checkOwner } from '../../src/engine/owner-kinds.js';

const GHA = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'my-org/orders',
  GITHUB_RUN_ID: '9170337',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_JOB: 'check',
};

describe('describeCheckRunner', () => {
  it('names the repository, run, attempt and job in GitHub Actions', () => {
    expect(describeCheckRunner(GHA)).toBe('gha:my-org/orders/9170337/2/check');
    expect(parseGithubJobOwner(checkOwner(describeCheckRunner(GHA)))).toEqual({
      repository: 'my-org/orders',
      runId: '9170337',
      attempt: 2,
      job: 'check',
    });
  });

  it('is the run owner without an attempt or a job (an older runner), and elsewhere', () => {
    const { GITHUB_RUN_ATTEMPT: _a, ...noAttempt } = GHA;
    expect(describeCheckRunner(noAttempt)).toBe('gha:my-org/orders/9170337');
    expect(describeCheckRunner({ ...GHA, GITHUB_RUN_ATTEMPT: 'x' })).toBe('gha:my-org/orders/9170337');
    const gitlab = { GITLAB_CI: 'true', CI_PROJECT_PATH: 'g/p', CI_JOB_ID: '7' };
    expect(describeCheckRunner(gitlab)).toBe(describeOwner(gitlab));
  });

  it('a deploy keeps the run owner', () => {
    expect(describeOwner(GHA)).toBe('gha:my-org/orders/9170337');
  });
});

describe('isEarlierAttempt', () => {
  const own = 'check:gha:my-org/orders/9170337/2/check';
  it.each([
    ['check:gha:my-org/orders/9170337/1/check', true],
    ['check:gha:my-org/orders/9170337/1/other-job', true],
    ['check:gha:my-org/orders/9170337/2/other-job', false],
    ['check:gha:my-org/orders/9170338/1/check', false],
    ['check:gha:my-org/orders/9170337', false],
    ['check:cron@host-a:41', false],
  ])('%s → %s', (other, earlier) => {
    expect(isEarlierAttempt(other, own)).toBe(earlier);
  });
});
