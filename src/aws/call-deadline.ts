/**
 * One AWS call's deadline (the bounds themselves: ./time-bounds.ts): `boundedCall` runs a call,
 * cuts it off when its bound passes (or the rate queue, or the credentials, keep it waiting too
 * long), lets an interrupt abandon it, and says a timeout in lshift's terms; the errors it
 * throws; and how a call's requests tell it that they wait (CallPacing).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CredentialSource } from './credential-source.js';
import { formatMs } from './time-bounds.js';

/**
 * How a call's first request tells its bound that it waits in the control-plane queue
 * (./rate-limit.ts): the deadline stops until the request may go, then runs in full, so a call
 * queued behind a fleet's worth of others is not cut off for waiting its turn. A queue that never
 * moves is still cut off after `QUEUE_ALLOWANCE_MS`.
 */
export interface CallPacing {
  /** The request waits for a token; true for the call's first request. */
  queued(): boolean;
  /** The request may go now. */
  granted(): void;
  /** The call goes ahead of routine requests in the queue (ports/lambda.ts `RequestUrgency`). */
  readonly urgent?: boolean;
  /**
   * A request of the call waits for the SDK's credential provider (./credential-wait.ts); call
   * the returned function when it has them. A deadline that passes meanwhile is said as the
   * credentials' (CredentialsTimeoutError), not the endpoint's: no request was sent.
   */
  waitingForCredentials?(source: () => CredentialSource): () => void;
}
export const callPacing = new AsyncLocalStorage<CallPacing>();
/** Longest wait for the first token: 9,000 requests at Lambda's 15/s. */
export const QUEUE_ALLOWANCE_MS = 600_000;

/** What a call that hit its bound throws: shaped like the SDK's TimeoutError (a network error). */
export class CallTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/**
 * What a call throws whose deadline passed while the SDK was still resolving the credentials to
 * sign it with (a credential_process that never exits, an SSO portal that does not answer).
 */
export class CredentialsTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly deadlineMs: number,
    readonly source: CredentialSource,
    /** A request of the call went out before (with credentials that then needed renewing). */
    readonly sentBefore: boolean,
  ) {
    super(`${source.what} gave no credentials to ${operation} within its ${formatMs(deadlineMs)} deadline`);
    this.name = 'CredentialsTimeout';
  }
}

/** What a call abandoned because of an interrupt throws. */
export class CallInterruptedError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : 'interrupted');
    this.name = 'CallInterrupted';
  }
}

/**
 * Runs one call with a hard deadline and, if `interrupt` has not fired yet when the call
 * starts, lets the interrupt abandon it: a Ctrl-C must not wait for a stalled call's timeout
 * before the rollback starts. Calls started after the interrupt (the rollback write) are not
 * aborted by it. The SDK gets the abort signal, so the socket is closed too.
 */
export function boundedCall<T>(
  run: (abortSignal: AbortSignal) => Promise<T>,
  limits: { deadlineMs: number; attemptMs: number; urgent?: boolean },
  describe: string,
  interrupt?: AbortSignal,
  /** Abandons the call whenever it fires, unlike `interrupt` (BoundedCaller's `closed`). */
  closed?: AbortSignal,
): Promise<T> {
  const { deadlineMs, attemptMs } = limits;
  const controller = new AbortController();
  const linked = interrupt !== undefined && !interrupt.aborted;
  if (closed?.aborted) return Promise.reject(new CallInterruptedError(closed.reason));
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let requests = 0;
    const fail = (error: Error) => {
      cleanup();
      controller.abort(error);
      reject(error);
    };
    const onInterrupt = () => fail(new CallInterruptedError(interrupt?.reason));
    const onClosed = () => fail(new CallInterruptedError(closed?.reason));
    // Requests waiting for credentials, and what gives them (see CallPacing.waitingForCredentials).
    const credentials = {
      waiting: 0,
      resolved: 0,
      source: undefined as (() => CredentialSource) | undefined,
    };
    const timedOut = (ms: number, what: string): Error =>
      credentials.waiting > 0 && credentials.source
        ? new CredentialsTimeoutError(describe, ms, credentials.source(), credentials.resolved > 0)
        : new CallTimeoutError(`no answer to ${describe} ${what}`);
    const startDeadline = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(timedOut(ms, what)), ms);
    };
    const cleanup = () => {
      clearTimeout(timer);
      if (linked) interrupt.removeEventListener('abort', onInterrupt);
      closed?.removeEventListener('abort', onClosed);
    };
    if (linked) interrupt.addEventListener('abort', onInterrupt, { once: true });
    closed?.addEventListener('abort', onClosed, { once: true });
    startDeadline(deadlineMs, `within its ${formatMs(deadlineMs)} deadline`);
    const pacing: CallPacing = {
      urgent: limits.urgent === true,
      queued() {
        requests++;
        if (requests > 1) return false;
        startDeadline(
          QUEUE_ALLOWANCE_MS,
          `: the request rate queue did not move for ${formatMs(QUEUE_ALLOWANCE_MS)}`,
        );
        return true;
      },
      granted() {
        if (requests === 1) startDeadline(deadlineMs, `within its ${formatMs(deadlineMs)} deadline`);
      },
      waitingForCredentials(source) {
        credentials.waiting++;
        credentials.source = source;
        return () => {
          credentials.waiting--;
          credentials.resolved++;
        };
      },
    };
    callPacing
      .run(pacing, () => run(controller.signal))
      .then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          // Our own abort surfaces from the SDK as an AbortError; report why we aborted instead.
          if (controller.signal.aborted) reject(controller.signal.reason);
          else reject(isTimeout(error) ? attemptsTimedOut(error, attemptMs) : error);
        },
      );
  });
}

/**
 * True when the SDK's attempts timed out. The SDK's HTTP handler also renames a connection reset
 * (`ECONNRESET`) or a closed pipe (`EPIPE`) `TimeoutError`, only so its retry strategy retries
 * them: those keep their code and are said as what they are (./transport-errors.ts). Its own
 * timeouts carry `ETIMEDOUT` (request timeout) or no code (connection and socket timeouts).
 */
export function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown };
  if (typeof e !== 'object' || e === null) return false;
  return e.code === 'ETIMEDOUT' || (e.name === 'TimeoutError' && e.code === undefined);
}

/** The SDK's own timeout after its last attempt, said in lshift's terms. */
function attemptsTimedOut(error: unknown, attemptMs: number): CallTimeoutError {
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  const n = typeof attempts === 'number' ? attempts : 1;
  const out = new CallTimeoutError(
    `${n} attempt${n === 1 ? '' : 's'} of ${formatMs(attemptMs)} each timed out`,
  );
  out.cause = error;
  return out;
}
