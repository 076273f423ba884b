/**
 * A release's functions read their aliases during the bake (release-alias-watch.ts). Before, a
 * function whose alias someone moved outside lshift in the bake (`aws lambda update-alias`, the
 * console) was found only by the read after the bake — up to 14 days later, the bake reporting
 * that function healthy at 100% meanwhile (h4's hostile pass, session 67). A single deploy found
 * the same move within one alias read (alias-moved-in-hold.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { ALIAS_WATCH_MS } from '../../src/engine/health-monitor-types.js';
import type { ReleaseRequest } from '../../src/engine/release.js';
import { runRelease } from '../../src/engine/release.js';
import { releaseAliasWatchMs } from '../../src/engine/release-alias-watch.js';
import { ALIAS, allAtOnce, createFleetWorld, request, type World } from './world.js';

const FNS = ['fa', 'fc'];
const BAKE_SECONDS = 600;

function release(): ReleaseRequest {
  return {
    releaseId: 'r-bake01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...allAtOnce(),
        bakeSeconds: BAKE_SECONDS,
      }),
    ),
  };
}

/** Runs the release on the manual clock, a second at a time; how long it ran, in seconds. */
async function run(w: World, rel: ReleaseRequest) {
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return { result: withReleaseReason(await running), seconds: (w.clock.now() - w.start) / 1000 };
}

describe('a release: an alias moved outside lshift during the bake', () => {
  it('is found by the bake (within an alias read), not after it: fa taken over, fc rolled back (exit 5)', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    // Both at 100% from about 1 s; fa is put back on version 1 by hand 2 minutes into the bake.
    w.lambda.moveAliasAt(w.start + 120_000, 'fa', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const { result, seconds } = await run(w, release());

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    // Within one read interval (30 s for two functions) and a poll of the move: not at the
    // bake's end (600 s), where the read after it used to find it.
    expect(seconds).toBeLessThan(120 + ALIAS_WATCH_MS / 1000 + 30);
    const fa = result.functions.find((f) => f.functionName === 'fa')!;
    expect(fa).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    expect(fa.reason).toContain('during the bake (100%)');
    expect(fa.reason).toContain('a read during the hold found it routing all traffic to version 1');
    expect(fa.aliasState).toEqual({ functionVersion: '1', additionalWeights: {} });
    const fc = result.functions.find((f) => f.functionName === 'fc')!;
    expect(fc.status).toBe('rolled_back');
    expect(w.lambda.aliasWrites().at(-1)).toMatchObject({ functionVersion: '1' });
    expect(result.takenOver).toEqual([{ functionName: 'fa', alias: ALIAS }]);
  });

  it('a bake nobody touched reads each alias once per read interval, and promotes', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const before = w.lambda.callsOf('getAlias').length;
    const { result } = await run(w, release());
    expect(result.status).toBe('promoted');
    // 600 s of bake, each of the two functions reading every 30 s: about 20 reads each, beside
    // the few reads of its preflight, promotion and end.
    const reads = w.lambda.callsOf('getAlias').length - before;
    expect(reads).toBeGreaterThanOrEqual(2 * (BAKE_SECONDS / (ALIAS_WATCH_MS / 1000) - 1));
    expect(reads).toBeLessThanOrEqual(2 * (BAKE_SECONDS / (ALIAS_WATCH_MS / 1000) + 8));
  });
});

describe('releaseAliasWatchMs: the whole release reads at most one alias every 3 s', () => {
  it.each([
    [1, 30_000],
    [2, 30_000],
    [10, 30_000],
    [11, 33_000],
    [100, 300_000],
    [1000, 3_000_000],
    // Unknown size (no `rz=`/`rf=` in the record): read as a release of 100.
    [undefined, 300_000],
    [0, 300_000],
  ])('%s functions: each reads every %i ms', (size, ms) => {
    expect(releaseAliasWatchMs(size)).toBe(ms);
  });
});
