/**
 * A release of two functions, one whose `$LATEST` runs under another execution role than its
 * stable version: the release is refused (ROLE_MISMATCH, exit 2) before any function's code is
 * uploaded or any version published — a version of each was once published first. The same for
 * one whose new version would lose its stable version's on-failure destination
 * (ASYNC_DESTINATION_LOST), once refused only by the release's preflight after every publish.
 * A publish that fails once the others published says the versions they left behind.
 */
import { describe, expect, it } from 'vitest';
import { publishAll } from '../../src/cli/release-publish.js';
import type { ReleaseMember } from '../../src/cli/release-setup.js';
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { ALIAS, createFleetWorld, request, type World } from '../engine/world.js';

const FNS = ['demo', 'other'];

function pending(fn: string, i: number): Omit<DeployRequest, 'targetVersion'> {
  const { targetVersion: _, ...rest } = request({
    functionName: fn,
    alarms: [`${fn}-errors`],
    deploymentId: `d-abc12${i}`,
  });
  return rest;
}

describe('publishAll: the checks of every function before any upload or publish', () => {
  it("one function's $LATEST has another role: nothing is uploaded or published for either", async () => {
    const w = createFleetWorld(['other']);
    w.metrics.setAlarm('demo-errors', 'OK');
    w.lambda.configureLatest('other', { role: 'arn:aws:iam::123456789012:role/new-role' });
    const byName = new Map<string, ReleaseMember>(
      FNS.map((fn) => [fn, { functionName: fn, options: { code: { kind: 'latest' } } } as ReleaseMember]),
    );
    const publishing = publishAll(
      w.deps,
      FNS.map(pending),
      byName,
      { releaseId: 'r-abc123' },
      new AbortController().signal,
    );
    await expect(publishing).rejects.toMatchObject({
      code: 'ROLE_MISMATCH',
      exitCode: 2,
      message: expect.stringContaining('Function other: stable version 1 and $LATEST'),
    });
    for (const op of ['updateCode', 'publishVersion', 'updateAlias', 'tagResource'] as const) {
      expect(w.lambda.callsOf(op), op).toEqual([]);
    }
    expect(w.store.writes).toEqual([]);
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)?.functionVersion).toBe('1');
    // The refusal names its function; the other function's checks passed silently.
    expect(w.sink.ofType('preflight.check').filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ check: 'same-role', target: { functionName: 'other', alias: ALIAS } }),
    ]);
  });
});

function publishBoth(w: World) {
  const byName = new Map<string, ReleaseMember>(
    FNS.map((fn) => [fn, { functionName: fn, options: { code: { kind: 'latest' } } } as ReleaseMember]),
  );
  return publishAll(
    w.deps,
    FNS.map(pending),
    byName,
    { releaseId: 'r-abc123' },
    new AbortController().signal,
  );
}

describe('publishAll: what needs no version number comes before every publish', () => {
  it("one function's new version would lose its on-failure destination: nothing is uploaded or published", async () => {
    const w = createFleetWorld(['other']);
    w.metrics.setAlarm('demo-errors', 'OK');
    const q = 'arn:aws:sqs:us-east-1:123456789012:other-failures';
    w.lambda.setEventInvokeConfig('other', { qualifier: '1', onFailure: q });
    await expect(publishBoth(w)).rejects.toMatchObject({
      code: 'ASYNC_DESTINATION_LOST',
      exitCode: 1,
      message: expect.stringContaining(
        `Function other: during the shift, the new version this deploy would publish would handle its share of alias live's asynchronous events without the on-failure destination ${q}`,
      ),
    });
    for (const op of ['updateCode', 'publishVersion', 'updateAlias', 'tagResource'] as const) {
      expect(w.lambda.callsOf(op), op).toEqual([]);
    }
    expect(w.store.writes).toEqual([]);
  });

  it('a publish that fails after the others published: its error says the versions left behind', async () => {
    const w = createFleetWorld(['other']);
    w.metrics.setAlarm('demo-errors', 'OK');
    w.lambda.fail({
      op: 'publishVersion',
      match: (args) => args[0] === 'other',
      error: new OperationError('THROTTLED', 'AWS throttled lambda:PublishVersion on other.'),
    });
    await expect(publishBoth(w)).rejects.toMatchObject({
      code: 'THROTTLED',
      message:
        'AWS throttled lambda:PublishVersion on other.\nLeft behind: version 3 of demo, which this deploy published. No alias routes to it, so it is harmless (Lambda gives it back to the next deploy of the same code and configuration instead of publishing another); to delete it: `aws lambda delete-function --function-name demo --qualifier 3`.',
    });
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });
});

// A SIGTERM during the publishes: the versions whose answer came were said left behind, the
// publishes it cut short not at all, though Lambda may have made them (found by a hostile pass,
// session 61).
describe('publishAll: interrupted while publishing', () => {
  it('names the publishes cut short as possibly made, beside the versions left behind', async () => {
    const w = createFleetWorld(['other']);
    w.metrics.setAlarm('demo-errors', 'OK');
    const stop = new AbortController();
    w.lambda.fail({
      op: 'publishVersion',
      match: (args) => {
        if (args[0] !== 'other') return false;
        stop.abort();
        return true;
      },
      error: new OperationError(
        'INTERRUPTED',
        'Interrupted during lambda:PublishVersion; it may still have been applied.',
      ),
    });
    const byName = new Map<string, ReleaseMember>(
      FNS.map((fn) => [fn, { functionName: fn, options: { code: { kind: 'latest' } } } as ReleaseMember]),
    );
    const publishing = publishAll(w.deps, FNS.map(pending), byName, { releaseId: 'r-abc123' }, stop.signal);
    const error = await publishing.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('Left behind: version 3 of demo');
    expect(error?.message).toContain(
      'Stopped by the interrupt before its answer: the publish of other. Lambda may have published a version of it anyway (no alias routes to it, so it is harmless); `aws lambda list-versions-by-function --function-name other` shows it.',
    );
  });
});

describe('publishAll: every function whose publish failed is said, not only the first', () => {
  it("one's $LATEST changed by someone else, another's publish throttled: both named with their reasons; the one published is left behind", async () => {
    const fns = ['demo', 'other', 'third'];
    const w = createFleetWorld(['other', 'third']);
    w.metrics.setAlarm('demo-errors', 'OK');
    // As the AWS adapter maps a 412 to PublishVersion (src/aws/error-mapping.ts).
    w.lambda.fail({
      op: 'publishVersion',
      match: (args) => args[0] === 'demo',
      error: new ConflictError(
        'FUNCTION_CHANGED',
        'Someone else changed function demo since lshift read it (RevisionId mismatch on lambda:PublishVersion); nothing was overwritten.',
        { hint: 'Run `lshift status demo` to see the current state, then retry.' },
      ),
    });
    w.lambda.fail({
      op: 'publishVersion',
      match: (args) => args[0] === 'third',
      error: new OperationError('THROTTLED', 'AWS throttled lambda:PublishVersion.', {
        hint: 'Retry in a minute.',
      }),
    });
    const byName = new Map<string, ReleaseMember>(
      fns.map((fn) => [fn, { functionName: fn, options: { code: { kind: 'latest' } } } as ReleaseMember]),
    );
    const publishing = publishAll(
      w.deps,
      fns.map(pending),
      byName,
      { releaseId: 'r-abc123' },
      new AbortController().signal,
    );
    // The first failure in the functions' order gives the code and exit code (5), as the checks' do.
    await expect(publishing).rejects.toMatchObject({
      code: 'FUNCTION_CHANGED',
      exitCode: 5,
      message:
        'Someone else changed function demo since lshift read it (RevisionId mismatch on lambda:PublishVersion); nothing was overwritten.\n' +
        "1 more of the release's functions failed to publish too:\n" +
        '  - third: THROTTLED: AWS throttled lambda:PublishVersion. Retry in a minute.\n' +
        'Left behind: version 3 of other, which this deploy published. No alias routes to it, so it is harmless (Lambda gives it back to the next deploy of the same code and configuration instead of publishing another); to delete it: `aws lambda delete-function --function-name other --qualifier 3`.',
      hint: 'For demo: Run `lshift status demo` to see the current state, then retry.',
    });
    // Nothing else changed: every publish was tried, no alias or record written.
    expect(w.lambda.callsOf('publishVersion').map((c) => c.args[0])).toEqual(fns);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.writes).toEqual([]);
    for (const fn of fns) expect(w.lambda.peekAlias(fn, ALIAS)?.functionVersion).toBe('1');
  });
});
