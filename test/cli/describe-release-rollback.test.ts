import { describe, expect, it } from 'vitest';
import { describeReleaseRollbackHeadline } from '../../src/cli/describe-release-rollback.js';

// `lshift rollback --release` run a second time (at 3 a.m., to be sure) found every function back
// already and headed its output "Release r-…: nothing to_deploy": the engine's status with only
// its first underscore replaced.
describe('describeReleaseRollbackHeadline', () => {
  it.each([
    ['rolled_back', 'Release r-k3j9x2: rolled back'],
    [
      'nothing_to_deploy',
      'Release r-k3j9x2: nothing to roll back, every function named was already on its stable version',
    ],
    ['failed', 'Release r-k3j9x2: failed'],
    ['unsafe', 'Release r-k3j9x2: unsafe'],
    ['conflict', 'Release r-k3j9x2: conflict'],
  ] as const)('%s', (status, line) => {
    expect(describeReleaseRollbackHeadline('r-k3j9x2', status)).toBe(line);
  });

  it('never shows an engine status word with an underscore', () => {
    for (const status of ['rolled_back', 'nothing_to_deploy', 'failed', 'unsafe', 'conflict'] as const) {
      expect(describeReleaseRollbackHeadline('r-k3j9x2', status)).not.toContain('_');
    }
  });
});
