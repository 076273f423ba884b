/**
 * A poll whose reads hang asks for its record's heartbeat beside them (health-monitor.ts). That
 * beat does the record work the poll's own heartbeat did (its ownership read, its write), so
 * what it finds — the function deleted, the record taken over — is that poll's to act on. The
 * poll judged before the beat ended, and a deletion its beat found waited a whole poll interval
 * (here 40 s more) for the next poll to see it, the other functions' aliases split meanwhile.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['alpha', 'beta'];
/** The poll whose alarm read hangs (a 60 s grid from the step's write at 0). */
const HUNG_POLL_MS = 180_000;
const ALARMS_HANG_MS = 15_000;
/** beta's heartbeat write, asked for 10 s into that poll, answers this much later: not found. */
const BEAT_WRITE_MS = 10_000;

function release(): ReleaseRequest {
  return {
    releaseId: 'r-found01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-found${i}`,
        pollIntervalSeconds: 60,
        ...linear(50, 600),
      }),
    ),
  };
}

/** The alarm reads of the poll at HUNG_POLL_MS hang until ALARMS_HANG_MS later; beta is deleted then. */
function hangPollThenDelete(w: World): void {
  const describeAlarms = w.metrics.describeAlarms.bind(w.metrics);
  const hangFrom = w.start + HUNG_POLL_MS;
  let deleted = false;
  /** Only the beat's write is slow; the rollback's marks fail at once. */
  let slowOnce = false;
  w.metrics.describeAlarms = async (names: string[]) => {
    const now = w.clock.now();
    if (now >= hangFrom && now < hangFrom + ALARMS_HANG_MS) {
      if (!deleted) w.lambda.deleteFunction('beta');
      deleted = true;
      await w.clock.sleep(hangFrom + ALARMS_HANG_MS - now);
    }
    return describeAlarms(names);
  };
  const write = w.store.write.bind(w.store);
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (deleted && functionName === 'beta') {
      if (!slowOnce) await w.clock.sleep(BEAT_WRITE_MS);
      slowOnce = true;
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        'Function beta does not exist (lambda:TagResource).',
        {},
      );
    }
    return write(functionName, alias, record);
  };
}

describe("a deletion found by the heartbeat beside a poll's hung reads", () => {
  it('the release decides at that poll, once the beat ended, not a poll later', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    hangPollThenDelete(w);
    let ended = false;
    const running = runRelease(w.deps, release()).finally(() => {
      ended = true;
    });
    while (!ended) await w.clock.advance(1_000);
    expect((await running).status).toBe('failed');
    const rollbacks = w.sink.ofType('rollback.started').map((e) => e.at - w.start);
    expect(rollbacks.length).toBeGreaterThan(0);
    // The beat was asked for 10 s into the poll and ended 10 s later; the next poll is at 240 s.
    const foundAt = HUNG_POLL_MS + 10_000 + BEAT_WRITE_MS;
    for (const at of rollbacks) expect(at).toBeLessThanOrEqual(foundAt + 1_000);
    expect(w.sink.ofType('log').filter((e) => e.message.includes('no longer exists'))).toHaveLength(1);
  });
});
