/**
 * A release's function heartbeats less often than a single deploy (releaseHeartbeatMs: Lambda's
 * request budget), written at the first poll once due. At --interval 44 a 60 s interval put two
 * polls (88 s) between heartbeats, and the heartbeat's own write hung until its bound (46 s at
 * the 15 s LSHIFT_AWS_TIMEOUT maximum) then left the record 134 s old: older than the 120 s after
 * which `lshift check` takes it for abandoned. The interval now keeps heartbeats at most 60 s
 * apart on the poll grid, a hung call's bound and a margin below the stale limit.
 */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../src/aws/time-bounds.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isAbandoned } from '../../src/engine/check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['alpha', 'beta'];
const STALE_MS = DEFAULT_STALE_AFTER_SECONDS * 1000;
/** One call hung until its bound at the largest LSHIFT_AWS_TIMEOUT (15 s). */
const HUNG_MS = timeBounds(15_000).callMs;

function release(intervalSeconds: number): ReleaseRequest {
  return {
    releaseId: 'r-beat01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-beat0${i}`,
        pollIntervalSeconds: intervalSeconds,
        ...linear(50, 400),
      }),
    ),
  };
}

/** The first heartbeat of `fn` written from `fromMs` of clock time on lands only after HUNG_MS. */
function hangHeartbeatWrite(w: World, fn: string, fromMs: number): void {
  const write = w.store.write.bind(w.store);
  let hung = false;
  w.store.write = async (functionName: string, alias: string, record: DeploymentRecord) => {
    const beat = record.phase === 'shifting' && record.percent === 50;
    if (!hung && beat && functionName === fn && w.clock.now() - w.start >= fromMs) {
      hung = true;
      await w.clock.sleep(HUNG_MS);
    }
    return write(functionName, alias, record);
  };
}

describe("a release function's heartbeat write hung until its bound", () => {
  for (const interval of [10, 30, 44, 59]) {
    it(`--interval ${interval}: the record never looks abandoned`, async () => {
      const w = createFleetWorld(FNS, { auto: false });
      hangHeartbeatWrite(w, 'alpha', 150_000);
      let ended = false;
      const running = runRelease(w.deps, release(interval)).finally(() => {
        ended = true;
      });
      let oldest = 0;
      let abandoned = false;
      while (!ended) {
        await w.clock.advance(1_000);
        const stored = w.store.peek('alpha', ALIAS)!;
        if (stored.phase !== 'shifting') continue;
        oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
        abandoned ||= isAbandoned(stored, w.clock.now(), STALE_MS);
      }
      expect((await running).status).toBe('promoted');
      expect(abandoned).toBe(false);
      // Heartbeats at most 60 s apart on the poll grid (P/2 of slack for a poll's slow reads).
      expect(oldest).toBeLessThanOrEqual(60_000 + HUNG_MS + 1_000);
    });
  }
});
