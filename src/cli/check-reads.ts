/**
 * `lshift check` under a signal: while it only reads (the engine says so: CheckDeps.reading), a
 * signal abandons the AWS calls in flight and refuses the ones that would start, so a check whose
 * endpoint stalls stops at once — nothing to finish. While it may write (a rollback, a record's
 * close) a signal abandons nothing: that function is finished, each call bounded by its time
 * bound (src/aws/time-bounds.ts), and the engine stops before the next.
 *
 * Why it matters: GitHub Actions' cancel sends SIGINT, then SIGTERM 7.5 s later, then kills the
 * process tree 2.5 s after that (docs/ci.md). A read waiting out its 31 s bound was killed with
 * its report unwritten.
 */
import { OperationError } from '../domain/errors.js';

export interface CheckReads {
  /** The runtime's `interrupt` (createRuntime): fires only for a signal that came while reading. */
  signal: AbortSignal;
  /** CheckDeps.reading: the engine enters (true) or leaves (false) a stretch of reads only. */
  reading: (on: boolean) => void;
  /** A port whose calls are refused (INTERRUPTED) once a signal came while reading. */
  guard: <T extends object>(port: T) => T;
  /** The first signal's notice (GuardOptions.stopping): what the check does with it now. */
  stopping: () => string;
}

/**
 * A signal while it reads (or before it has begun) stops the check at once; one while it may
 * write finishes that function first. "finishing the function being checked" said of a check
 * that only read promised a wait that never came (h3, session 70).
 */
export const CHECK_STOPS_NOW = 'stopping now: nothing was being written';
export const CHECK_FINISHES_FUNCTION = 'finishing the function being checked, then stopping';

export function abortWhileReading(interrupt: AbortSignal): CheckReads {
  const calls = new AbortController();
  let reading = false;
  // Until the engine says otherwise it has written nothing: a signal before its first read
  // finds every port call refused once it reads (reading(true) below).
  let mayWrite = false;
  const abort = () => {
    // With its reason ("interrupted by SIGTERM"), which the INTERRUPTED message quotes.
    if (reading && !calls.signal.aborted) calls.abort(interrupt.reason);
  };
  interrupt.addEventListener('abort', abort, { once: true });
  // A call started after the runtime's interrupt fired is not abandoned by it (boundedCall): those
  // of a stretch of reads are refused here instead, before they go out.
  const refused = (name: string) =>
    new OperationError(
      'INTERRUPTED',
      `${name} was not sent: the check was ${describeReason(interrupt.reason)} while it only read.`,
      { hint: 'It only read: nothing was changed.' },
    );
  return {
    signal: calls.signal,
    reading: (on) => {
      reading = on;
      mayWrite = !on;
      if (on && interrupt.aborted) abort();
    },
    guard: (port) =>
      new Proxy(port, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) =>
            reading && interrupt.aborted
              ? Promise.reject(refused(String(key)))
              : Reflect.apply(value, target, args);
        },
      }),
    stopping: () => (mayWrite ? CHECK_FINISHES_FUNCTION : CHECK_STOPS_NOW),
  };
}

function describeReason(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : '';
  return /^interrupted by [A-Z]+$/.test(text) ? text : 'interrupted';
}
