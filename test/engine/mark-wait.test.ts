/**
 * waitAtMost (mark-wait.ts): how long a rollback waits for its record before the alias write. In
 * real time: under a sandbox at 100× its bound counted in clock time was 50 ms, and the e2e run
 * that kills a runner right after its rollback's alias write found the mark given up though the
 * sandbox answered at once (check-killed-deploy.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { markWaitMs, STILL_PENDING, waitAtMost } from '../../src/engine/mark-wait.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** A call answering `after` ms of clock time from now. */
function answerIn(clock: FakeClock, after: number): Promise<string> {
  return clock.sleep(after).then(() => 'answered');
}

describe('waitAtMost', () => {
  it('gives the work up after its bound, leaving it to carry on', async () => {
    const clock = new FakeClock({ auto: false });
    const work = answerIn(clock, 31_000);
    const waited = waitAtMost(clock, work, 5_000);
    await clock.advance(5_000);
    expect(await waited).toBe(STILL_PENDING);
    await clock.advance(26_000);
    expect(await work).toBe('answered');
  });

  it('answers what the work answers when it ends in time, and stops its timer', async () => {
    const clock = new FakeClock({ auto: false });
    const waited = waitAtMost(clock, answerIn(clock, 200), 5_000);
    await clock.advance(200);
    expect(await waited).toBe('answered');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('counts real time: under a sandbox at 100× the bound is 100 × longer on its clock', async () => {
    const clock = new FakeClock({ auto: false });
    clock.speed = 100;
    // 60 s of sandbox time is 0.6 s of real time: well within 5 s.
    const waited = waitAtMost(clock, answerIn(clock, 60_000), 5_000);
    await clock.advance(60_000);
    expect(await waited).toBe('answered');
    const hung = waitAtMost(clock, new Promise<never>(() => undefined), 5_000);
    await clock.advance(499_000);
    let done = false;
    void hung.then(() => {
      done = true;
    });
    await clock.advance(0);
    expect(done).toBe(false);
    await clock.advance(1_000);
    expect(await hung).toBe(STILL_PENDING);
  });

  it('waits 1 s once the record is known behind, 5 s otherwise', () => {
    expect(markWaitMs(true)).toBe(1_000);
    expect(markWaitMs(false)).toBe(5_000);
  });
});
