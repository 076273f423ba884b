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

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
