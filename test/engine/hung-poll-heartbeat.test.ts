/**
 * A poll's reads may each hang until their bound (src/aws/time-bounds.ts: 46 s at the 15 s
 * LSHIFT_AWS_TIMEOUT maximum). The poll's heartbeat waited for them: a health read and then the
 * record read hung in one poll left a live runner's record unchanged for a poll interval and two
 * bounds (60 + 2 × 46 = 152 s), older than the 120 s after which `lshift check` takes it for
 * abandoned. The poll's reads now beat the record beside themselves (health-monitor.ts).
 */
import { describe, expect, it } from 'vitest';
import { CallTimeoutError } from '../../src/aws/call-deadline.js';
import { timeBounds } from '../../src/aws/time-bounds.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isAbandoned } from '../../src/engine/check-classify.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../../src/engine/deploy-types.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const STALE_MS = DEFAULT_STALE_AFTER_SECONDS * 1000;
/** One call hung until its bound at the largest LSHIFT_AWS_TIMEOUT (15 s). */
const HUNG_MS = timeBounds(15_000).callMs;

/**
 * From `fromMs` of clock time on, the next DescribeAlarms hangs until its bound and fails, and
 * a record read hangs until its bound too (then answers): the poll's own after it (`after`), or
 * the first while it hangs (`during`: the read of the heartbeat asked for beside it).
 */
function hangHealthThenRecordRead(w: World, fromMs: number, read_: 'after' | 'during' = 'after'): void {
  const describeAlarms = w.metrics.describeAlarms.bind(w.metrics);
  const read = w.store.read.bind(w.store);
  let state: 'waiting' | 'health-hung' | 'health-failed' | 'done' = 'waiting';
  w.metrics.describeAlarms = async (names: string[]) => {
    if (state === 'waiting' && w.clock.now() - w.start >= fromMs) {
      state = 'health-hung';
      await w.clock.sleep(HUNG_MS);
      if (state === 'health-hung') state = 'health-failed';
      throw new CallTimeoutError('no answer to DescribeAlarms within its 46 s deadline');
    }
    return describeAlarms(names);
  };
  w.store.read = async (functionName: string, alias: string) => {
    if (state === (read_ === 'after' ? 'health-failed' : 'health-hung')) {
      state = 'done';
      await w.clock.sleep(HUNG_MS);
    }
    return read(functionName, alias);
  };
}

/**
 * From `fromMs` of clock time on, record reads fail at once (throttled) until the first heartbeat
 * written blind, whose write hangs until its bound.
 */
function failReadsThenHangBeat(w: World, fromMs: number): void {
  const read = w.store.read.bind(w.store);
  const write = w.store.write.bind(w.store);
  let state: 'waiting' | 'failing' | 'done' = 'waiting';
  w.store.read = async (functionName: string, alias: string) => {
    if (state === 'waiting' && w.clock.now() - w.start >= fromMs) state = 'failing';
    if (state === 'failing') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    return read(functionName, alias);
  };
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    if (state === 'failing' && record.phase === 'shifting') {
      state = 'done';
      await w.clock.sleep(HUNG_MS);
    }
    return write(functionName, alias, record);
  };
}

/** The oldest the stored record's heartbeat got while it was shifting, and whether it looked abandoned. */
async function watchRecord(
  w: World,
  deploy: Promise<unknown>,
): Promise<{ oldest: number; abandoned: boolean }> {
  let ended = false;
  void deploy.finally(() => {
    ended = true;
  });
  let oldest = 0;
  let abandoned = false;
  while (!ended) {
    await w.clock.advance(1_000);
    const stored = w.store.peek(FN, ALIAS)!;
    if (stored.phase !== 'shifting') continue;
    oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
    abandoned ||= isAbandoned(stored, w.clock.now(), STALE_MS);
  }
  return { oldest, abandoned };
}

describe('a live runner whose poll reads hang until their bound', () => {
  it('a health read and the record read hung in one poll: the record never looks abandoned', async () => {
    const w = createWorld({ auto: false });
    hangHealthThenRecordRead(w, 150_000);
    const deploy = runDeploy(w.deps, request({ ...canary(10, 300), pollIntervalSeconds: 60 }));
    await w.clock.advance(0);
    let oldest = 0;
    let abandoned = false;
    for (let t = 0; t < 400_000; t += 1_000) {
      await w.clock.advance(1_000);
      const stored = w.store.peek(FN, ALIAS)!;
      if (stored.phase === 'promoted') break;
      oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
      abandoned ||= isAbandoned(stored, w.clock.now(), STALE_MS);
    }
    expect(abandoned).toBe(false);
    // A beat is asked for every 10 s once the last write is 30 s old, whatever the poll waits for.
    expect(oldest).toBeLessThanOrEqual(70_000);
    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('promoted');
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('a heartbeat put off after failed record reads, then written blind with a hung write: the record never looks abandoned', async () => {
    const w = createWorld({ auto: false });
    failReadsThenHangBeat(w, 100_000);
    const deploy = runDeploy(w.deps, request(canary(10, 300)));
    const { oldest, abandoned } = await watchRecord(w, deploy);
    expect(abandoned).toBe(false);
    // Put off only while it still lands within 60 s; then written blind and hung until its bound.
    expect(oldest).toBeLessThanOrEqual(60_000 + HUNG_MS);
    expect((await deploy).status).toBe('promoted');
  });

  it('a health read, then the record read of the beat asked for beside it, hung: 60 + 10 + 46 s at most', async () => {
    const w = createWorld({ auto: false });
    hangHealthThenRecordRead(w, 150_000, 'during');
    const deploy = runDeploy(w.deps, request({ ...canary(10, 300), pollIntervalSeconds: 60 }));
    const { oldest, abandoned } = await watchRecord(w, deploy);
    expect(abandoned).toBe(false);
    expect(oldest).toBeGreaterThan(60_000);
    expect(oldest).toBeLessThanOrEqual(60_000 + 10_000 + HUNG_MS);
    expect((await deploy).status).toBe('promoted');
  });
});
