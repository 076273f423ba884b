/**
 * Runs one piece of hook work against a deadline and the caller's abort signal. The work gets
 * a signal that fires on either, so fetch and friends stop instead of running on in the background.
 */
export type DeadlineOutcome<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'aborted' };

// setTimeout fires at once for delays above 2^31-1 ms; a larger timeout means "practically none".
const MAX_TIMER_MS = 2_147_483_647;

export function runWithDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<DeadlineOutcome<T>> {
  const controller = new AbortController();
  return new Promise<DeadlineOutcome<T>>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = (): void => {
      finish(() => resolve({ kind: 'aborted' }));
      controller.abort(outer?.reason);
    };
    const timer = setTimeout(
      () => {
        finish(() => resolve({ kind: 'timeout' }));
        controller.abort(new Error('hook timed out'));
      },
      Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS),
    );
    if (outer?.aborted) {
      onAbort();
      return;
    }
    outer?.addEventListener('abort', onAbort, { once: true });
    work(controller.signal).then(
      (value) => finish(() => resolve({ kind: 'done', value })),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** `300 ms`, `1.5s`, `5m`, `1h 30m`: how long a hook was given, for failure reasons. */
export function formatTimeout(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000 && ms % 1000 !== 0) return `${Math.round(ms / 100) / 10}s`;
  const total = Math.round(ms / 1000);
  const parts: string[] = [];
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (seconds > 0) parts.push(`${seconds}s`);
  return parts.join(' ');
}
