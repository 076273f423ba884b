/**
 * A clock-sleep loop that calls `beat` every interval while something else runs: a hook
 * (hook-phase.ts) or one AWS call of the shift that may hang until its bound (beating-driver.ts).
 */
import type { Clock } from '../ports/clock.js';

/**
 * Calls `beat` every `intervalMs` of clock time until `done()` or `signal` aborts. A failing beat
 * never stops the loop (the recorder already turns write failures into warnings).
 */
export async function keepBeating(
  clock: Clock,
  beat: () => Promise<void>,
  intervalMs: number,
  signal: AbortSignal,
  done: () => boolean,
): Promise<void> {
  await settledAtOnce(done);
  while (!done() && !signal.aborted) {
    try {
      await clock.sleep(intervalMs, signal);
    } catch {
      return;
    }
    if (done() || signal.aborted) return;
    try {
      await beat();
    } catch {
      // Best effort: nothing a beat throws may stop the work it runs beside.
    }
  }
}

/**
 * Whether the work `done` watches settled within a few microtasks. Work that needed no waiting
 * (a cached answer, a test double) does: not starting a sleep beside it keeps an auto-advancing
 * clock from jumping ahead, and makes no call for nothing.
 */
export async function settledAtOnce(done: () => boolean, turns = 20): Promise<boolean> {
  for (let i = 0; i < turns && !done(); i++) await Promise.resolve();
  return done();
}

/**
 * Runs `run` with `beat` every `intervalMs` of clock time beside it (Clock.every: a background
 * timer, which never moves a test clock itself), and returns (or throws) what `run` does. A tick
 * while the last beat is still in flight is skipped; once `run` settles no tick comes, and a beat
 * still in flight is not waited for (it takes its turn in the recorder's queue before any later
 * write).
 */
export async function runBeside<T>(
  clock: Clock,
  run: () => Promise<T>,
  beat: () => Promise<void>,
  intervalMs: number,
): Promise<T> {
  if (!clock.every) return run();
  let beating = false;
  const stop = clock.every(intervalMs, () => {
    if (beating) return;
    beating = true;
    beat()
      .catch(() => undefined)
      .finally(() => {
        beating = false;
      });
  });
  try {
    return await run();
  } finally {
    stop();
  }
}

/**
 * `runBeside`, and then the beat still in flight, if any, waited for: for a beat that writes the
 * store itself rather than through the recorder's queue (a check's claim: check-claim.ts
 * keepClaimFresh), which the caller's next write (the rollback's close) must not land before —
 * the beat would put the `rolling-back` claim back over the closed record.
 */
export async function runBesideSettled<T>(
  clock: Clock,
  run: () => Promise<T>,
  beat: () => Promise<void>,
  intervalMs: number,
): Promise<T> {
  let inFlight: Promise<void> | undefined;
  const tracked = () => {
    const beating = beat().finally(() => {
      if (inFlight === beating) inFlight = undefined;
    });
    inFlight = beating;
    return beating;
  };
  try {
    return await runBeside(clock, run, tracked, intervalMs);
  } finally {
    await inFlight?.catch(() => undefined);
  }
}
