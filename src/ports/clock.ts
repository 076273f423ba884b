/**
 * Time is a port. Only the system clock adapter (src/cli/clocks.ts) and the sandbox
 * clock read real time. Engine tests use a fake clock and never sleep for real.
 *
 * Two readings: `now()` is a timestamp (wall time), for anything that leaves the process or is
 * compared with one that did (records, heartbeats, metric windows, events); `elapsedMs()` is for
 * durations the engine measures itself (hold lengths, poll grids, wait deadlines): a wall clock
 * stepped by NTP or `date -s` moves `now()` but not `elapsedMs()`, so a hold lasts its length.
 */
export interface Clock {
  /** Milliseconds since the epoch, in the clock's own timeline (simulated under a sandbox). */
  now(): number;
  /**
   * Monotonic milliseconds from an arbitrary origin, at the clock's speed (simulated under a
   * sandbox): only differences mean anything. Never a timestamp. On Linux it does not count
   * time the machine was suspended (CLOCK_MONOTONIC), so a hold spanning a suspend is extended
   * by it — the conservative side: nobody watched meanwhile.
   */
  elapsedMs(): number;
  /**
   * Resolves after `ms` of clock time: once `elapsedMs()` has moved `ms` forward. Rejects with
   * the signal's reason when `signal` aborts (Ctrl-C during a hold must not wait for the hold to end).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * How many ms of this clock pass in one real ms: a sandbox's `--speed`; absent, 1. For a wait on
   * another process's work, which takes real time whatever this clock's speed: its AWS calls are
   * bounded in real time (src/aws/time-bounds.ts), and starting a process is not simulated.
   */
  readonly speed?: number;
  /**
   * Calls `tick` every `ms` of clock time until the returned function is called: a background
   * timer beside work that may hang (src/engine/keep-beating.ts runBeside). It never moves a test
   * clock by itself, and never keeps the process alive. Absent: nothing ticks.
   */
  every?(ms: number, tick: () => void): () => void;
  /**
   * This clock follows a running `lshift sandbox` (LSHIFT_SANDBOX, `--sandbox`): set by the shell
   * that made it (src/cli/runtime.ts), so advice about clocks never tells a user to set
   * LSHIFT_SANDBOX when it is set (record-trust.ts). Absent: this machine's clock.
   */
  readonly followsSandbox?: true;
}
