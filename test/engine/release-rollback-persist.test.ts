/**
 * Found by a hostile pass on the persisting rollback in a release: the restores ran
 * DEFAULT_RELEASE_CONCURRENCY (8) at a time, and each one whose writes kept failing for a reason
 * that may pass held its slot for ROLLBACK_PERSIST_MS (5 minutes): functions beyond the first
 * eight waited for those slots with their traffic still split. Now every restore gets its fixed
 * tries first, and only then are the failed ones retried together (release-settle.ts restoreAll).
 */
import { describe, expect, it } from 'vitest';
import { BEAT_BESIDE_CALL_MS } from '../../src/engine/beating-driver.js';
import { RELEASE_HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ROLLBACK_PERSIST_MS } from '../../src/engine/step-restore.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { driveUntil } from './race.js';
import { createFleetWorld, linear, request, type World } from './world.js';

const NAMES = Array.from({ length: 10 }, (_, i) => `f${i}`);
const isRestore = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

async function run(auto = true): Promise<{ w: World; first: number }> {
  const w = createFleetWorld(NAMES, { auto });
  w.metrics.setAlarm('f0-errors', 'ALARM', { at: w.start + 90_000, reason: 'errors over 3' });
  const failing = new Set(NAMES.slice(0, 8));
  w.lambda.fail({
    op: 'updateAlias',
    times: Number.POSITIVE_INFINITY,
    match: (args) => failing.has(args[0] as string) && isRestore(args),
  });
  const rel: ReleaseRequest = {
    releaseId: 'r-persist',
    members: NAMES.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
  if (auto) await runRelease(w.deps, rel);
  else await driveUntil(w, runRelease(w.deps, rel));
  const restores = w.lambda.callsOf('updateAlias').filter((c) => isRestore(c.args));
  return { w, first: restores.find((c) => c.args[0] === 'f0')!.at };
}

describe('a release of 10 whose first 8 restores keep failing (throttled)', () => {
  it("the 9th and 10th functions' restores do not wait 5 minutes for the first eight (seen: 300 s)", async () => {
    const { w, first } = await run();
    const restores = w.lambda.callsOf('updateAlias').filter((c) => isRestore(c.args));
    const f9 = restores.find((c) => c.args[0] === 'f9')!.at;
    expect(f9 - first).toBeLessThan(60_000);
  });

  it('the records waiting meanwhile keep beating: no gap near the 120 s stale limit a check goes by (clock driven by hand)', async () => {
    // Driven second by second (race.ts), as time passes for concurrent calls. Session 54 saw a
    // beat only every ~120 s here on the auto clock, whose every sleep moves time for all the
    // concurrent retries at once: an artefact of that clock, not of the release.
    const { w, first } = await run(false);
    for (const fn of NAMES) {
      const beats = w.store.writes.filter((x) => x.functionName === fn).map((x) => x.record.heartbeatAt);
      const closed = w.store.peek(fn, 'live')!.endedAt!;
      const during = [...beats.filter((at) => at >= first && at <= closed), closed];
      const gaps = during.slice(1).map((at, i) => at - during[i]!);
      expect(closed - first, fn).toBeGreaterThanOrEqual(ROLLBACK_PERSIST_MS);
      expect(Math.max(...gaps), fn).toBeLessThanOrEqual(RELEASE_HEARTBEAT_INTERVAL_MS + BEAT_BESIDE_CALL_MS);
    }
  });
});
