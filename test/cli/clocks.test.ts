/**
 * The system clock's sleep beyond Node's timer limit (issue 9: a 700 h --interval overflowed
 * setTimeout, which then fired after 1 ms and sent ~110 DescribeAlarms per second). Fake timers:
 * no real waiting.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFollowingClock, createSystemClock, MAX_TIMER_MS } from '../../src/cli/clocks.js';

const HOUR = 3_600_000;

describe('system clock sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sleeps 700 hours, not 1 ms, past the 2^31-1 ms timer limit', async () => {
    let woke = false;
    void createSystemClock()
      .sleep(700 * HOUR)
      .then(() => {
        woke = true;
      });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(700 * HOUR - MAX_TIMER_MS - 1_000 - 1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it('a long sleep still ends at once on abort', async () => {
    const controller = new AbortController();
    const sleeping = createFollowingClock({ simOriginMs: 0, realOriginMs: 0, speed: 1 }).sleep(
      700 * HOUR,
      controller.signal,
    );
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 5);
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(sleeping).rejects.toThrow('interrupted by SIGINT');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a timer that fires before the wall clock reaches its deadline is slept out', async () => {
    let woke = false;
    void createSystemClock()
      .sleep(60_000)
      .then(() => {
        woke = true;
      });
    // The wall clock 1 ms behind the timers' clock: the 60 s timer fires at 59.999 s of Date.now().
    vi.setSystemTime(Date.now() - 1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it('a wall clock stepped back does not stretch a sleep', async () => {
    let woke = false;
    void createSystemClock()
      .sleep(60_000)
      .then(() => {
        woke = true;
      });
    vi.setSystemTime(Date.now() - HOUR);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(woke).toBe(true);
  });
});

describe('system clock elapsedMs (the monotonic reading holds are measured on)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not move when the wall clock is stepped, and counts at the sandbox speed', async () => {
    const clock = createFollowingClock({ simOriginMs: 0, realOriginMs: 0, speed: 60 });
    const before = clock.elapsedMs();
    const wallBefore = clock.now();
    vi.setSystemTime(Date.now() + HOUR);
    expect(clock.elapsedMs()).toBe(before);
    expect(clock.now() - wallBefore).toBe(60 * HOUR);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(clock.elapsedMs() - before).toBe(60_000);
  });

  it('reads whole milliseconds at a fractional speed (epoch-ms fields of --json are integers)', async () => {
    const clock = createFollowingClock({ simOriginMs: 0, realOriginMs: Date.now() - 3, speed: 4.67 });
    expect(Number.isInteger(clock.now())).toBe(true);
    expect(clock.now()).toBe(14);
  });

  it('a sleep to a fractional end wakes at or past that end by the same reading', async () => {
    const clock = createFollowingClock({ simOriginMs: 0, realOriginMs: 0, speed: 60 });
    await vi.advanceTimersByTimeAsync(0.3);
    const end = clock.elapsedMs() + 1_000.7;
    let wokeAt: number | undefined;
    void clock.sleep(end - clock.elapsedMs()).then(() => {
      wokeAt = clock.elapsedMs();
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(wokeAt).toBeGreaterThanOrEqual(end);
  });
});

describe('which clock it is (Clock.followsSandbox)', () => {
  it('a sandbox’s following clock says so; this machine’s does not', () => {
    const origin = { simOriginMs: 0, realOriginMs: 0, speed: 10 };
    expect(createFollowingClock(origin, { sandbox: true }).followsSandbox).toBe(true);
    expect(createFollowingClock(origin).followsSandbox).toBeUndefined();
    expect(createSystemClock().followsSandbox).toBeUndefined();
  });
});
