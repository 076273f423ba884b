/**
 * The warning for a record write that failed (recorder-loss.ts describeUnwritten): a function
 * deleted mid-shift fails every later write the same way, so that is said once.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { describeUnread, describeUnwritten } from '../../src/engine/recorder-loss.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

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
      describeUnwritten('shifting', where, gone, false, { inRelease: true }),
      'could not write the deployment record (shifting) of demo alias live: function demo no longer exists (FUNCTION_NOT_FOUND), and its record went with it; the release stops for it and rolls the others back, and later writes that find it missing are not reported',
    ],
    [
      'a write of its rollback',
      describeUnwritten('rolling-back', where, gone, false, { inRelease: true }),
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

/**
 * A write of the shift that failed after the rollback's mark was asked for (queued behind it): it
 * said "the shift continues, but moves no more traffic until a write lands" under the ROLLBACK
 * line (found by a hostile pass: every call held, LSHIFT_AWS_TIMEOUT=3s).
 */
describe('a write of the shift failing once the rollback began', () => {
  async function warningsOfHeldBeat(then: Partial<DeploymentRecord>): Promise<string[]> {
    const w = createWorld();
    const recorder = new DeploymentRecorder(w.deps, FN, ALIAS, deadRecord(w, { id: 'd-mine01' }));
    recorder.holdMovesForRecord(120_000);
    await recorder.write({ phase: 'shifting', percent: 25 });
    // The next write hangs, then fails; the rollback's mark is asked for meanwhile.
    let fail: () => void = () => {};
    const failed = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const write = w.store.write.bind(w.store);
    let calls = 0;
    w.store.write = (...args) => {
      calls++;
      return calls === 1 ? failed.then(() => Promise.reject(throttled)) : write(...args);
    };
    await w.clock.sleep(30_000);
    const beat = recorder.heartbeat(30_000);
    const mark = recorder.store(then);
    fail();
    await Promise.all([beat, mark]);
    return w.sink.logs('warn');
  }

  it('says the rollback goes on, not the shift', async () => {
    const [line, ...more] = await warningsOfHeldBeat({ phase: 'rolling-back', percent: 25 });
    expect(more).toEqual([]);
    expect(line).toBe(
      'could not write the deployment record (shifting) of demo alias live: THROTTLED: Rate exceeded (lambda:TagResource); it was a write of the shift, sent before the rollback began: the rollback continues, and its own record write comes in its turn',
    );
  });

  it('while the shift goes on (a step written next), it says the shift continues', async () => {
    const [line] = await warningsOfHeldBeat({ phase: 'shifting', percent: 50 });
    expect(line).toContain('; the shift continues, but moves no more traffic until a write lands');
  });
});
