/**
 * What the read-back of a release's promotion costs (release-promotion-settle.ts): one wait of
 * PROMOTION_SETTLE_MS for the whole release, after its last `promoted` landed — not one per
 * function — then one record read and one alias read per function, and nothing written. A Ctrl-C
 * during the wait cuts it, and the reads still go ahead (as for a single deploy).
 */
import { describe, expect, it } from 'vitest';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { runTogether } from './race.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const NAMES = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}`);

/** Notes when the last `promoted` landed, and how many reads and writes there were by then. */
function watchPromotions(w: World): { at?: number; reads: number; aliasReads: number; writes: number } {
  const seen: { at?: number; reads: number; aliasReads: number; writes: number } = {
    reads: 0,
    aliasReads: 0,
    writes: 0,
  };
  let promoted = 0;
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record) => {
    await write(fn, alias, record);
    if (record.phase !== 'promoted' || ++promoted < NAMES.length) return;
    seen.at = w.clock.now();
    seen.reads = w.store.reads;
    seen.aliasReads = w.lambda.callsOf('getAlias').length;
    seen.writes = w.store.writes.length + w.lambda.callsOf('updateAlias').length;
  };
  return seen;
}

function fleetRelease(signal?: AbortSignal): ReleaseRequest {
  const own = signal ? { signal } : {};
  return {
    releaseId: 'r-cost01',
    members: NAMES.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...linear(50, 60),
        ...own,
      }),
    ),
    ...own,
  };
}

describe("the read-back of a release's promotion", () => {
  it('waits once for all 12 functions, then reads each record and alias once and writes nothing', async () => {
    const w = createFleetWorld(NAMES, { auto: false });
    const seen = watchPromotions(w);
    const [result] = await runTogether(w, runRelease(w.deps, fleetRelease()));

    expect(result.status).toBe('promoted');
    expect(seen.at).toBeDefined();
    // The clock moves 100 ms at a time: the release ends one settle after its last `promoted`.
    expect(result.endedAt - seen.at!).toBeGreaterThanOrEqual(PROMOTION_SETTLE_MS);
    expect(result.endedAt - seen.at!).toBeLessThan(PROMOTION_SETTLE_MS + 200);
    expect(w.store.reads - seen.reads).toBe(NAMES.length);
    expect(w.lambda.callsOf('getAlias').length - seen.aliasReads).toBe(NAMES.length);
    expect(w.store.writes.length + w.lambda.callsOf('updateAlias').length).toBe(seen.writes);
    for (const f of result.functions) expect(f.endedAt).toBe(result.endedAt);
    for (const fn of NAMES) expect(w.store.peek(fn, ALIAS)?.phase).toBe('promoted');
  });

  it('a Ctrl-C during the wait cuts it: the reads go ahead and the release stays promoted', async () => {
    const w = createFleetWorld(NAMES, { auto: false });
    const seen = watchPromotions(w);
    const interrupt = new AbortController();
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (seen.at !== undefined && !interrupt.signal.aborted) w.clock.after(1_000, () => interrupt.abort());
    };
    const [result] = await runTogether(w, runRelease(w.deps, fleetRelease(interrupt.signal)));

    expect(result.status).toBe('promoted');
    expect(result.endedAt - seen.at!).toBeLessThan(PROMOTION_SETTLE_MS);
    expect(w.store.reads - seen.reads).toBe(NAMES.length);
    expect(w.lambda.callsOf('getAlias').length - seen.aliasReads).toBe(NAMES.length);
  });
});
