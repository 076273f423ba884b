/**
 * A health poll's record work (health-monitor.ts `onPoll`: the record's read, an operator command
 * obeyed, the heartbeat) is waited for until the next poll is due, not longer. With the record
 * store hung in TagResource, the poll's heartbeat held the hold for the whole AWS call bound
 * (31 s by default): the poll that would have seen a firing alarm came that much later, and 10% of
 * the traffic stayed on a bad version meanwhile. Now the next poll reads health on time while the
 * work carries on, and a failing verdict rolls back at once (the rollback's mark queues behind the
 * hung write and is waited for a few seconds at most: mark-wait.ts).
 *
 * What the heartbeat is for stays: its write keeps its place in the recorder's queue (it never
 * overtakes a write, and nothing overtakes it), it carries operator commands over, and once it
 * answers what it found (a takeover, a deletion, a command) is acted on at the first poll after —
 * at its own poll when it answers before the next. One work at a time: a poll whose last one
 * still hangs starts none (the heartbeat spacing is the recorder's, as before: the stale-limit
 * accounting of docs/exit-codes.md is unchanged). A hold that ends healthy waits for it however
 * long, as before: traffic moves on only once the record work answered.
 */
import type { Clock } from '../ports/clock.js';
import { settledAtOnce } from './keep-beating.js';

/** Microtask turns a work whose time came still gets (an auto-advancing test clock: waitUntilDue). */
const LAST_CHANCE_TURNS = 200;

export class PollRecordWork {
  private pending?: Promise<void>;

  constructor(private readonly clock: Clock) {}

  /** A poll's work has not answered yet. */
  get inFlight(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Starts `work` unless the last poll's is still in flight, and waits for it until `dueInMs` of
   * clock time passed (the next poll is due) or `signal` aborts: true once it ended (it throws what
   * the work throws), false once the time came first (it carries on; the next call waits again).
   * A background timer (Clock.every), which never moves a test clock by itself: on an
   * auto-advancing test clock only a sleep of the work itself (a hung call) lets the poll go on.
   */
  async waitUntilDue(work: () => Promise<void>, dueInMs: number, signal?: AbortSignal): Promise<boolean> {
    const pending = this.pending ?? this.start(work);
    let ended = false;
    const settled = pending.then(
      () => {
        ended = true;
      },
      () => {
        ended = true;
      },
    );
    // Work that needed no waiting ends here, without a timer: as before this module.
    if ((await settledAtOnce(() => ended)) || !this.clock.every || signal?.aborted) {
      if (!ended && !signal?.aborted) await settled;
      if (ended) await pending;
      return ended;
    }
    let stop: (() => void) | undefined;
    let onAbort: (() => void) | undefined;
    const due = new Promise<void>((resolve) => {
      stop = this.clock.every?.(Math.max(1, dueInMs), resolve);
      onAbort = () => resolve();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([settled, due]);
    } finally {
      stop?.();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    // An auto-advancing test clock fires the timer as soon as anything else sleeps past it (another
    // function of a release) while this work was only promises from its end: it gets those first.
    if (!ended && !signal?.aborted) await settledAtOnce(() => ended, LAST_CHANCE_TURNS);
    if (ended) await pending;
    return ended;
  }

  /** Resolves once the work in flight ended (a hold that ends healthy: traffic moves on after it). */
  async ended(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }

  private start(work: () => Promise<void>): Promise<void> {
    const pending: Promise<void> = work().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    // Awaited by the poll that waits for it; a hold that rolled back may leave it to land alone.
    pending.catch(() => undefined);
    this.pending = pending;
    return pending;
  }
}
