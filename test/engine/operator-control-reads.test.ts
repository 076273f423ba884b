import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { DeploymentRecorder } from '../../src/engine/deployment-recorder.js';
import { OperatorControl } from '../../src/engine/operator-control.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

const FN = 'demo';
const ALIAS = 'live';
const HEARTBEAT_MS = 30_000;

/**
 * How often a running deployment reads its record for operator commands: every poll alone (a
 * command is obeyed within one poll), only with the heartbeat as one function of a release (the
 * release's share of Lambda's control-plane rate).
 */
describe('OperatorControl record reads', () => {
  function setup(readEveryPoll: boolean) {
    const clock = new FakeClock();
    const store = new FakeStore({ roundTrip: true });
    const record: DeploymentRecord = {
      id: 'd-run001',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:1h',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: clock.now(),
      owner: 'ci@runner:7',
      heartbeatAt: clock.now(),
      history: ['1'],
    };
    store.seed(FN, ALIAS, record);
    const deps = { store, clock, events: { emit: () => {} } };
    // Polls 10 s apart, as pollAMinute: a put-off heartbeat's next try comes 10 s later.
    const recorder = new DeploymentRecorder(deps, FN, ALIAS, record, undefined, 10_000);
    const control = new OperatorControl(deps, recorder, readEveryPoll);
    /** Six polls 10 s apart: one simulated minute. */
    const pollAMinute = async () => {
      for (let i = 0; i < 6; i++) {
        await control.poll(HEARTBEAT_MS);
        await clock.advance(10_000);
      }
    };
    return { store, clock, control, pollAMinute };
  }

  it('alone: one read a poll', async () => {
    const { store, pollAMinute } = setup(true);
    await pollAMinute();
    expect(store.reads).toBe(6);
  });

  it('in a release: reads only when the heartbeat is due (twice a minute)', async () => {
    const { store, pollAMinute } = setup(false);
    await pollAMinute();
    expect(store.reads).toBe(2);
  });

  it('in a release, the read with a due heartbeat fails: nothing written, read again at the next poll', async () => {
    const { store, clock, control } = setup(false);
    await control.poll(HEARTBEAT_MS);
    expect([store.reads, store.writes.length]).toEqual([1, 1]);
    await clock.advance(HEARTBEAT_MS);
    store.failReads(new Error('Rate exceeded'), 1);
    await control.poll(HEARTBEAT_MS);
    expect([store.reads, store.writes.length]).toEqual([2, 1]);
    await clock.advance(10_000);
    await control.poll(HEARTBEAT_MS);
    expect([store.reads, store.writes.length]).toEqual([3, 2]);
  });
});
