/**
 * A release's runner killed during one function's wait for READY (fa's alias has provisioned
 * concurrency; its allocation takes 2 minutes after each routing change). In lockstep the level's
 * other functions wrote their weight and wait for fa's; with --stagger the others wait their
 * turn, not moved yet. Every record must say the weight its alias has, a release resume must
 * rewrite the level the aliases are at (no weight the records do not explain, no level judged
 * twice), and `lshift rollback --release` must end every function on its stable version.
 */
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { crashingDeps, type PortCall } from './crash.js';
import { ALIAS, createFleetWorld, linear, request, resumeRequest, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];
const WAIT = Array<'IN_PROGRESS'>(24).fill('IN_PROGRESS');

function fleetWorld(): World {
  const w = createFleetWorld(NAMES);
  w.lambda.setProvisionedConcurrency('fa', ALIAS, 10, WAIT);
  return w;
}

function release(stagger = false): ReleaseRequest {
  return {
    releaseId: 'r-pcw01',
    members: NAMES.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
    ...(stagger ? { stagger: true } : {}),
  };
}

/** Dies at the first heartbeat of fa's record written a heartbeat interval into its wait after its 50% write. */
async function crashInFaWait(stagger = false): Promise<World> {
  const w = fleetWorld();
  let fiftyAt: number | undefined;
  const { deps, crash } = crashingDeps(w, (call: PortCall) => {
    if (call.port === 'lambda' && call.op === 'updateAlias' && call.args[0] === 'fa') {
      const weights = (call.args[2] as { additionalWeights: Record<string, number> }).additionalWeights;
      if (weights['2'] === 0.5) fiftyAt = w.clock.now();
    }
    if (fiftyAt === undefined || call.port !== 'store' || call.op !== 'write' || call.args[0] !== 'fa')
      return false;
    return (call.args[2] as { heartbeatAt: number }).heartbeatAt >= fiftyAt + HEARTBEAT_INTERVAL_MS;
  });
  await runRelease(deps, release(stagger));
  expect(crash.crashed).toBe(true);
  await w.clock.sleep(30 * 60_000);
  return w;
}

const percentOf = (w: World, fn: string) => {
  const alias = w.lambda.peekAlias(fn, ALIAS)!;
  return alias.functionVersion === '2' ? 100 : (alias.additionalWeights['2'] ?? 0) * 100;
};

/** The target's share of every alias write to `fn`, in order. */
function weightsWritten(w: World, fn: string): number[] {
  return w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === fn)
    .map((c) => c.args[2] as { functionVersion: string; additionalWeights: Record<string, number> })
    .map((x) => (x.functionVersion === '2' ? 100 : (x.additionalWeights['2'] ?? 0) * 100));
}

describe("a release killed during one function's wait for READY", () => {
  it('lockstep: every record says the weight its alias has', async () => {
    const w = await crashInFaWait();
    for (const fn of NAMES) {
      expect(percentOf(w, fn), fn).toBe(50);
      const status = await getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] });
      expect(status.record, fn).toMatchObject({ phase: 'shifting', stepIndex: 1, percent: 50, stale: true });
    }
  });

  it('lockstep: deploy --resume rewrites the 50% level and walks on from there', async () => {
    const w = await crashInFaWait();
    const before = new Map(NAMES.map((fn) => [fn, weightsWritten(w, fn).length]));
    const members = NAMES.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));
    const result = await resumeRelease(w.deps, { members });
    expect(result.status).toBe('promoted');
    for (const fn of NAMES) {
      expect(weightsWritten(w, fn).slice(before.get(fn)), fn).toEqual([50, 75, 100]);
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({ phase: 'promoted', owner: 'resumer@host:2' });
    }
  });

  it('--stagger: fa says 50%, the others are untouched, and rollback --release ends all on stable', async () => {
    const w = await crashInFaWait(true);
    expect(NAMES.map((fn) => percentOf(w, fn))).toEqual([50, 0, 0]);
    const fa = await getStatus(w.deps, { functionName: 'fa', alias: ALIAS, alarms: [] });
    expect(fa.record).toMatchObject({ phase: 'shifting', stepIndex: 1, percent: 50, stale: true });
    const rolled = await rollbackRelease(w.deps, {
      releaseId: 'r-pcw01',
      targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
      reason: 'manual',
    });
    expect(rolled.errors).toEqual([]);
    for (const fn of NAMES) expect(percentOf(w, fn), fn).toBe(0);
    expect(w.store.peek('fa', ALIAS)?.phase).toBe('rolled-back');
  });
});

/**
 * Dies a heartbeat interval into fa's wait for READY after its write to 100% (the promote): every
 * alias is on its new version, every record says 100%, and fa's allocation may still be IN_PROGRESS.
 */
async function crashInFaWaitAtHundred(bakeSeconds: number): Promise<World> {
  const w = fleetWorld();
  let hundredAt: number | undefined;
  const { deps, crash } = crashingDeps(w, (call: PortCall) => {
    if (call.port === 'lambda' && call.op === 'updateAlias' && call.args[0] === 'fa') {
      if ((call.args[2] as { functionVersion: string }).functionVersion === '2') hundredAt = w.clock.now();
    }
    if (hundredAt === undefined || call.port !== 'store' || call.op !== 'write' || call.args[0] !== 'fa')
      return false;
    return (call.args[2] as { heartbeatAt: number }).heartbeatAt >= hundredAt + HEARTBEAT_INTERVAL_MS;
  });
  const rel = release();
  await runRelease(deps, { ...rel, members: rel.members.map((m) => ({ ...m, bakeSeconds })) });
  expect(crash.crashed).toBe(true);
  await w.clock.sleep(30 * 60_000);
  return w;
}

const resumeMembers = (bakeSeconds: number) =>
  NAMES.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], bakeSeconds }));

/** Clock times of fa's reads of its provisioned concurrency from `since` on. */
const faPcReads = (w: World, since: number) =>
  w.lambda
    .callsOf('getProvisionedConcurrency')
    .filter((c) => c.args[0] === 'fa' && c.at >= since)
    .map((c) => c.at);

describe("a release killed in one function's wait for READY after its write to 100%", () => {
  it('every alias is on its new version and every record says 100%', async () => {
    const w = await crashInFaWaitAtHundred(60);
    for (const fn of NAMES) {
      expect(percentOf(w, fn), fn).toBe(100);
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({ phase: 'shifting', percent: 100 });
    }
  });

  it('deploy --resume waits for READY of that function before the bake starts, and bakes in full', async () => {
    const w = await crashInFaWaitAtHundred(60);
    const resumedAt = w.clock.now();
    const before = new Map(NAMES.map((fn) => [fn, weightsWritten(w, fn).length]));
    const result = await resumeRelease(w.deps, { members: resumeMembers(60) });

    expect(result.status).toBe('promoted');
    // Nothing is written again: every alias already holds its new version.
    for (const fn of NAMES) expect(weightsWritten(w, fn).slice(before.get(fn)), fn).toEqual([]);
    const reads = faPcReads(w, resumedAt);
    expect(reads.length).toBeGreaterThanOrEqual(10);
    const readyAt = reads.at(-1)!;
    const bake = w.sink.events.find((e) => e.type === 'bake.started' && e.at >= resumedAt);
    expect(bake?.at).toBeGreaterThanOrEqual(readyAt);
    for (const fn of NAMES) {
      const promoted = w.store.writes.find((x) => x.functionName === fn && x.record.phase === 'promoted');
      expect(promoted!.record.heartbeatAt - readyAt, fn).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('without a bake: READY before any function is declared promoted', async () => {
    const w = await crashInFaWaitAtHundred(0);
    const resumedAt = w.clock.now();
    const result = await resumeRelease(w.deps, { members: resumeMembers(0) });

    expect(result.status).toBe('promoted');
    const reads = faPcReads(w, resumedAt);
    expect(reads.length).toBeGreaterThanOrEqual(10);
    for (const fn of NAMES) {
      const promoted = w.store.writes.find((x) => x.functionName === fn && x.record.phase === 'promoted');
      expect(promoted!.record.heartbeatAt, fn).toBeGreaterThanOrEqual(reads.at(-1)!);
    }
  });

  it("another function's record taken over during that wait: the resume stops, bakes nothing, promotes nothing", async () => {
    const w = await crashInFaWaitAtHundred(60);
    const resumedAt = w.clock.now();
    // fa's allocation stays IN_PROGRESS for 30 reads (2.5 minutes: past the release's next
    // heartbeat, which finds the takeover); a rollback claims fb at fa's second read, after the
    // resume claimed every record.
    let reads = 0;
    const lambda = new Proxy(w.lambda, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'getProvisionedConcurrency')
          return typeof value === 'function' ? value.bind(target) : value;
        return async (fn: string, qualifier: string) => {
          const pc = await target.getProvisionedConcurrency(fn, qualifier);
          if (fn !== 'fa' || !pc) return pc;
          if (++reads === 2) {
            const record = w.store.peek('fb', ALIAS)!;
            w.store.seed('fb', ALIAS, { ...record, phase: 'rolling-back', heartbeatAt: w.clock.now() + 1 });
          }
          return reads <= 30 ? { ...pc, status: 'IN_PROGRESS' } : pc;
        };
      },
    });
    const result = await resumeRelease({ ...w.deps, lambda }, { members: resumeMembers(60) });

    expect(reads).toBeGreaterThanOrEqual(2);
    expect(result.status).toBe('conflict');
    expect(result.functions.find((f) => f.functionName === 'fb')?.status).toBe('conflict');
    expect(w.sink.events.some((e) => e.type === 'bake.started' && e.at >= resumedAt)).toBe(false);
    expect(w.store.writes.some((x) => x.record.phase === 'promoted')).toBe(false);
    expect(w.store.peek('fb', ALIAS)?.phase).toBe('rolling-back');
  });
});
