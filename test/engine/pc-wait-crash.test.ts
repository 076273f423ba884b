/**
 * A runner killed (kill -9) around the wait for READY after a weight write, on an alias with
 * provisioned concurrency: the allocation takes 2 minutes after each routing change, so the
 * moments between the weight write, the step's record write and the hold are minutes apart, not
 * milliseconds. At each one, `status` must say where the alias is (and the record agree with
 * it once written), `check` must describe the alias, `lshift rollback` must end on the stable
 * version, and `deploy --resume` must write no weight the record does not explain, judge the
 * interrupted step once (in full) and no step before it again — and, killed after the write to
 * 100% (no weight to write again), wait for READY itself before it bakes or promotes.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { crashingDeps, type PortCall } from './crash.js';
import { ALARM, ALIAS, createWorld, FN, linear, request, resumeRequest, type World } from './world.js';

/** linear 25% every 60 s: 25, 50, 75 (each held 60 s), then 100. */
const SHAPE = linear(25, 60);
/** Reads 5 s apart: IN_PROGRESS for 2 minutes after each routing change, then READY. */
const WAIT_MS = 120_000;
const TWO_MINUTES_IN_PROGRESS = Array<'IN_PROGRESS'>(WAIT_MS / 5_000).fill('IN_PROGRESS');

function pcWorld(): World {
  const w = createWorld();
  w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, TWO_MINUTES_IN_PROGRESS);
  return w;
}

/** When (clock ms) the `n`th alias write landed, once it did. */
type Death = (call: PortCall, at: { nthWriteAt?: number; now: number }) => boolean;

interface Point {
  name: string;
  /** Which alias write (1-based) the moment follows: 2 is the 50% write, 4 the final 100%. */
  write: number;
  death: Death;
  alias: [string, Record<string, number>];
  /** The record's percent left behind. */
  percent: number;
  /** The plan step (0-based) a resume must start at, and the weight it writes first. */
  resumesAt: number | 'bake';
}

const storeWrite = (call: PortCall) => call.port === 'store' && call.op === 'write';
const recordOf = (call: PortCall) =>
  call.args[2] as { stepIndex: number; percent: number; heartbeatAt: number };

const POINTS: Point[] = [
  {
    name: 'right after the 50% write, before the first read of the allocation',
    write: 2,
    death: (call, at) => call.port === 'lambda' && call.op === 'updateAlias' && at.nthWriteAt === at.now,
    alias: ['1', { '2': 0.5 }],
    percent: 25,
    resumesAt: 1,
  },
  {
    name: 'during the wait for READY after the 50% write (after a heartbeat)',
    write: 2,
    death: (call, at) =>
      storeWrite(call) && recordOf(call).heartbeatAt >= at.nthWriteAt! + HEARTBEAT_INTERVAL_MS,
    alias: ['1', { '2': 0.5 }],
    percent: 50,
    resumesAt: 1,
  },
  {
    name: 'in the 50% hold, once READY',
    write: 2,
    death: (call, at) =>
      storeWrite(call) &&
      recordOf(call).stepIndex === 1 &&
      recordOf(call).heartbeatAt >= at.nthWriteAt! + WAIT_MS,
    alias: ['1', { '2': 0.5 }],
    percent: 50,
    resumesAt: 1,
  },
  {
    name: 'during the wait for READY after the final write to 100% (after a heartbeat)',
    write: 4,
    death: (call, at) =>
      storeWrite(call) && recordOf(call).heartbeatAt >= at.nthWriteAt! + HEARTBEAT_INTERVAL_MS,
    alias: ['2', {}],
    percent: 100,
    resumesAt: 'bake',
  },
];

/** Runs the deployment until it dies at the point; returns once its heartbeat is long stale. */
async function crashAt(point: Point, w = pcWorld(), bakeSeconds = 60): Promise<World> {
  let writes = 0;
  let nthWriteAt: number | undefined;
  const { deps, crash } = crashingDeps(w, (call) => {
    if (call.port === 'lambda' && call.op === 'updateAlias' && ++writes === point.write)
      nthWriteAt = w.clock.now();
    return nthWriteAt !== undefined && point.death(call, { nthWriteAt, now: w.clock.now() });
  });
  await runDeploy(deps, request({ ...SHAPE, bakeSeconds }));
  expect(crash.crashed).toBe(true);
  await w.clock.sleep(30 * 60_000);
  return w;
}

function aliasOf(w: World): [string, Record<string, number>] {
  const alias = w.lambda.peekAlias(FN, ALIAS)!;
  return [alias.functionVersion, alias.additionalWeights];
}

describe('a runner killed around the wait for READY after a weight write', () => {
  it.each(POINTS)('$name: status reads the alias, and the record says where it was', async (point) => {
    const w = await crashAt(point);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect([status.functionVersion, status.additionalWeights]).toEqual(point.alias);
    expect(status.record).toMatchObject({ phase: 'shifting', percent: point.percent, stale: true });
  });

  it.each(POINTS)('$name: `lshift rollback` ends on the stable version', async (point) => {
    const w = await crashAt(point);
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(exitCodeForRollback(result.status)).toBe(0);
    expect(aliasOf(w)).toEqual(['1', {}]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0 });
  });

  it.each(POINTS)(
    '$name: `deploy --resume` rewrites the weight the alias has, and judges that step once, in full',
    async (point) => {
      const w = await crashAt(point);
      const before = w.lambda.aliasWrites().length;
      const result = await resumeDeploy(w.deps, resumeRequest({ bakeSeconds: 60 }));
      expect(result.status).toBe('promoted');
      const resumed = w.lambda.aliasWrites().slice(before);
      const weights = resumed.map((x) =>
        x.functionVersion === '2' ? 100 : (x.additionalWeights['2'] ?? 0) * 100,
      );
      if (point.resumesAt === 'bake') {
        // All traffic was on the target: nothing is written again, the bake and promote follow.
        expect(weights).toEqual([]);
        expect(result.steps).toEqual([]);
        return;
      }
      // The weight the alias had first (the record explains it: its step, or the one after it),
      // then the plan's later ones: never a lower one, never one skipped.
      expect(weights).toEqual([50, 75, 100]);
      expect(result.steps.map((s) => [s.index, s.result])).toEqual([
        [1, 'completed'],
        [2, 'completed'],
        [3, 'completed'],
      ]);
      // The 50% step is held its full minute after its allocation is READY again.
      const [fifty, seventyFive] = result.steps;
      expect(seventyFive!.startedAt - fifty!.startedAt).toBeGreaterThanOrEqual(60_000);
      expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: 'resumer@host:2' });
    },
  );

  it.each(POINTS)('$name: `lshift check` sees it stalled, and leaves the alias as it is', async (point) => {
    const w = await crashAt(point);
    const report = await runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    // Its line quotes the record's weight (check-classify.ts), and the alias's when that is ahead.
    expect(report.results[0]?.reason).toMatch(
      new RegExp(`\\(shifting at ${point.percent}%(\\)|; the alias routes)`),
    );
    expect(aliasOf(w)).toEqual(point.alias);
  });

  it.each(POINTS)(
    '$name: `lshift check` with its alarm firing rolls it back to the stable version',
    async (point) => {
      const w = await crashAt(point);
      w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
      const report = await runCheck(
        { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
        { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
      );
      expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '1' });
      expect(aliasOf(w)).toEqual(['1', {}]);
      expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0 });
    },
  );
});

describe('`deploy --resume` after a kill in the wait for READY: it waits for READY of the weight the alias has', () => {
  const atHundred = POINTS.find((p) => p.resumesAt === 'bake')!;

  /** Clock time of the last read of the alias's provisioned concurrency (READY, once it was). */
  const lastPcReadAt = (w: World) => w.lambda.callsOf('getProvisionedConcurrency').at(-1)!.at;

  it('killed after the final write to 100%, resumed while still allocating: READY first, then the whole bake, then promoted', async () => {
    // The allocation the dead runner waited for is still IN_PROGRESS when the resume comes: the
    // fake answers per read, not per minute, and the dead runner read 7 of its 24 IN_PROGRESS.
    const w = await crashAt(atHundred);
    const resumedAt = w.clock.now();
    const result = await resumeDeploy(w.deps, resumeRequest({ bakeSeconds: 60 }));

    expect(result.status).toBe('promoted');
    const reads = w.lambda.callsOf('getProvisionedConcurrency').filter((c) => c.at >= resumedAt);
    expect(reads.length).toBeGreaterThanOrEqual(10);
    const readyAt = lastPcReadAt(w);
    const bake = w.sink.events.find((e) => e.type === 'bake.started' && e.at >= resumedAt);
    expect(bake?.at).toBeGreaterThanOrEqual(readyAt);
    const promotedAt = w.store.writes.find((x) => x.record.phase === 'promoted')!.record.heartbeatAt;
    expect(promotedAt - readyAt).toBeGreaterThanOrEqual(60_000);
  });

  it('taken over (`lshift rollback`) during that wait: the resume stops there, bakes nothing, promotes nothing', async () => {
    const w = await crashAt(atHundred);
    const resumedAt = w.clock.now();
    // The resume watches the record for 2 minutes, claims it, then waits; a rollback claims it 10 s in.
    w.clock.at(resumedAt + 130_000, () => {
      const record = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', heartbeatAt: w.clock.now() + 1 });
    });
    const result = await resumeDeploy(w.deps, resumeRequest({ bakeSeconds: 60 }));

    expect(result.status).toBe('conflict');
    expect(w.sink.events.some((e) => e.type === 'bake.started' && e.at >= resumedAt)).toBe(false);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolling-back');
  });

  it('killed after the final write to 100% without a bake: READY before it declares promoted', async () => {
    const w = await crashAt(atHundred, pcWorld(), 0);
    const resumedAt = w.clock.now();
    const result = await resumeDeploy(w.deps, resumeRequest({ bakeSeconds: 0 }));

    expect(result.status).toBe('promoted');
    expect(
      w.lambda.callsOf('getProvisionedConcurrency').filter((c) => c.at >= resumedAt).length,
    ).toBeGreaterThanOrEqual(10);
    const promotedAt = w.store.writes.find((x) => x.record.phase === 'promoted')!.record.heartbeatAt;
    expect(promotedAt).toBeGreaterThanOrEqual(lastPcReadAt(w));
  });
});

describe('a live runner in the wait for READY after a weight write', () => {
  it('its record already says the weight the alias has (status and check do not report the step before)', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, TWO_MINUTES_IN_PROGRESS);
    const deploy = runDeploy(w.deps, request({ ...SHAPE }));
    await w.clock.advance(0);
    // 25% at 0 s, READY at 120 s, held until 180 s; 50% written then, READY at 300 s.
    await w.clock.advance(240_000);
    expect(aliasOf(w)).toEqual(['1', { '2': 0.5 }]);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toMatchObject({ phase: 'shifting', stepIndex: 1, percent: 50, stale: false });
    const check = runCheck(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
    );
    await w.clock.advance(0);
    const report = await check;
    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toMatch(/^in progress \(shifting at 50%\)/);
    await w.clock.advance(3_600_000);
    expect((await deploy).status).toBe('promoted');
  });
});

describe("a runner killed in --warm's wait for READY, before any traffic moved", () => {
  /** Dies at the first heartbeat written a heartbeat interval after the temporary config was put. */
  async function crashWarming(): Promise<World> {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', TWO_MINUTES_IN_PROGRESS);
    let putAt: number | undefined;
    const { deps, crash } = crashingDeps(w, (call) => {
      if (call.port === 'lambda' && call.op === 'putProvisionedConcurrency') putAt = w.clock.now();
      return (
        putAt !== undefined && storeWrite(call) && recordOf(call).heartbeatAt >= putAt + HEARTBEAT_INTERVAL_MS
      );
    });
    await runDeploy(deps, request({ ...SHAPE, warm: true }));
    expect(crash.crashed).toBe(true);
    await w.clock.sleep(30 * 60_000);
    return w;
  }

  it('status: all traffic on the stable version, the record names the temporary config (w=)', async () => {
    const w = await crashWarming();
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect([status.functionVersion, status.additionalWeights]).toEqual(['1', {}]);
    expect(status.record).toMatchObject({ phase: 'started', percent: 0, warm: 3, stale: true });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('`lshift rollback` removes the temporary config and closes the record', async () => {
    const w = await crashWarming();
    const result = await rollbackDeployment(w.deps, { functionName: FN, alias: ALIAS, reason: 'manual' });
    expect(exitCodeForRollback(result.status)).toBe(0);
    expect(w.lambda.callsOf('deleteProvisionedConcurrency').map((c) => c.args)).toEqual([[FN, '2']]);
    expect(aliasOf(w)).toEqual(['1', {}]);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });

  it('`deploy --resume` walks the plan from its first step, and removes the temporary config at the end', async () => {
    const w = await crashWarming();
    const before = w.lambda.aliasWrites().length;
    const result = await resumeDeploy(w.deps, resumeRequest());
    expect(result.status).toBe('promoted');
    const weights = w.lambda
      .aliasWrites()
      .slice(before)
      .map((x) => (x.functionVersion === '2' ? 100 : (x.additionalWeights['2'] ?? 0) * 100));
    expect(weights).toEqual([25, 50, 75, 100]);
    expect(w.lambda.callsOf('deleteProvisionedConcurrency').map((c) => c.args)).toEqual([[FN, '2']]);
  });
});
