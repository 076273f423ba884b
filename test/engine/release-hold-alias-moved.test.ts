/**
 * A release's functions read their aliases in their holds too (release-alias-watch.ts), paced for
 * the whole release as in the bake. Before, a person's split of fb during a 1-hour hold was found
 * only by the next level's pre-write read, an hour later, `fb: still holding at 25%` said meanwhile
 * of someone else's routing (h4's hostile pass, session 68, F2).
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { ALIAS_WATCH_MS } from '../../src/engine/health-monitor-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

function release(percent: number, holdSeconds: number): ReleaseRequest {
  return {
    releaseId: 'r-hold01',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...linear(percent, holdSeconds),
      }),
    ),
  };
}

async function run(w: World, rel: ReleaseRequest) {
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return { result: withReleaseReason(await running), seconds: (w.clock.now() - w.start) / 1000 };
}

describe("a release: a person's split during a hold", () => {
  it('is found within one paced read, not at the next level an hour later (exit 4, the others rolled back)', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.lambda.moveAliasAt(w.start + 600_000, 'fb', ALIAS, SPLIT);
    const { result, seconds } = await run(w, release(25, 3600));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    // Three functions read every 30 s: found within a read and a poll, not at 3600 s.
    expect(seconds).toBeLessThan(600 + ALIAS_WATCH_MS / 1000 + 30);
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb).toMatchObject({ status: 'unsafe', cause: { code: 'ALIAS_CHANGED' }, aliasState: SPLIT });
    for (const other of ['fa', 'fc'])
      expect(result.functions.find((f) => f.functionName === other)?.status).toBe('rolled_back');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(SPLIT);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
  });

  it('holds nobody touched read each alias once per read interval, and promote', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const before = w.lambda.callsOf('getAlias').length;
    const { result, seconds } = await run(w, release(50, 600));
    expect(result.status).toBe('promoted');
    // One hold of 600 s at 50% (then 100%, the end), each function reading every 30 s: about 20
    // reads each, beside the few reads of its preflight, levels, promotion and end.
    const reads = w.lambda.callsOf('getAlias').length - before;
    const perHold = 600 / (ALIAS_WATCH_MS / 1000);
    expect(reads).toBeGreaterThanOrEqual(3 * (perHold - 1));
    expect(reads).toBeLessThanOrEqual(3 * (perHold + 8));
    // The release's pace: at most one GetAlias every 3 s (0.33/s); three functions: 0.1/s.
    expect(reads / seconds).toBeLessThan(1 / 3);
  });
});
