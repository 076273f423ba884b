/**
 * `lshift status --watch`: show the alias, then again every interval until the deployment in
 * progress ends — or until nobody reads any more. `status --watch | head -2` closes the pipe after
 * two lines; every later write fails (EPIPE), so polling on would only call AWS for nothing until
 * the deployment ends. The watch is read-only, so, unlike a deploy (which must finish or roll back
 * whatever happens to its output), it stops at the first write that failed: exit 0.
 */
import type { Clock } from '../ports/clock.js';

export interface StatusWatch<T> {
  clock: Clock;
  intervalMs: number;
  read(): Promise<T>;
  /** Prints one view of the status; `at` is the time of a refresh (absent: the first view). */
  show(view: T, at?: number): void;
  /** True while there is more to watch. */
  goesOn(view: T): boolean;
  /** True once a write to the output failed: the reader is gone. */
  outputGone(): boolean;
}

/** Returns the last view read. */
export async function watchStatus<T>(watch: StatusWatch<T>): Promise<T> {
  let current = await watch.read();
  watch.show(current);
  while (watch.goesOn(current) && !watch.outputGone()) {
    await watch.clock.sleep(watch.intervalMs);
    current = await watch.read();
    watch.show(current, watch.clock.now());
  }
  return current;
}
