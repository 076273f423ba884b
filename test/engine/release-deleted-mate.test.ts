/**
 * A release's other function found deleted when the release rolls it back (fc's alarm decides;
 * fb is gone) — or found gone by its own heartbeat first, which now decides the release. The release's reason said "fb was deleted during the rollback" whenever that
 * happened — also when a heartbeat of the shift had already found fb gone, and when fb was
 * deleted at some moment lshift never saw (a release beats each record once a minute). It now
 * says what is known: deleted during the shift (a write of the shift found it gone), or gone when
 * the release went to roll it back, deleted after lshift last wrote to it.
 */
import { describe, expect, it } from 'vitest';
import { type ReasonedRelease, withReleaseReason } from '../../src/cli/describe-release.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];

/** At `atMs` fb is deleted, its record (tags on it) with it: every later write of it fails. */
function deleteFbAt(w: World, atMs: number): void {
  let gone = false;
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (gone && functionName === 'fb')
      throw new OperationError('FUNCTION_NOT_FOUND', 'Function fb does not exist (lambda:TagResource).', {});
    return write(functionName, alias, record);
  };
  w.clock.after(atMs, () => {
    gone = true;
    w.lambda.deleteFunction('fb');
  });
}

async function run(w: World, verdictAtMs: number): Promise<ReasonedRelease> {
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + verdictAtMs, reason: 'errors over 3' });
  const rel: ReleaseRequest = {
    releaseId: 'r-gone02',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 180) }),
    ),
  };
  return withReleaseReason(await runRelease(w.deps, rel));
}

function fbOf(result: ReasonedRelease) {
  return result.functions.find((f) => f.functionName === 'fb')!;
}

describe('a release whose other function was deleted before its rollback', () => {
  it('found gone by a heartbeat of the shift: fb decides at once, deleted during the release', async () => {
    const w = createFleetWorld(FNS);
    // Deleted at 30 s; fb's heartbeat about a minute in finds it gone, and the release decides
    // there (release-deleted-at-once.test.ts): fc's alarm at 100 s comes after the verdict. Before,
    // the release held on until fc's alarm and said fb was deleted as fc's rollback's mate.
    deleteFbAt(w, 30_000);
    const result = await run(w, 100_000);

    expect(fbOf(result)).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function', missingBefore: true } },
    });
    expect(result.reason).toBe(
      'function fb failed: function fb was deleted during the release: at step 1 (25%) a write of its deployment record found no function, and the rollback found it gone too. There is no traffic left to move and nothing to roll back; fa and fc are back on their stable versions',
    );
    // Its progress line and its own reason say the same words (before: "during the deployment").
    expect(w.sink.ofType('rollback.failed').map((e) => e.message)).toEqual([
      'function fb was deleted during the release',
    ]);
    expect(renderReleaseResult(result)).not.toContain('deleted during the rollback');
  });

  it('deleted between two of its writes: gone when the release went to roll it back, no more said', async () => {
    const w = createFleetWorld(FNS);
    // fb's last write landed about a minute in; deleted at 100 s; fc's alarm at 110 s decides
    // before fb's next heartbeat: only the rollback's restore finds it gone.
    deleteFbAt(w, 100_000);
    const result = await run(w, 110_000);

    expect(fbOf(result).cause).toMatchObject({ code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } });
    expect(
      fbOf(result).cause?.code === 'ROLLBACK_TARGET_DELETED' && fbOf(result).cause?.data,
    ).not.toHaveProperty('missingBefore');
    expect(result.reason).toContain(
      "; function fb was gone when the release went to roll it back (deleted after lshift's last write to it): nothing left to roll back",
    );
    expect(result.reason).not.toContain('deleted during the rollback');
    // Its own row says the same, no more.
    expect(fbOf(result).reason).toContain(
      "function fb was gone when the release went to roll it back (deleted after lshift's last write to it)",
    );
    expect(fbOf(result).reason).not.toContain('deleted during the rollback');
    // So does its progress line (the TTY step, the plain `ROLLBACK FAILED` line).
    expect(w.sink.ofType('rollback.failed').map((e) => e.message)).toContain(
      "function fb was gone when the release went to roll it back (deleted after lshift's last write to it)",
    );
  });
});
