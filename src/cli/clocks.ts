/**
 * The only place (besides the sandbox) that reads real time. A following clock runs on a
 * sandbox's compressed timeline: simulated time = simOrigin + (real - realOrigin) × speed,
 * and a sleep of N simulated ms waits N / speed real ms.
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

export function createFollowingClock(origin: ClockOrigin): Clock {
  return {
    now: () => origin.simOriginMs + (Date.now() - origin.realOriginMs) * origin.speed,
    sleep: (ms, signal) => sleepReal(Math.max(0, ms) / origin.speed, signal),
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
 * reaches its deadline. A health monitor woken 1 ms before the end of a hold took a poll that
 * was not the end-of-step one and polled again after it: in a release, a round of CloudWatch
 * reads of its own that waited out the batch window (1.8 s of a level, measured at 1×). Bounded,
 * so a wall clock stepped back (NTP) cannot stretch a sleep.
 */
const WALL_CLOCK_SLACK_MS = 50;

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const wallDeadline = Date.now() + ms;
    const monoDeadline = performance.now() + ms;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const next = () => {
      const mono = monoDeadline - performance.now();
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
