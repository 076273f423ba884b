import { describe, expect, it } from 'vitest';
import { describeReleaseAbort } from '../../src/cli/release-abort.js';
import type { AbortReleaseResult } from '../../src/engine/release-abort.js';

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
