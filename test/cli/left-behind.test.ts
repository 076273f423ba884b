/** What a deploy that stops on an error after its publish says it left behind (src/cli/left-behind.ts). */
import { describe, expect, it } from 'vitest';
import { noteLeftBehind } from '../../src/cli/left-behind.js';
import { OperationError, UnsafeError } from '../../src/domain/errors.js';

describe('noteLeftBehind', () => {
  it('adds the version, that it is harmless and how to delete it to the message; code and exit stay', () => {
    const error = new OperationError('ASYNC_DESTINATION_LOST', 'Function demo: refused.', {
      hint: 'Fix it.',
    });
    const noted = noteLeftBehind(error, [{ functionName: 'demo', version: '7' }]);
    expect(noted).toBe(error);
    expect(noted).toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      hint: 'Fix it.',
      message:
        'Function demo: refused.\nLeft behind: version 7 of demo, which this deploy published. No alias routes to it, so it is harmless (Lambda gives it back to the next deploy of the same code and configuration instead of publishing another); to delete it: `aws lambda delete-function --function-name demo --qualifier 7`.',
    });
  });

  it("names every function's version of a release", () => {
    const error = new OperationError('STATE_UNWRITABLE', 'Could not write.');
    noteLeftBehind(error, [
      { functionName: 'a', version: '3' },
      { functionName: 'b', version: '9' },
    ]);
    expect(error.message).toContain(
      'Left behind: the versions this deploy published (a version 3, b version 9).',
    );
    expect(error.message).toContain(
      'to delete them: `aws lambda delete-function --function-name a --qualifier 3`; `aws lambda delete-function --function-name b --qualifier 9`.',
    );
  });

  it('leaves an exit-4 error, a bug and a deploy that published nothing new as they are', () => {
    const unsafe = new UnsafeError('INTERNAL', 'Split.');
    expect((noteLeftBehind(unsafe, [{ functionName: 'demo', version: '7' }]) as Error).message).toBe(
      'Split.',
    );
    const bug = new TypeError('x is undefined');
    expect((noteLeftBehind(bug, [{ functionName: 'demo', version: '7' }]) as Error).message).toBe(
      'x is undefined',
    );
    const refused = new OperationError('ACCESS_DENIED', 'Denied.');
    expect((noteLeftBehind(refused, []) as Error).message).toBe('Denied.');
  });
});
