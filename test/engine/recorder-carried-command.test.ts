import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

/**
 * The recorder's side of a command sent between two polls (operator-command-waits.test.ts has the
 * deployments): what its writes carry over, and the one read it adds — only while it carries one.
 */
const PAUSE: OperatorCommand = { verb: 'pause', nonce: 'p1', state: 'sent', by: 'ann@laptop:9' };

async function started(w: World): Promise<DeploymentRecorder> {
  const recorder = new DeploymentRecorder(
    w.deps,
    FN,
    ALIAS,
    deadRecord(w, { id: 'd-mine01', owner: 'me@host:1' }),
    undefined,
    // Polls 10 s apart: a put-off heartbeat's next try comes 10 s later.
    10_000,
  );
  await recorder.write({ phase: 'shifting' });
  return recorder;
}

/** `lshift pause` writes the command on a copy of the record as it is stored. */
function send(w: World, command: OperatorCommand = PAUSE): void {
  w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command });
}

describe('DeploymentRecorder and an operator command it has not read', () => {
  it('a heartbeat and the step write after an alias write carry it; that write reads only while one is carried', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    expect(w.store.peek(FN, ALIAS)?.command).toEqual(PAUSE);
    const reads = w.store.reads;
    await recorder.write({ stepIndex: 1, percent: 20 }, { afterAliasWrite: true });
    expect(w.store.reads).toBe(reads + 1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ stepIndex: 1, command: PAUSE });
    // Answered (operator-control.ts): from then on the answer is written, and no extra read.
    await recorder.write({ command: { ...PAUSE, state: 'done' } }, { stored: w.store.peek(FN, ALIAS)! });
    const after = w.store.reads;
    await recorder.write({ stepIndex: 2, percent: 30 }, { afterAliasWrite: true });
    expect(w.store.reads).toBe(after);
    expect(w.store.peek(FN, ALIAS)?.command).toEqual({ ...PAUSE, state: 'done' });
  });

  it('is not kept in memory: the record the deployment reports has none until it answers', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    expect(recorder.current().command).toBeUndefined();
  });

  it('an ending record carries none (nobody would read it)', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(1_000);
    await recorder.write({ phase: 'promoted', percent: 100 });
    expect(w.store.peek(FN, ALIAS)?.command).toBeUndefined();
  });

  it('the read before a step write fails while one is carried: written without it (its sender writes it again)', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    w.store.failReads(new Error('throttled'), 1);
    await recorder.write({ stepIndex: 1, percent: 20 }, { afterAliasWrite: true });
    expect(w.store.peek(FN, ALIAS)?.command).toBeUndefined();
    expect(recorder.lostReason()).toBeUndefined();
  });

  it('a heartbeat whose read fails is put off, not written over the command it could not see; the next one carries it', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(30_000);
    const writes = w.store.writes.length;
    w.store.failReads(new Error('throttled'), 1);
    await recorder.heartbeat(30_000);
    expect(w.store.writes).toHaveLength(writes);
    expect(w.store.peek(FN, ALIAS)?.command).toEqual(PAUSE);
    // Still due: the next try (a poll later) reads the store and carries the command.
    await w.clock.sleep(10_000);
    await recorder.heartbeat(30_000);
    expect(w.store.writes).toHaveLength(writes + 1);
    expect(w.store.peek(FN, ALIAS)?.command).toEqual(PAUSE);
    expect(recorder.lostReason()).toBeUndefined();
  });

  it('a poll whose read failed hands that on: its heartbeat is put off too (no second read)', async () => {
    const w = createWorld();
    const recorder = await started(w);
    send(w);
    await w.clock.sleep(30_000);
    const reads = w.store.reads;
    const writes = w.store.writes.length;
    await recorder.heartbeat(30_000, recorder.storedAfterFailedRead(new Error('throttled')));
    expect(w.store.reads).toBe(reads);
    expect(w.store.writes).toHaveLength(writes);
    expect(w.store.peek(FN, ALIAS)?.command).toEqual(PAUSE);
  });

  it('reads failing for good: heartbeats are put off only while the record stays well inside the stale limit', async () => {
    const w = createWorld();
    const recorder = await started(w);
    w.store.failReads(new Error('throttled'));
    const landed = [w.clock.now()];
    for (let t = 10_000; t <= 600_000; t += 10_000) {
      await w.clock.sleep(10_000);
      const before = w.store.writes.length;
      await recorder.heartbeat(30_000);
      if (w.store.writes.length > before) landed.push(w.clock.now());
    }
    const gaps = landed.slice(1).map((at, i) => at - landed[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    // 120 s without a change makes a live runner look gone (resume-runner-gone.ts): room for the
    // blind write to hang until its bound (46 s) after 60 s.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    // And they are put off at all (the rule is not "write anyway").
    expect(Math.max(...gaps)).toBeGreaterThan(30_000);
  });

  it('a corrupt record is no failed read: the heartbeat writes ours back over it, as before', async () => {
    const w = createWorld();
    const recorder = await started(w);
    await w.clock.sleep(30_000);
    const writes = w.store.writes.length;
    w.store.failReads(new OperationError('RECORD_CORRUPT', 'the record tag cannot be decoded'), 1);
    await recorder.heartbeat(30_000);
    expect(w.store.writes).toHaveLength(writes + 1);
  });

  it('a command on a record someone else wrote (a takeover) is not carried: the recorder stops', async () => {
    const w = createWorld();
    const recorder = await started(w);
    w.store.seed(FN, ALIAS, {
      ...w.store.peek(FN, ALIAS)!,
      owner: 'other@host:2',
      heartbeatAt: w.clock.now() + 5,
      command: PAUSE,
    });
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    expect(recorder.lostReason()).toBeDefined();
    expect(w.store.peek(FN, ALIAS)?.owner).toBe('other@host:2');
  });
});
