import { describe, expect, it } from 'vitest';
import { HeartbeatSwitch } from '../../src/engine/recorder-heartbeats.js';

/** A promise that never settles on its own: the heartbeat write stuck in Lambda's queue. */
const stuck = () => new Promise<void>(() => undefined);

/**
 * Whether `wait` ends before the event loop's next turn (setImmediate runs once every pending
 * promise callback has: no timing involved).
 */
function endedBeforeIdle(wait: Promise<void>): Promise<boolean> {
  const idle = new Promise<boolean>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([wait.then(() => true), idle]);
}

describe('HeartbeatSwitch', () => {
  it('is on at first, and passes a write through until it ends', async () => {
    const beats = new HeartbeatSwitch();
    expect(beats.isOff).toBe(false);
    let ended = false;
    await beats.unlessStopped(
      Promise.resolve().then(() => {
        ended = true;
      }),
    );
    expect(ended).toBe(true);
  });

  it('stop() ends a wait on a write that has not ended', async () => {
    const beats = new HeartbeatSwitch();
    const waiting = beats.unlessStopped(stuck());
    expect(await endedBeforeIdle(waiting)).toBe(false);
    beats.stop();
    expect(await endedBeforeIdle(waiting)).toBe(true);
    expect(beats.isOff).toBe(true);
  });

  it('while off, a wait ends at once without waiting for its write', async () => {
    const beats = new HeartbeatSwitch();
    beats.stop();
    expect(await endedBeforeIdle(beats.unlessStopped(stuck()))).toBe(true);
  });

  it('resume() turns it on again, and a later stop() ends the waits begun since', async () => {
    const beats = new HeartbeatSwitch();
    beats.stop();
    beats.resume();
    expect(beats.isOff).toBe(false);
    const waiting = beats.unlessStopped(stuck());
    expect(await endedBeforeIdle(waiting)).toBe(false);
    beats.stop();
    expect(await endedBeforeIdle(waiting)).toBe(true);
  });

  it('a rejected write under a live switch rejects the wait (the recorder logs it)', async () => {
    const beats = new HeartbeatSwitch();
    await expect(beats.unlessStopped(Promise.reject(new Error('throttled')))).rejects.toThrow('throttled');
  });
});
