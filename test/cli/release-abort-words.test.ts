import { describe, expect, it } from 'vitest';
import { describeReleaseAbort } from '../../src/cli/release-abort.js';
import type { AbortReleaseResult } from '../../src/engine/release-members.js';

/** The words of a release verb the runner refused (src/cli/release-abort.ts). */
function refused(verb: 'resume' | 'pause'): Parameters<typeof describeReleaseAbort>[0] {
  const sent = {
    functionName: 'fb',
    alias: 'live',
    verb,
    deploymentId: 'd-1',
    owner: 'ci@runner:7',
    answer: 'refused',
  } as unknown as AbortReleaseResult['sent'];
  return { releaseId: 'r-abc123', sent, functions: [], allEnded: false, verb };
}

describe('describeReleaseAbort: a refused verb', () => {
  // A resume goes to a record that may not say the release's pause; the runner answers it
  // (operator-refusals.ts), and its refusal means the release is not paused.
  it('resume: says the release is not paused', () => {
    expect(describeReleaseAbort(refused('resume'))).toBe(
      '✖ Release r-abc123 refused `resume` (sent through fb:live): it is not paused.',
    );
  });

  it('pause: the general words', () => {
    expect(describeReleaseAbort(refused('pause'))).toBe(
      '✖ Release r-abc123 refused `pause` (sent through fb:live): it was not in a state to obey it.',
    );
  });
});

describe('describeReleaseAbort: a promote of a paused release', () => {
  const promoted = (liftedPause: boolean): Parameters<typeof describeReleaseAbort>[0] => {
    const sent = {
      functionName: 'fb',
      alias: 'live',
      verb: 'promote',
      deploymentId: 'd-1',
      owner: 'ci@runner:7',
      answer: 'done',
      ...(liftedPause ? { liftedPause: true } : {}),
    } as unknown as AbortReleaseResult['sent'];
    return { releaseId: 'r-abc123', sent, functions: [], allEnded: false, verb: 'promote' };
  };

  // operator-control.ts lifts the pause on purpose; the answer says so rather than doing it silently.
  it('says the pause was lifted', () => {
    expect(describeReleaseAbort(promoted(true))).toBe(
      "✔ Release r-abc123 moves on (through fb:live, run by ci@runner:7): every function's current hold ends at its next poll. It was paused: the pause was lifted.",
    );
  });

  it('not paused: nothing said of a pause', () => {
    expect(describeReleaseAbort(promoted(false))).not.toMatch(/pause/);
  });
});

// Found by a hostile pass: `lshift abort --release r-… ga` (one of the release's two functions
// named) said "every function has ended:" and listed ga alone; only the named ones are read.
describe('describeReleaseAbort: an abort that waited for the functions named', () => {
  const aborted = (allEnded: boolean): Parameters<typeof describeReleaseAbort>[0] => {
    const sent = {
      functionName: 'ga',
      alias: 'live',
      verb: 'abort',
      deploymentId: 'd-1',
      owner: 'ci@runner:7',
      answer: 'done',
    } as unknown as AbortReleaseResult['sent'];
    const functions = [
      { functionName: 'ga', alias: 'live', deploymentId: 'd-1', phase: 'rolled-back' as const },
    ];
    return { releaseId: 'r-abc123', sent, functions, allEnded, verb: 'abort' };
  };

  it('all named ended: says "every function named", not "every function"', () => {
    const text = describeReleaseAbort(aborted(true));
    expect(text.split('\n')[0]).toMatch(/ and every function named has ended:$/);
    expect(text).not.toMatch(/every function has ended/);
  });

  it('not all named ended: says "not every function named"', () => {
    expect(describeReleaseAbort(aborted(false))).toContain(
      'not every function named had ended when the wait was over:',
    );
  });
});
