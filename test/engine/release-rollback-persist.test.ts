/**
 * Found by a hostile pass on the persisting rollback in a release: the restores ran
 * DEFAULT_RELEASE_CONCURRENCY (8) at a time, and each one whose writes kept failing for a reason
 * that may pass held its slot for ROLLBACK_PERSIST_MS (5 minutes): functions beyond the first
 * eight waited for those slots with their traffic still split. Now every restore gets its fixed
 * tries first, and only then are the failed ones retried together (release-settle.ts restoreAll).
 */
import { describe, expect, it } from 'vitest';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { createFleetWorld, linear, request, type World } from './world.js';

const NAMES = Array.from({ length: 10 }, (_, i) => `f${i}`);
const isRestore = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

async function run(): Promise<{ w: World; first: number }> {
  const w = createFleetWorld(NAMES);
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
  await runRelease(w.deps, rel);
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
});
