import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitOnceIdleOrSoon } from '../../src/cli/one-command.js';

/**
 * After a command said its result, a handle left open (a socket to a proxy that stopped answering)
 * must not keep the process, and its exit code, from CI (a hostile pass saw a result, then no exit).
 */
describe('exitOnceIdleOrSoon', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('exits with the exit code set once the grace has passed, on a timer that holds nothing open', () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const unref = vi.fn();
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const timer = real(fn, ms);
      return Object.assign(timer, {
        unref: () => {
          unref();
          return timer;
        },
      });
    }) as never);

    exitOnceIdleOrSoon(2_000);
    vi.advanceTimersByTime(1_999);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith();
    expect(unref).toHaveBeenCalled();
  });
});
