/**
 * A rollback whose record store hangs: the `rolling-back` mark is written before the alias moves
 * (settle.ts rollBack), and record writes run one at a time (recorder-queue.ts). A heartbeat hung
 * in TagResource held the mark behind it, and the mark itself hung as long: the alias went back to
 * the stable version an AWS call bound or two (31 s each) after the rollback was decided
 * (measured by hand: 62 s past the stale limit). The mark is now waited for a few seconds at most
 * (mark-wait.ts); it stays queued and lands in its turn, so the record never goes back.
 */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../src/aws/time-bounds.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { MARK_WAIT_BEHIND_MS, MARK_WAIT_MS } from '../../src/engine/mark-wait.js';
import { runRelease } from '../../src/engine/release.js';
import { driveUntil } from './race.js';
import { ALARM, ALIAS, canary, createFleetWorld, createWorld, FN, request, type World } from './world.js';

/** One TagResource hung until the default call bound (3 × 10 s + 1 s). */
const HUNG_MS = timeBounds().callMs;

/**
 * From `fromMs` after the start, every record write hangs HUNG_MS, then fails (a stalled endpoint)
 * or lands (an answer that came at last). A write in flight when `signal` aborts is abandoned, as
 * bounded-caller.ts abandons every AWS call in flight at Ctrl-C; one started after is not.
 */
function hangWritesFrom(
  w: World,
  fromMs: number,
  opts: { lands?: boolean; signal?: AbortSignal } = {},
): void {
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record, writeOpts) => {
    if (w.clock.now() - w.start < fromMs) return write(fn, alias, record, writeOpts);
    const signal = opts.signal?.aborted ? undefined : opts.signal;
    await w.clock.sleep(HUNG_MS, signal);
    if (opts.lands) return write(fn, alias, record, writeOpts);
    throw new OperationError('NETWORK_ERROR', 'no answer to lambda:TagResource within its 31s deadline');
  };
}

/** When the rollback was decided (its `rollback.started` event), in ms after the start. */
function timeDecision(w: World): () => number {
  let at: number | undefined;
  const sink = w.deps.events;
  w.deps = {
    ...w.deps,
    events: {
      emit: (event) => {
        if (event.type === 'rollback.started') at ??= w.clock.now() - w.start;
        sink.emit(event);
      },
    },
  };
  return () => at ?? Number.NaN;
}

/** When the alias was written back to the stable version alone, in ms after the start. */
function restoredAt(w: World): number {
  const back = w.lambda
    .callsOf('updateAlias')
    .filter((c) => JSON.stringify(c.args[2]).includes('"functionVersion":"1"'))
    .filter(
      (c) => Object.keys((c.args[2] as { additionalWeights?: object }).additionalWeights ?? {}).length === 0,
    );
  expect(back).toHaveLength(1);
  return back[0]!.at - w.start;
}

function expectOnStable(w: World): void {
  expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
}

describe('a rollback while the record store hangs', () => {
  it('health gate, the mark hangs: the alias goes back within MARK_WAIT_MS of the decision', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat at 90 s lands; the alarm is seen at the 100 s poll, and the mark hangs.
    hangWritesFrom(w, 95_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 95_000, reason: 'errors over 3' });
    const decided = timeDecision(w);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(decided()).toBeLessThanOrEqual(101_000);
    // It came once the mark's call gave up: 31 s.
    expect(restoredAt(w) - decided()).toBeLessThanOrEqual(MARK_WAIT_MS + 1_000);
    expectOnStable(w);
    expect(w.sink.logs('warn')).toContain(
      'the deployment record (rolling-back) of demo alias live is not written after 5s (a write of the record hangs): lshift goes on without waiting for it, and it is written in its turn',
    );
  });

  it('a heartbeat hung at a poll does not hold the next poll: the alarm it sees rolls back within MARK_WAIT_MS', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat of the 90 s poll hangs until 121 s; the alarm fires at 95 s. The 100 s poll
    // reads it on time: before, it waited for that heartbeat and came at 130 s (the grid's next).
    hangWritesFrom(w, 85_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 95_000, reason: 'errors over 3' });
    const decided = timeDecision(w);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(decided()).toBeLessThanOrEqual(101_000);
    // The mark queues behind the hung heartbeat: waited for 5 s, then the alias goes back.
    expect(restoredAt(w)).toBeLessThanOrEqual(100_000 + MARK_WAIT_MS + 1_000);
    expectOnStable(w);
  });

  it('the run ends within MARK_WAIT_MS of the alias back, its close left queued behind the hung mark', async () => {
    const w = createWorld({ auto: false });
    hangWritesFrom(w, 95_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 95_000, reason: 'errors over 3' });
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));
    const endedAt = w.clock.now() - w.start;

    expect(result.status).toBe('rolled_back');
    // Before: the close waited behind the mark (31 s) and its own call (31 s).
    expect(endedAt - restoredAt(w)).toBeLessThanOrEqual(MARK_WAIT_MS + 1_000);
    expect(w.sink.logs('warn')).toContain(
      'the deployment record (rolled-back) of demo alias live is not written after 5s (a write of the record hangs): lshift ends without waiting for it. Until it lands the record says what it said last (`lshift status` shows the alias on its stable version); once that is stale, `lshift check` closes it',
    );
  });

  // A rollback whose alias writes failed leaves the alias split: its close warning said "`lshift
  // status` shows the alias on its stable version" of it (found by a hostile pass).
  it('a rollback that failed, its close hung: the warning does not say the alias is on its stable version', async () => {
    const w = createWorld({ auto: false });
    hangWritesFrom(w, 95_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 95_000, reason: 'errors over 3' });
    // Every alias write from the rollback on fails (the first weight write is the 1st).
    w.lambda.fail({
      op: 'updateAlias',
      nth: 2,
      times: Number.POSITIVE_INFINITY,
      error: new OperationError('NETWORK_ERROR', 'no answer to lambda:UpdateAlias'),
    });
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('unsafe');
    const warning = w.sink.logs('warn').find((l) => l.startsWith('the deployment record (failed)'));
    expect(warning).toContain('(`lshift status` shows where the alias is now)');
    expect(w.sink.logs('warn').join('\n')).not.toContain('shows the alias on its stable version');
  });

  it('health gate, the record already known unwritten: within MARK_WAIT_BEHIND_MS', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat at 60 s fails at 91 s; the next one (at the 100 s poll) hangs until 131 s,
    // while the polls go on (poll-record-work.ts): the 110 s one sees the alarm, the mark waits 1 s.
    hangWritesFrom(w, 50_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 105_000, reason: 'errors over 3' });
    const decided = timeDecision(w);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('rolled_back');
    expect(restoredAt(w) - decided()).toBeLessThanOrEqual(MARK_WAIT_BEHIND_MS + 1_000);
    expectOnStable(w);
  });

  it('stale limit: the last try and the mark hang, the alias goes back seconds past the limit', async () => {
    const w = createWorld({ auto: false });
    const throttled = new OperationError('THROTTLED', 'tag write throttled');
    // Landed last at about 0 s; failing from 20 s, hanging from 100 s (every later try).
    w.clock.at(w.start + 20_000, () => w.store.failWrites(throttled));
    hangWritesFrom(w, 100_000);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 600))));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    const landedAt = w.store.writes.at(-1)!.record.heartbeatAt - w.start;
    // Judged at the first poll past the limit (10 s apart), its try waited for 5 s at most, the mark 1 s.
    // Before: 31 s for the try and 31 s for the mark.
    expect(restoredAt(w)).toBeLessThanOrEqual(
      landedAt + 120_000 + 10_000 + 5_000 + MARK_WAIT_BEHIND_MS + 1_000,
    );
    expectOnStable(w);
  });

  it('SIGTERM: the hung heartbeat is abandoned, the hung mark waited for 5 s at most', async () => {
    const w = createWorld({ auto: false });
    const controller = new AbortController();
    hangWritesFrom(w, 85_000, { signal: controller.signal });
    w.clock.at(w.start + 100_000, () => controller.abort(new Error('terminated by SIGTERM')));
    const result = await driveUntil(
      w,
      runDeploy(w.deps, request({ ...canary(10, 300), signal: controller.signal })),
    );

    expect(result.status).toBe('rolled_back');
    expect(restoredAt(w)).toBeLessThanOrEqual(100_000 + MARK_WAIT_MS + 1_000);
    expectOnStable(w);
  });

  it('hung writes that land late land in order: the record ends rolled back, its seal too, never back to shifting', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat at 90 s hangs and lands at 121 s; the mark (from the 100 s poll, queued
    // behind it) at 152 s.
    hangWritesFrom(w, 85_000, { lands: true });
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 95_000, reason: 'errors over 3' });
    const decided = timeDecision(w);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('rolled_back');
    expect(restoredAt(w) - decided()).toBeLessThanOrEqual(MARK_WAIT_MS + 1_000);
    // The run ended before its close landed (a process exits then): had it lived on, each lands
    // in its turn, never one over a later one — the hung heartbeat, the mark, the close.
    await w.clock.advance(3 * HUNG_MS);
    const late = w.store.writes.filter((x) => x.record.heartbeatAt - w.start >= 85_000);
    expect(late.map((x) => x.record.phase)).toEqual(['shifting', 'rolling-back', 'rolled-back']);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', percent: 0 });
    expect(w.store.peekSeal(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('a release: its one mark, then each function’s own, waited for MARK_WAIT_MS at most each', async () => {
    const fns = ['fa', 'fb', 'fc'];
    const w = createFleetWorld(fns, { auto: false });
    // fc's alarm fires at 85 s: the release rolls back from its 91 s poll; every record write hangs from 87 s.
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
    hangWritesFrom(w, 87_000);
    const members = fns.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
    );
    const result = await driveUntil(w, runRelease(w.deps, { releaseId: 'r-hang01', members }));
    const endedAt = w.clock.now() - w.start;

    expect(result.functions.map((r) => r.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    // The closes: the others' at once, then the mark's, 5 s at most each. Before: 2 × 31 s more.
    const lastRestore = Math.max(
      ...w.lambda
        .callsOf('updateAlias')
        .filter((c) => JSON.stringify(c.args[2]).includes('"additionalWeights":{}'))
        .map((c) => c.at - w.start),
    );
    expect(endedAt - lastRestore).toBeLessThanOrEqual(2 * MARK_WAIT_MS + 1_000);
    for (const fn of fns) {
      const restores = w.lambda
        .callsOf('updateAlias')
        .filter((c) => c.args[0] === fn && JSON.stringify(c.args[2]).includes('"additionalWeights":{}'));
      expect(restores).toHaveLength(1);
      // The release's mark (fc's), then each function's own: 2 × 5 s. Before: 2 × 31 s.
      expect(restores[0]!.at - w.start).toBeLessThanOrEqual(91_000 + 2 * MARK_WAIT_MS + 1_000);
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
  });
});
