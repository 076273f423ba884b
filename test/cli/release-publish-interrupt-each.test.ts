/**
 * A SIGTERM during a release's publishes (found by h1's hostile pass, session 71): the
 * list-versions line named only the first function cut short, and the hint said what had changed
 * of the first function only (its `$LATEST`, its version), though every function in flight was
 * interrupted the same way.
 */
import { describe, expect, it } from 'vitest';
import { publishAll } from '../../src/cli/release-publish.js';
import type { ReleaseMember } from '../../src/cli/release-setup.js';
import { type LshiftError, OperationError } from '../../src/domain/errors.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { createFleetWorld, request } from '../engine/world.js';

const FNS = ['fa', 'fb', 'fc'];

function pending(fn: string, i: number): Omit<DeployRequest, 'targetVersion'> {
  const { targetVersion: _, ...rest } = request({
    functionName: fn,
    alarms: [`${fn}-errors`],
    deploymentId: `d-abc12${i}`,
  });
  return rest;
}

describe('publishAll: a signal while every function publishes', () => {
  it('names each function cut short in the listing, and what changed of each in the hint', async () => {
    const w = createFleetWorld(FNS);
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-errors`, 'OK');
    const stop = new AbortController();
    // Each in flight when the signal comes: every PublishVersion abandoned.
    for (const fn of FNS)
      w.lambda.fail({
        op: 'publishVersion',
        match: (args) => {
          if (args[0] !== fn) return false;
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
    const error = await publishAll(
      w.deps,
      FNS.map(pending),
      byName,
      { releaseId: 'r-abc123' },
      stop.signal,
    ).then(
      () => undefined,
      (e: unknown) => e as LshiftError,
    );
    expect(error?.code).toBe('INTERRUPTED');
    expect(error?.message).toContain(
      'Stopped by the interrupt before its answer: the publish of fa, fb, fc. Lambda may have published a version of each anyway (no alias routes to it, so it is harmless); `aws lambda list-versions-by-function --function-name fa`; `aws lambda list-versions-by-function --function-name fb`; `aws lambda list-versions-by-function --function-name fc` show them.',
    );
    for (const fn of FNS)
      expect(error?.hint).toContain(
        `For ${fn}: A version of ${fn} may have been published (\`aws lambda list-versions-by-function --function-name ${fn}\` lists them); no alias moved.`,
      );
  });
});
