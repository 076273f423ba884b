import { describe, expect, it } from 'vitest';
import {
  describeReleaseRollbackHeadline,
  describeSkippedMember,
  describeUnnamedMembers,
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

  // `lshift rollback --release r-…` with no function named finds them by their records: "every
  // function named" was said of functions nobody named.
  it('none named: says the functions found, not named', () => {
    expect(describeReleaseRollbackHeadline('r-k3j9x2', 'nothing_to_deploy', undefined, false)).toBe(
      'Release r-k3j9x2: nothing to roll back, every function found was already on its stable version',
    );
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

// `rollback --release r-… fa fb` said "Release r-…: rolled back", exit 0, while ga:prod of the
// release, not named, was still split (found by a hostile pass, session 59, F1).
describe('the release’s functions not named', () => {
  const ga = {
    functionName: 'ga',
    alias: 'prod',
    phase: 'shifting',
    percent: 10,
    command: 'lshift rollback --release r-k3j9x2 ga --alias prod',
  };

  it('one still open: the headline does not say rolled back; its line says where it is and its command', () => {
    const unnamed = { kind: 'looked' as const, open: [ga] };
    expect(describeReleaseRollbackHeadline('r-k3j9x2', 'unsafe', unnamed)).toBe(
      'Release r-k3j9x2: not rolled back as a whole: 1 function of it not named is still open and was left as it is (below); the functions named:',
    );
    expect(describeUnnamedMembers('r-k3j9x2', unnamed)).toEqual([
      '✖ ga:prod of release r-k3j9x2, not named: its record is shifting at 10%, left as it is; `lshift rollback --release r-k3j9x2 ga --alias prod` rolls it back',
    ]);
  });

  it('none open: as before', () => {
    const unnamed = { kind: 'looked' as const, open: [] };
    expect(describeReleaseRollbackHeadline('r-k3j9x2', 'rolled_back', unnamed)).toBe(
      'Release r-k3j9x2: rolled back',
    );
    expect(describeUnnamedMembers('r-k3j9x2', unnamed)).toEqual([]);
  });

  it('not looked for: not headlined as rolled back, and says why and how to allow it', () => {
    const unnamed = {
      kind: 'not-looked' as const,
      cause: 'unlisted' as const,
      why: 'the functions in reach could not be listed (AccessDeniedException: no lambda:ListFunctions)',
      open: [],
    };
    expect(describeReleaseRollbackHeadline('r-k3j9x2', 'rolled_back', unnamed)).toBe(
      'Release r-k3j9x2: the functions named are rolled back; its functions not named were not looked for (below)',
    );
    const [line] = describeUnnamedMembers('r-k3j9x2', unnamed);
    expect(line).toContain(
      "! release r-k3j9x2's functions not named were not looked for: the functions in reach could not be listed (AccessDeniedException: no lambda:ListFunctions).",
    );
    expect(line).toContain(
      'allow lambda:ListFunctions ("Resource": "*"; `lshift iam-policy --list-functions`)',
    );
  });

  // Session 60, F1: a Ctrl-C during the listing was told to allow lambda:ListFunctions.
  it('interrupted: run the same command again, no IAM advice', () => {
    const unnamed = {
      kind: 'not-looked' as const,
      cause: 'interrupted' as const,
      why: 'the rollback was interrupted during the listing',
      open: [],
    };
    const [line] = describeUnnamedMembers('r-k3j9x2', unnamed);
    expect(line).toContain('interrupted during the listing.');
    expect(line).toContain('run the same command again to have them looked for');
    expect(line).not.toContain('ListFunctions');
  });

  it('some records unread: run it again, or name them; no IAM advice', () => {
    const unnamed = {
      kind: 'not-looked' as const,
      cause: 'unread' as const,
      why: '1 of the records in reach could not be read (ga: ThrottlingException)',
      open: [],
    };
    const [line] = describeUnnamedMembers('r-k3j9x2', unnamed);
    expect(line).toContain(
      'run the same command again (a read that failed may pass then), or name every function',
    );
    expect(line).not.toContain('ListFunctions');
  });

  // Session 60, F2: one command per function; following the first ended exit 4 again.
  it('two open at one alias: a line each for where they are, one command for both', () => {
    const command = 'lshift rollback --release r-k3j9x2 ga gb --alias prod';
    const unnamed = {
      kind: 'looked' as const,
      open: [
        { ...ga, command },
        { ...ga, functionName: 'gb', percent: 20, command },
        {
          ...ga,
          functionName: 'fz',
          alias: 'live',
          command: 'lshift rollback --release r-k3j9x2 fz --alias live',
        },
      ],
    };
    expect(describeUnnamedMembers('r-k3j9x2', unnamed)).toEqual([
      '✖ ga:prod of release r-k3j9x2, not named: its record is shifting at 10%, left as it is',
      '✖ gb:prod of release r-k3j9x2, not named: its record is shifting at 20%, left as it is',
      '  `lshift rollback --release r-k3j9x2 ga gb --alias prod` rolls these 2 back',
      '✖ fz:live of release r-k3j9x2, not named: its record is shifting at 10%, left as it is; `lshift rollback --release r-k3j9x2 fz --alias live` rolls it back',
    ]);
  });
});
