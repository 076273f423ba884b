/**
 * How an e2e test waits for something the built CLI or the sandbox does: by polling the thing
 * itself (the sandbox's state, a file, the simulated clock), never by a delay. A slow machine then
 * makes the test slower, never wrong.
 */

/**
 * A hang guard only, never a deadline a test is expected to meet: CI runs the suite on a 2-core
 * machine beside other work (load average 16–20 seen), where a CLI start alone can take many
 * seconds. It sits under vitest's testTimeout (180 s, vitest.config.ts) so that a wait that never
 * ends fails with what it waited for rather than with a bare timeout.
 */
export const HANG_GUARD_MS = 150_000;

/** Resolves once `done()` holds, polled every `everyMs` real ms; rejects naming `what` after HANG_GUARD_MS. */
export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  what: string,
  everyMs = 20,
): Promise<void> {
  const giveUpAt = Date.now() + HANG_GUARD_MS;
  while (!(await done())) {
    if (Date.now() > giveUpAt)
      throw new Error(`never reached (hang guard, ${HANG_GUARD_MS / 1000} s): ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
