/**
 * A hold starved of its polls past its heartbeat's due time (ci217, load ~30: the record-unwritten
 * e2e's deploy made no poll from 17 s to 69 s of its hold) tried no record write after its step's:
 * at its end it knew nothing of a store refusing writes, and moved traffic on. The hold's end
 * writes the heartbeat first when a poll owed it (HoldRecordLag.holdsForRecord), then looks
 * whether the record lags; a hold whose polls kept to time writes nothing more.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { createWorld, linear, request } from './world.js';

const throttled = () => new OperationError('THROTTLED', 'tag write throttled');

/** When each alias write landed, after the deployment's start (s). */
function aliasWriteTimes(w: ReturnType<typeof createWorld>): number[] {
  return w.lambda.callsOf('updateAlias').map((c) => (c.at - w.start) / 1000);
}

/** When each record write that landed was written, after the deployment's start (s). */
function recordWriteTimes(w: ReturnType<typeof createWorld>): number[] {
  return w.store.writes.map((x) => ((x.record.heartbeatAt ?? 0) - w.start) / 1000);
}

/**
 * The runner stopped (SIGSTOP, a starved CPU) from `fromS` for `forS` seconds: the first sleep
 * after `fromS` wakes that much later, as a real one does.
 */
function stallOnce(w: ReturnType<typeof createWorld>, fromS: number, forS: number): void {
  const sleep = w.clock.sleep.bind(w.clock);
  let stalled = false;
  w.clock.sleep = (ms, signal) => {
    if (stalled || w.clock.now() - w.start < fromS * 1000) return sleep(ms, signal);
    stalled = true;
    return sleep(ms + forS * 1000, signal);
  };
}

describe('a hold whose polls were starved past its heartbeat', () => {
  it('writes the overdue heartbeat at its end, and holds when the store refuses it', async () => {
    const w = createWorld();
    // Polls at 10 s and 20 s, then none until 75 s (the sleep to 30 s wakes 45 s late, past the
    // 60 s end): no heartbeat was tried after the 50% step's record, at 0 s.
    stallOnce(w, 20, 45);
    // From 25 s: the next two writes fail (the heartbeat at the hold's end, and the retry at the
    // next poll); the third lands.
    w.clock.at(w.start + 25_000, () => w.store.failWrites(throttled(), 2));
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    const [first, second] = aliasWriteTimes(w);
    expect(first).toBe(0);
    // Not at 75 s (the poll that ended the hold): held until a write landed.
    expect(second).toBeGreaterThan(75);
    expect(w.sink.logs('warn').filter((m) => m.includes('as the hold at 50% was to end'))).toHaveLength(1);
    expect(w.sink.logs('info')).toContain('the deployment record is written again: the hold at 50% ends');
  });

  it('writes nothing more at the end of a hold whose polls kept to time', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    expect(aliasWriteTimes(w)).toEqual([0, 60]);
    // The start's and the 50% step's records, the heartbeat at 30 s; then the 100% step's.
    expect(recordWriteTimes(w).filter((t) => t < 60)).toEqual([0, 0, 30]);
    expect(w.sink.logs('warn')).toEqual([]);
  });
});
