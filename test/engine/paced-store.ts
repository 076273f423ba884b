/**
 * Stores whose calls take clock time, for one actor of a race while the others' calls still
 * answer at once: a process's Lambda rate limit (15 requests a second: 67 ms each, one after
 * the other), or a slow endpoint (each call taking as long, calls overlapping: the SDK's
 * retries of a throttled request, a distant region). A call takes effect when its time is up.
 */
import type { StateStore } from '../../src/ports/state-store.js';
import type { World } from './world.js';

/** The world's store, each call taking `ms` of clock time, one call after the other. */
export function pacedStore(w: World, ms: number): StateStore {
  let turn: Promise<unknown> = Promise.resolve();
  return delayed(w, (call) => {
    const mine = turn.then(async () => {
      await w.clock.sleep(ms);
      return call();
    });
    turn = mine.catch(() => undefined);
    return mine;
  });
}

/** The world's store, each call taking `ms` of clock time, calls overlapping. */
export function slowStore(w: World, ms: number): StateStore {
  return delayed(w, async (call) => {
    await w.clock.sleep(ms);
    return call();
  });
}

function delayed(w: World, run: <R>(call: () => Promise<R>) => Promise<R>): StateStore {
  return {
    read: (fn, alias) => run(() => w.store.read(fn, alias)),
    write: (fn, alias, record) => run(() => w.store.write(fn, alias, record)),
  };
}
