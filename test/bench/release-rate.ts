/**
 * `npm run bench -- release-rate`: the Lambda control-plane requests a release of 100 functions
 * sends per --interval, counted on the engine's fakes (a manual clock, calls that take no time:
 * no queueing, no sandbox), against Lambda's 15 requests a second (docs/releases.md, Scale).
 * Each heartbeat of a release's function is a ListTags and a TagResource (the record is a
 * tag); the budget question is what the heartbeats add to the level's writes. Two shapes: a long hold (canary 10% for
 * 20 minutes: the steady rate, heartbeats and the command reader's reads only) and
 * Linear10PercentEvery1Minute (10 one-minute levels: writes, reads and heartbeats together).
 */
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { canary, createFleetWorld, linear, request, type World } from '../engine/world.js';

const N = Number(process.env.BENCH_RATE_N ?? 100);
const INTERVALS = (process.env.BENCH_RATE_INTERVALS ?? '10,20,25,30,31,40,44,45,50,60')
  .split(',')
  .map(Number);
/** Not paced by Lambda's shared 15/s (GetFunction has its own 100/s; Invoke is not counted). */
const UNPACED = new Set(['getFunction', 'invoke', 'getPolicy']);

interface Counted {
  at: number;
  kind: 'record-read' | 'record-write' | 'lambda';
  op?: string;
}

function counting(w: World): Counted[] {
  const seen: Counted[] = [];
  const read = w.store.read.bind(w.store);
  const write = w.store.write.bind(w.store);
  w.store.read = (...args: Parameters<typeof read>) => {
    seen.push({ at: w.clock.now() - w.start, kind: 'record-read' });
    return read(...args);
  };
  w.store.write = (...args: Parameters<typeof write>) => {
    seen.push({ at: w.clock.now() - w.start, kind: 'record-write' });
    return write(...args);
  };
  return seen;
}

async function run(intervalSeconds: number, shape: 'hold' | 'levels') {
  const names = Array.from({ length: N }, (_, i) => `f${String(i).padStart(3, '0')}`);
  // A manual clock moved a second at a time: an auto-advancing one jumps ahead for each
  // function's sleep, and the polls (so the heartbeats) fall off their grid.
  const w = createFleetWorld(names, { auto: false });
  const records = counting(w);
  const rel: ReleaseRequest = {
    releaseId: 'r-rate01',
    members: names.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${String(i).padStart(5, '0')}`,
        pollIntervalSeconds: intervalSeconds,
        ...(shape === 'hold' ? canary(10, 1200) : linear(10, 60)),
      }),
    ),
  };
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1_000);
  const result = await running;
  if (result.status !== 'promoted') throw new Error(`release ${result.status}`);
  const lambda = w.lambda.calls
    .filter((c) => !UNPACED.has(c.op))
    .map((c): Counted => ({ at: c.at - w.start, kind: 'lambda', op: c.op }));
  return [...records, ...lambda];
}

/**
 * Requests a second within [fromMs, toMs), and in its busiest 60 s window (the fakes answer at
 * once: Lambda's limiter would spread a burst over the next seconds, not refuse it).
 */
function rates(all: Counted[], fromMs: number, toMs: number) {
  const inside = all.filter((c) => c.at >= fromMs && c.at < toMs).sort((a, b) => a.at - b.at);
  let peak = 0;
  for (let i = 0, j = 0; i < inside.length; i++) {
    while (inside[i]!.at - inside[j]!.at >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  const records = inside.filter((c) => c.kind !== 'lambda').length;
  return {
    mean: inside.length / ((toMs - fromMs) / 1000),
    records: records / ((toMs - fromMs) / 1000),
    peak: peak / 60,
  };
}

export async function runReleaseRateBench(): Promise<void> {
  console.log(
    `  ${N} functions; Lambda requests a second (record ListTags+TagResource of them); budget 15/s`,
  );
  console.log(
    '  --interval | 20-min hold, minutes 2-18 | 10 one-minute levels from the first weight write: mean, busiest minute',
  );
  for (const p of INTERVALS) {
    const hold = rates(await run(p, 'hold'), 120_000, 1_080_000);
    const levels = await run(p, 'levels');
    // From the first weight write (preflight's reads, 100 functions at once, are not the levels').
    const from = Math.min(
      ...levels.filter((c) => c.kind === 'lambda' && c.op === 'updateAlias').map((c) => c.at),
    );
    const end = Math.max(...levels.map((c) => c.at));
    const lv = rates(levels, from, end + 1);
    console.log(
      `  ${String(p).padStart(4)} s     | ${hold.mean.toFixed(2)}/s (records ${hold.records.toFixed(2)}/s)      | ${lv.mean.toFixed(2)}/s, ${lv.peak.toFixed(2)}/s`,
    );
  }
}
