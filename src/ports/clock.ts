/**
 * Time is a port. Only the system clock adapter (src/cli/system-clock.ts) and the sandbox
 * clock read real time. Engine tests use a fake clock and never sleep for real.
 */
export interface Clock {
  /** Milliseconds since the epoch, in the clock's own timeline (simulated under a sandbox). */
  now(): number;
  /**
   * Resolves after `ms` of clock time. Rejects with the signal's reason when `signal` aborts
   * (Ctrl-C during a hold must not wait for the hold to end).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
