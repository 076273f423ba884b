/**
 * `lshift wait --on-interrupt leave` under a signal: it leaves the deployment running, so from the
 * signal until the wait has read CodeDeploy's end (abortUntilWrite's `writing()`) it has nothing
 * left to do but say so. The read in flight is abandoned (abortUntilWrite), but the poll's next
 * read, started after the signal, is not (a call started after the runtime's interrupt fired
 * waits out its time bound, boundedCall): behind an endpoint that does not answer the wait held
 * the exit 30.35 s after Ctrl-C (3 attempts of 10 s; measured against a SIGSTOPped sandbox, h3's
 * s71 brief) — GitHub Actions' cancel kills the process 10 s after its SIGINT. Those reads are
 * refused at once instead (INTERRUPTED), as `lshift check`'s are while it only reads
 * (check-reads.ts). With `--on-interrupt rollback` a signal starts writes (the record's mark, the
 * StopDeployment): nothing is refused.
 */
import { OperationError } from '../domain/errors.js';

/** The wait's CodeDeploy and Lambda ports, their reads refused after a signal under `leave`. */
export function leaveReadsOf<C extends object, L extends object>(
  ports: { codedeploy: C; lambda: L },
  onInterrupt: 'rollback' | 'leave',
  calls: { interrupted: () => boolean },
): { codedeploy: C; lambda: L } {
  if (onInterrupt !== 'leave') return ports;
  return {
    codedeploy: refuseWhileLeaving(ports.codedeploy, calls.interrupted),
    lambda: refuseWhileLeaving(ports.lambda, calls.interrupted),
  };
}

/** `port` with its calls refused while `refusing()` says so (before they go out). */
export function refuseWhileLeaving<T extends object>(port: T, refusing: () => boolean): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        refusing()
          ? Promise.reject(
              new OperationError(
                'INTERRUPTED',
                `${String(key)} was not sent: the wait was interrupted and leaves the deployment running (--on-interrupt leave).`,
                { hint: 'It only read: nothing was changed.' },
              ),
            )
          : Reflect.apply(value, target, args);
    },
  });
}
