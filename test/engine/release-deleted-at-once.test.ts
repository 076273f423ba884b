/**
 * A function of a release deleted during a hold, found by its record's heartbeat (a write) or by
 * the read before it (a member reads its record with its heartbeat): the release decides at that
 * poll, as the next weight write meeting the deletion would — the others roll back, the release
 * fails (exit 1), and every line says "deleted during the release". Before (2 December 2026) it
 * held on, the deleted function shown `holding … (alarms ok)`, and the others' aliases stayed
 * split until the next level's weight write met the deletion (here 3 minutes after the start).
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const DELETED_AT_MS = 30_000;
/** The second level's weight write: where the deletion used to be met. */
const NEXT_LEVEL_MS = 180_000;

function notFound(fn: string, op: string): OperationError {
  return new OperationError('FUNCTION_NOT_FOUND', `Function ${fn} does not exist (lambda:${op}).`, {});
}

/** From `atMs` on, `fn` is gone with its record (tags on it): writes fail, and reads when `reads`. */
function deleteAt(w: World, fn: string, atMs: number, reads: boolean): void {
  let gone = false;
  const write = w.store.write.bind(w.store);
  const read = w.store.read.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === fn) throw notFound(fn, 'TagResource');
    return write(functionName, alias, record);
  };
  w.store.read = async (functionName: string, alias: string) => {
    if (gone && reads && functionName === fn) throw notFound(fn, 'ListTags');
    return read(functionName, alias);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction(fn);
  });
}

async function release(w: World) {
  const rel: ReleaseRequest = {
    releaseId: 'r-once01',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 180) }),
    ),
  };
  return withReleaseReason(await runRelease(w.deps, rel));
}

describe.each([
  { by: 'write', foundBy: 'its heartbeat (a record write)', reads: false },
  { by: 'read', foundBy: 'the read of its record before the heartbeat', reads: true },
])('a function of a release deleted during a hold, found by $foundBy', ({ by, reads }) => {
  it('the release decides at that poll: the others roll back, no further level starts', async () => {
    const w = createFleetWorld(FNS);
    deleteAt(w, 'fb', DELETED_AT_MS, reads);
    const result = await release(w);

    expect(result.status).toBe('failed');
    const rollbacks = w.sink.ofType('rollback.started').map((e) => e.at - w.start);
    expect(rollbacks.length).toBeGreaterThan(0);
    // At the first heartbeat after the deletion (a release beats each record once a minute).
    for (const at of rollbacks) expect(at).toBeLessThanOrEqual(DELETED_AT_MS + 60_000);
    expect(Math.max(...rollbacks)).toBeLessThan(NEXT_LEVEL_MS);
    expect(w.sink.ofType('step.started').filter((e) => e.index > 0)).toEqual([]);

    const words = 'function fb was deleted during the release';
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb.status).toBe('failed');
    expect(fb.cause).toMatchObject({
      code: 'ROLLBACK_TARGET_DELETED',
      data: {
        what: 'function',
        missingBefore: true,
        after: { code: 'FUNCTION_DELETED', data: { foundBy: by } },
      },
    });
    expect(fb.reason).toBe(
      `${words}: at step 1 (25%) a ${by} of its deployment record found no function, and the rollback found it gone too. There is no traffic left to move and nothing to roll back`,
    );
    expect(w.sink.ofType('rollback.failed').map((e) => e.message)).toEqual([words]);
    for (const fn of ['fa', 'fc'])
      expect(result.functions.find((f) => f.functionName === fn)?.status).toBe('rolled_back');
    expect(result.reason).toMatch(new RegExp(`^function fb failed: ${words}: `));
    expect(result.reason).toContain('fa and fc are back on their stable versions');
    expect(result.reason).not.toMatch(/during the deployment|during the rollback|went to roll it back/);
    // Said once, however many reads and writes met it.
    const gone = w.sink.ofType('log').filter((e) => e.message.includes('no longer exists'));
    expect(gone).toHaveLength(1);
    // Marked, so the release table keeps the row saying so (release-table.ts).
    expect(gone[0]).toMatchObject({ level: 'warn', about: 'record', functionGone: true });
  });
});
