import { describe, expect, it } from 'vitest';
import {
  describeReleaseRollbackHeadline,
  describeSkippedMember,
} from '../../src/cli/describe-release-rollback.js';

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

// `rollback --release r-… orders billing` said "billing:live left alone: its record names no
// release" of an alias with no record at all (found by a hostile pass, session 59).
describe('describeSkippedMember', () => {
  it('a function without a record of the release at its alias: says so, claims no record it lacks', () => {
    expect(describeSkippedMember('r-k3j9x2', { functionName: 'demo', alias: 'live' })).toBe(
      '– demo:live left alone: no record of release r-k3j9x2 at this alias (not part of it, or never started)',
    );
  });

  it('a record of another release: names it', () => {
    expect(
      describeSkippedMember('r-k3j9x2', { functionName: 'demo', alias: 'live', recordedRelease: 'r-zzz999' }),
    ).toBe(
      '– demo:live left alone: no record of release r-k3j9x2 at this alias (its record belongs to release r-zzz999)',
    );
  });
});
