/**
 * One abort listener per release, however many functions it has. Every function's hold sleeps
 * on the release's watch signal; 100 of them listening on one AbortSignal made Node print
 * `MaxListenersExceededWarning` (its limit is 10 listeners per event target). So the release's
 * signal gets ONE listener, which aborts a signal per function, and each function's sleeps
 * listen on its own.
 */
export function fanOutSignal(signal: AbortSignal, count: number): AbortSignal[] {
  const controllers = Array.from({ length: count }, () => new AbortController());
  const abortAll = () => {
    for (const c of controllers) c.abort(signal.reason);
  };
  if (signal.aborted) abortAll();
  else signal.addEventListener('abort', abortAll, { once: true });
  return controllers.map((c) => c.signal);
}

/** Runs `then` once `signal` aborts (at once if it already has). */
export function onAbort(signal: AbortSignal, then: () => void): void {
  if (signal.aborted) then();
  else signal.addEventListener('abort', then, { once: true });
}
