/**
 * The warning for a record write that failed (recorder-loss.ts describeUnwritten): a function
 * deleted mid-shift fails every later write the same way, so that is said once.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { describeUnwritten } from '../../src/engine/recorder-loss.js';

const where = { functionName: 'demo', alias: 'live' };
const gone = new OperationError(
  'FUNCTION_NOT_FOUND',
  'Function demo does not exist (lambda:TagResource).',
  {},
);
const throttled = new OperationError('THROTTLED', 'Rate exceeded (lambda:TagResource).', {});

describe('describeUnwritten', () => {
  it.each([
    [
      'a throttle, every time',
      'shifting' as const,
      throttled,
      true,
      'could not write the deployment record (shifting) of demo alias live: THROTTLED: Rate exceeded (lambda:TagResource).; the shift continues',
    ],
    [
      'the function gone, the first time',
      'shifting' as const,
      gone,
      false,
      'could not write the deployment record (shifting) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the shift continues without one, and later writes that find it missing are not reported',
    ],
    [
      'the function gone, at a rollback',
      'rolling-back' as const,
      gone,
      false,
      'could not write the deployment record (rolling-back) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the rollback continues without one, and later writes that find it missing are not reported',
    ],
    [
      'the function gone, at a closing write',
      'failed' as const,
      gone,
      false,
      'could not write the deployment record (failed) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; nothing is left to close, and later writes that find it missing are not reported',
    ],
    ['the function gone, already said', 'shifting' as const, gone, true, undefined],
  ])('%s', (_what, phase, error, goneSaid, line) => {
    expect(describeUnwritten(phase, where, error, goneSaid)).toBe(line);
  });
});
