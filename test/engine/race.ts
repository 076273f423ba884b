/**
 * Runs actors together on a manual fake clock (`createWorld({ auto: false })`): they interleave
 * by virtual time, as two processes would, while the clock moves 100 ms at a time until all have
 * ended (at most 1000 s of virtual time, so a stuck run fails its test instead of hanging it).
 */
import type { FakeClock } from '../helpers/fake-clock.js';

const STEP_MS = 100;
const MAX_STEPS = 10_000;

export async function runTogether<T extends readonly unknown[]>(
  w: { clock: FakeClock },
  ...runs: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  let finished = false;
  const all = Promise.all(runs).finally(() => {
    finished = true;
  });
  for (let i = 0; !finished && i < MAX_STEPS; i++) await w.clock.advance(STEP_MS);
  return (await all) as unknown as T;
}

/**
 * Moves the manual clock a second at a time until `work` ends (at most an hour of virtual time),
 * while other actors started on the same clock run beside it (a runner and a check overlap).
 */
export async function driveUntil<T>(w: { clock: FakeClock }, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  for (let i = 0; !done && i < 3600; i++) await w.clock.advance(1000);
  return settled;
}
