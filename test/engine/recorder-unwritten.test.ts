/**
 * The warning for a record write that failed (recorder-loss.ts describeUnwritten): a function
 * deleted mid-shift fails every later write the same way, so that is said once.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { describeUnread, describeUnwritten } from '../../src/engine/recorder-loss.js';

const where = { functionName: 'demo', alias: 'live' };
const gone = new OperationError(
  'FUNCTION_NOT_FOUND',
  'Function demo does not exist (lambda:TagResource).',
  {},
);
const throttled = new OperationError('THROTTLED', 'Rate exceeded (lambda:TagResource).', {});
const abandoned = new OperationError(
  'INTERRUPTED',
  'lambda:TagResource on function demo was abandoned: interrupted by SIGINT.',
  {},
);

describe('describeUnwritten', () => {
  it.each([
    [
      'a throttle, every time',
      'shifting' as const,
      throttled,
      true,
      'could not write the deployment record (shifting) of demo alias live: THROTTLED: Rate exceeded (lambda:TagResource); the shift continues',
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
    // This run's own Ctrl-C abandoned it: the run is stopping, not "the shift continues".
    ['a write of the shift abandoned for a signal', 'shifting' as const, abandoned, false, undefined],
    [
      'a rollback’s write abandoned (a second signal)',
      'rolling-back' as const,
      abandoned,
      false,
      'could not write the deployment record (rolling-back) of demo alias live: INTERRUPTED: lambda:TagResource on function demo was abandoned: interrupted by SIGINT; the rollback continues',
    ],
  ])('%s', (_what, phase, error, goneSaid, line) => {
    expect(describeUnwritten(phase, where, error, goneSaid)).toBe(line);
  });
});

describe('the function found gone in a release: the release stops for it (its rollback goes on)', () => {
  it.each([
    [
      'a write of the shift',
      describeUnwritten('shifting', where, gone, false, true),
      'could not write the deployment record (shifting) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the release stops for it and rolls the others back, and later writes that find it missing are not reported',
    ],
    [
      'a write of its rollback',
      describeUnwritten('rolling-back', where, gone, false, true),
      'could not write the deployment record (rolling-back) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the rollback continues without one, and later writes that find it missing are not reported',
    ],
    [
      'a read of the shift',
      describeUnread('shifting', where, true),
      'could not read the deployment record (shifting) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the release stops for it and rolls the others back, and later reads and writes that find it missing are not reported',
    ],
    [
      "a read of a single deploy's shift",
      describeUnread('shifting', where, false),
      'could not read the deployment record (shifting) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the shift continues without one, and later reads and writes that find it missing are not reported',
    ],
  ])('%s', (_what, said, line) => {
    expect(said).toBe(line);
  });
});
