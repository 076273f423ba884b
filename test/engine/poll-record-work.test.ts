/**
 * PollRecordWork (poll-record-work.ts): a poll's record work is waited for until the next poll is
 * due, then left to carry on; one at a time; a hold that ends healthy waits for it whole.
 */
import { describe, expect, it } from 'vitest';
import { PollRecordWork } from '../../src/engine/poll-record-work.js';
import { FakeClock } from '../helpers/fake-clock.js';

describe('PollRecordWork', () => {
  it('answers true when the work ends before the poll is due, and leaves no timer', async () => {
    const clock = new FakeClock({ auto: false });
    const work = new PollRecordWork(clock);
    const waited = work.waitUntilDue(() => clock.sleep(2_000), 10_000);
    await clock.advance(2_000);
    expect(await waited).toBe(true);
    expect(work.inFlight).toBe(false);
  });

  it('answers false once the poll is due, the work carrying on; the next wait starts no other', async () => {
    const clock = new FakeClock({ auto: false });
    const work = new PollRecordWork(clock);
    let started = 0;
    const hung = () => {
      started++;
      return clock.sleep(31_000);
    };
    const first = work.waitUntilDue(hung, 10_000);
    await clock.advance(0); // its timer is armed once the work did not end at once
    await clock.advance(10_000);
    expect(await first).toBe(false);
    expect(work.inFlight).toBe(true);
    const second = work.waitUntilDue(hung, 10_000);
    await clock.advance(0);
    await clock.advance(10_000);
    expect(await second).toBe(false);
    // Due 15 s on (a poll past a hold's end, say): it answers at 31 s.
    const third = work.waitUntilDue(hung, 15_000);
    await clock.advance(0);
    await clock.advance(11_000);
    expect(await third).toBe(true);
    expect(started).toBe(1);
    expect(work.inFlight).toBe(false);
  });

  it('a work that needs no waiting ends at once (no timer on an auto-advancing clock)', async () => {
    const clock = new FakeClock();
    const work = new PollRecordWork(clock);
    expect(await work.waitUntilDue(async () => undefined, 10_000)).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it('throws what the work throws when it ends in time', async () => {
    const clock = new FakeClock({ auto: false });
    const work = new PollRecordWork(clock);
    await expect(work.waitUntilDue(async () => Promise.reject(new Error('boom')), 10_000)).rejects.toThrow(
      'boom',
    );
  });

  it('stops waiting when the signal aborts; ended() waits for the work whole', async () => {
    const clock = new FakeClock({ auto: false });
    const work = new PollRecordWork(clock);
    const controller = new AbortController();
    const waited = work.waitUntilDue(() => clock.sleep(31_000), 10_000, controller.signal);
    await clock.advance(1_000);
    controller.abort();
    expect(await waited).toBe(false);
    let ended = false;
    void work.ended().then(() => {
      ended = true;
    });
    await clock.advance(29_000);
    expect(ended).toBe(false);
    await clock.advance(1_000);
    expect(ended).toBe(true);
  });
});
