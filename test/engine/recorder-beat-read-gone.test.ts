/**
 * A heartbeat asked for beside a call (beating-driver.ts, health-monitor.ts) reads the record
 * itself before it writes (the ownership check). When that read found the function deleted
 * (FUNCTION_NOT_FOUND) it was taken for a throttled read: the deletion went unnoted, the
 * heartbeat was put off for it (it might drop an operator command), and the release waited for a
 * later write to meet the deletion — which then said a write found it. A poll's own read
 * (operator-control.ts) notes it at once; the heartbeat's own read now does the same.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

function deletedReads(w: World): void {
  w.store.read = async () => {
    throw new OperationError('FUNCTION_NOT_FOUND', `Function ${FN} does not exist (lambda:ListTags).`, {});
  };
}

/** A release member's recorder, its record written once (so the next write reads first). */
async function releaseMember(w: World): Promise<DeploymentRecorder> {
  const record = deadRecord(w, { id: 'd-mine01', owner: 'me@host:1', releaseId: 'r-gone01' });
  const recorder = new DeploymentRecorder(w.deps, FN, ALIAS, record, undefined, 10_000);
  recorder.stopReleaseWhenGone();
  await recorder.write({ phase: 'shifting' });
  return recorder;
}

describe('a heartbeat whose own record read finds the function deleted', () => {
  it('notes the deletion as found by a read, said once, while the beat is put off', async () => {
    const w = createWorld();
    const recorder = await releaseMember(w);
    deletedReads(w);
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    // Put off (a read that failed may hide a command): nothing written...
    expect(w.store.writes).toHaveLength(1);
    // ...but the deletion is known now, and the release stops for it at this poll.
    expect(recorder.goneDuringShift()).toMatchObject({ foundBy: 'read', functionName: FN });
    const warns = w.sink.logs('warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]).toContain(`could not read the deployment record (shifting) of ${FN} alias ${ALIAS}`);
  });

  it("a rollback's write whose read finds it deleted: found by the rollback, not during the shift", async () => {
    const w = createWorld();
    const recorder = await releaseMember(w);
    deletedReads(w);
    await recorder.write({ phase: 'rolling-back' });
    expect(recorder.foundMissingBeforeRollback()).toBe(false);
    expect(recorder.goneDuringShift()).toBeUndefined();
    expect(w.sink.logs('warn')[0]).toContain('could not read the deployment record (rolling-back)');
  });
});
