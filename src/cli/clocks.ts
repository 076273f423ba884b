/**
 * The only place (besides the sandbox) that reads real time. A following clock runs on a
 * sandbox's compressed timeline: simulated time = simOrigin + (real - realOrigin) × speed,
 * and a sleep of N simulated ms waits N / speed real ms. Its `elapsedMs` is the monotonic
 * clock (performance.now, which a wall-clock step does not move) at the same speed.
 */
import type { Clock } from '../ports/clock.js';

export interface ClockOrigin {
  simOriginMs: number;
  realOriginMs: number;
  speed: number;
}

/** Real milliseconds from a monotonic origin, for measuring how long something took (hook durations). */
export function readElapsedMs(): number {
  return performance.now();
}

/** Real wall-clock epoch ms (signal de-duplication), never the sandbox's simulated time. */
export function readWallMs(): number {
  return Date.now();
}

export function createSystemClock(): Clock {
  return createFollowingClock({ simOriginMs: 0, realOriginMs: 0, speed: 1 });
}

/** `sandbox`: the origin is a running sandbox's clock (Clock.followsSandbox). */
export function createFollowingClock(origin: ClockOrigin, opts: { sandbox?: true } = {}): Clock {
  return {
    ...(opts.sandbox ? { followsSandbox: true as const } : {}),
    // Whole milliseconds, as the sandbox's own clock: at a fractional speed (4.67×) the product is
    // fractional, and epoch-ms fields of `--json` (startedAt, endedAt) are integers by schema.
    now: () => Math.floor(origin.simOriginMs + (Date.now() - origin.realOriginMs) * origin.speed),
    elapsedMs: () => performance.now() * origin.speed,
    sleep: (ms, signal) => sleepReal(Math.max(0, ms), origin.speed, signal),
    speed: origin.speed,
    every: (ms, tick) => {
      const timer = setInterval(tick, Math.min(Math.max(1, ms / origin.speed), MAX_TIMER_MS));
      // A timer left running must not keep the CLI from exiting.
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/**
 * Node fires a setTimeout whose delay exceeds 2^31-1 ms (~24.8 days) after 1 ms
 * (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args): a 700 h interval would
 * turn every sleep into a busy loop of API calls. Longer sleeps are chained in chunks.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * How far past its monotonic deadline a sleep may wait for the wall clock (what `now` reads): a
 * Node timer runs on libuv's monotonic loop clock and can fire a millisecond before Date.now()
 * reaches its deadline. A loop that measured a deadline on `now` and woke 1 ms before it went
 * round once more (the health monitor did, before it measured holds on `elapsedMs`: in a
 * release, a round of CloudWatch reads of its own that waited out the batch window, 1.8 s of a
 * level at 1×). Bounded, so a wall clock stepped back (NTP) cannot stretch a sleep.
 */
const WALL_CLOCK_SLACK_MS = 50;

/**
 * Sleeps `ms` of the clock's time (`ms / speed` real ms). The deadline is kept in the clock's
 * `elapsedMs` units, rounded up to a whole ms, and checked on that same reading: a caller that
 * sleeps `end - elapsedMs()` wakes at or past `end` by its own reading, never a rounding error
 * short of it (which would cost it one more round of polls).
 */
function sleepReal(ms: number, speed: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const elapsed = () => performance.now() * speed;
    const wallDeadline = Date.now() + ms / speed;
    const monoDeadline = ms > 0 ? Math.ceil(elapsed() + ms) : elapsed();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const next = () => {
      const mono = (monoDeadline - elapsed()) / speed;
      const wall = wallDeadline - Date.now();
      const remaining = mono > 0 ? mono : wall > 0 && wall <= WALL_CLOCK_SLACK_MS ? wall : 0;
      if (remaining <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      timer = setTimeout(next, Math.min(remaining, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    next();
  });
}
