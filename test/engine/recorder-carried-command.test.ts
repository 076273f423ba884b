import { describe, expect, it } from 'vitest';
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
