import { describe, expect, it } from 'vitest';
import { type DeploymentRecord, decodeRecord } from '../../src/domain/deployment-record.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

function recorderOf(w: World): DeploymentRecorder {
  // Polls 10 s apart (a put-off heartbeat's next try): the tests try again 10 s later.
  const record = deadRecord(w, { id: 'd-mine01', owner: 'me@host:1' });
  return new DeploymentRecorder(w.deps, FN, ALIAS, record, undefined, 10_000);
}

describe('DeploymentRecorder ownership', () => {
  it('claims with its first write without reading, then checks the store holds its own record before each write', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w));
    const recorder = recorderOf(w);
    expect(await recorder.write({ phase: 'started' })).toBe(true);
    expect(w.store.reads).toBe(0);
    await w.clock.sleep(30_000);
    expect(await recorder.write({ phase: 'pre-hook' })).toBe(true);
    expect(w.store.reads).toBe(1);
    expect(await recorder.write({ phase: 'shifting' }, { afterAliasWrite: true })).toBe(true);
    expect(w.store.reads).toBe(1);
    expect(recorder.lostReason()).toBeUndefined();
  });

  const takeovers = [
    {
      name: 'resumed by another runner (same id, new heartbeat)',
      other: { id: 'd-mine01', owner: 'other@host:2' },
    },
    { name: 'superseded by another deployment', other: { id: 'd-new001', owner: 'other@host:2' } },
    {
      name: 'closed by `lshift rollback` (same id and owner)',
      other: { id: 'd-mine01', owner: 'me@host:1', phase: 'rolled-back' as const },
    },
  ];

  it.each(takeovers)('stops writing for good once the record was $name', async ({ other }) => {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'shifting' });
    await w.clock.sleep(10_000);
    w.store.seed(FN, ALIAS, { ...recorder.current(), ...other, heartbeatAt: w.clock.now() });
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    expect(recorder.lostReason()).toContain(`deployment record of ${FN} alias ${ALIAS} changed underneath`);
    expect(await recorder.write({ phase: 'promoted' })).toBe(false);
    expect(w.store.writes).toHaveLength(1);
    expect(w.sink.logs('warn')).toHaveLength(1);
  });

  it('a claim stamped in the very millisecond of its own last write is still not ours (another owner)', async () => {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'shifting' });
    const ours = recorder.current();
    w.store.seed(FN, ALIAS, { ...ours, phase: 'rolling-back', owner: 'rollback:ops@desk:3' });
    expect(await recorder.findTakeover()).toMatchObject({ owner: 'rollback:ops@desk:3' });
    // Its own record, owner cut short for room in the tag (record-encode.ts), is still its own.
    w.store.seed(FN, ALIAS, { ...ours, owner: 'me@host' });
    expect(await recorder.findTakeover()).toBeUndefined();
  });

  /** The reason the recorder gives once `other` replaced its record (same id: closed by another command). */
  async function lostOnceClosedBy(other: Partial<DeploymentRecord>): Promise<string> {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'shifting' });
    await w.clock.sleep(10_000);
    w.store.seed(FN, ALIAS, { ...recorder.current(), ...other, heartbeatAt: w.clock.now() });
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    return recorder.lostReason() ?? '';
  }

  it.each([
    ['moved by hand', 'promoted'],
    ['moved by hand to version 5', 'rolled-back'],
    ['weights changed by hand', 'paused'],
  ] as const)(
    'closed by `lshift alias` (%s): says the alias was moved by hand, not taken over by itself',
    async (endReason, phase) => {
      const lost = await lostOnceClosedBy({ phase, endReason });
      expect(lost).toContain(
        `the alias was moved by hand (\`lshift alias\`, or a move made outside lshift that a \`lshift rollback\` met): deployment d-mine01 was closed as ${phase} (${endReason})`,
      );
      expect(lost).not.toContain('taken over by me@host:1');
    },
  );

  it("closed as moved by hand by a claimer (a person's refused rollback): names it, and not `lshift alias` (h3 F7)", async () => {
    const lost = await lostOnceClosedBy({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
      owner: 'rollback:op@laptop:2',
    });
    expect(lost).toContain(
      'the alias was moved by someone else (`aws lambda update-alias`, the console, another tool), and rollback:op@laptop:2, which had claimed this deployment, met the move: deployment d-mine01 was closed as rolled-back (moved by hand to version 3)',
    );
    expect(lost).not.toContain('lshift alias');
  });

  it('its own owner cut short in the tag (record-encode.ts) is still its own, not a claimer', async () => {
    const lost = await lostOnceClosedBy({ phase: 'promoted', endReason: 'moved by hand', owner: 'me@host' });
    expect(lost).toContain('the alias was moved by hand (`lshift alias`');
  });

  it('closed by another command with its own owner (`lshift rollback`): not taken over by itself', async () => {
    const lost = await lostOnceClosedBy({ phase: 'rolled-back' });
    expect(lost).toContain('deployment d-mine01 was closed as rolled-back by another command');
    expect(lost).not.toContain('taken over by me@host:1');
  });

  it('resumed by another runner: names that runner', async () => {
    const lost = await lostOnceClosedBy({ owner: 'other@host:2' });
    expect(lost).toContain('deployment d-mine01 was taken over by other@host:2 (shifting)');
  });

  it('counts a write that failed but may have landed as its own', async () => {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'started' });
    w.store.failWrites(new Error('timeout'), 1);
    await w.clock.sleep(1_000);
    await recorder.write({ phase: 'pre-hook' });
    // The timed-out write did land (seeded as the store would hold it).
    w.store.seed(FN, ALIAS, { ...recorder.current() });
    await w.clock.sleep(1_000);
    expect(await recorder.write({ phase: 'shifting' })).toBe(true);
    expect(recorder.lostReason()).toBeUndefined();
  });

  it('does not count someone else’s record as a takeover when none of its own writes has landed', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { phase: 'promoted' }));
    w.store.failWrites(new Error('throttled'), 1);
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'started' });
    expect(await recorder.write({ phase: 'pre-hook' })).toBe(true);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-mine01', phase: 'pre-hook' });
  });

  it('says once that an unreadable record is written over, and keeps writing its own', async () => {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'shifting' });
    const corrupt = (() => {
      try {
        decodeRecord('garbage', { functionName: FN, alias: ALIAS });
      } catch (error) {
        return error as Error;
      }
      throw new Error('decodeRecord accepted garbage');
    })();
    w.store.failReads(corrupt, 2);
    for (let beat = 0; beat < 3; beat++) {
      await w.clock.sleep(30_000);
      await recorder.heartbeat(30_000);
    }
    expect(recorder.lostReason()).toBeUndefined();
    expect(w.store.writes).toHaveLength(4);
    const warnings = w.sink.logs('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `deployment record of ${FN} alias ${ALIAS} was changed into a value lshift cannot decode`,
    );
    expect(warnings[0]).toContain('RECORD_CORRUPT');
    expect(warnings[0]).toContain('writes its own record back over it');
  });

  it('does not call a record unreadable when the read only failed (throttled, network)', async () => {
    const w = createWorld();
    const recorder = recorderOf(w);
    await recorder.write({ phase: 'shifting' });
    w.store.failReads(new Error('socket hang up'), 1);
    await w.clock.sleep(30_000);
    await recorder.heartbeat(30_000);
    // Put off, not written blind (recorder-carried-command.test.ts): the next try writes it.
    expect(w.store.writes).toHaveLength(1);
    await w.clock.sleep(10_000);
    await recorder.heartbeat(30_000);
    expect(w.store.writes).toHaveLength(2);
    expect(w.sink.logs('warn')).toHaveLength(0);
  });
});
