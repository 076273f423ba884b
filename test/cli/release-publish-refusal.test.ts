/**
 * A release of two functions, one whose `$LATEST` runs under another execution role than its
 * stable version: the release is refused (ROLE_MISMATCH, exit 2) before any function's code is
 * uploaded or any version published — a version of each was once published first.
 */
import { describe, expect, it } from 'vitest';
import { publishAll } from '../../src/cli/release-publish.js';
import type { ReleaseMember } from '../../src/cli/release-setup.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { ALIAS, createFleetWorld, request } from '../engine/world.js';

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
