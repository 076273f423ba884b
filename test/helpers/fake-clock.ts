/**
 * A Clock for tests. Two modes:
 * - `auto` (default): `sleep(ms)` moves virtual time forward at once and resolves after a
 *   microtask, so a 30-minute shift runs in milliseconds. Actions scheduled with `at`/`after`
 *   run when a sleep crosses their time; if one aborts the sleeper's signal, that sleep rejects
 *   at the action's time (this is how tests press Ctrl-C "in the middle of a hold").
 * - manual (`{ auto: false }`): sleeps stay pending until `advance(ms)` moves time past them.
 * In both modes an aborted signal rejects a pending sleep with the signal's reason.
 * Virtual time is the clock's monotonic timeline (`elapsedMs`); `now()` reads it plus a wall
 * offset that `stepWall(ms)` moves alone, as NTP or `date -s` steps a real wall clock. Sleeps,
 * `at`, `after` and `advance` run on virtual time (`at` takes the epoch ms virtual time would
 * read as wall time with no step).
 */
import type { Clock } from '../../src/ports/clock.js';

interface PendingSleep {
  due: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface ScheduledAction {
  at: number;
  action: () => void;
}

export interface FakeClockOptions {
  /** Epoch ms the clock starts at (default 2026-01-01T00:00:00Z). */
  start?: number;
  /** Auto-advancing mode (default true). */
  auto?: boolean;
  /** Guard against runaway loops in auto mode (default 1,000,000 sleeps). */
  maxSleeps?: number;
}

export const DEFAULT_START = Date.UTC(2026, 0, 1);

export class FakeClock implements Clock {
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];
  private current: number;
  /** How far the wall clock was stepped (`stepWall`): `now()` is virtual time plus this. */
  private wallOffset = 0;
  private readonly auto: boolean;
  private readonly maxSleeps: number;
  private pending: PendingSleep[] = [];
  private scheduled: ScheduledAction[] = [];
  /** A sandbox's `--speed` this clock stands for (Clock.speed): virtual ms per real ms. */
  speed?: number;

  constructor(opts: FakeClockOptions = {}) {
    this.current = opts.start ?? DEFAULT_START;
    this.auto = opts.auto ?? true;
    this.maxSleeps = opts.maxSleeps ?? 1_000_000;
  }

  now(): number {
    return this.current + this.wallOffset;
  }

  elapsedMs(): number {
    return this.current;
  }

  /** Steps the wall clock (`now()`) by `ms` (negative: back) without moving virtual time. */
  stepWall(ms: number): void {
    this.wallOffset += ms;
  }

  /** Milliseconds of virtual time since the clock started (wall steps do not count). */
  elapsed(start = DEFAULT_START): number {
    return this.current - start;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.sleeps.length > this.maxSleeps) {
      return Promise.reject(new Error(`FakeClock: more than ${this.maxSleeps} sleeps (runaway loop?)`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const due = this.current + Math.max(0, ms);
    return this.auto ? this.sleepAuto(due, signal) : this.sleepManual(due, signal);
  }

  /** Runs `action` when virtual time reaches `at` (epoch ms). */
  at(at: number, action: () => void): void {
    this.scheduled.push({ at, action });
    this.scheduled.sort((a, b) => a.at - b.at);
  }

  /**
   * Calls `tick` every `ms` of virtual time until stopped. Like `at`, it never moves time itself:
   * it fires when a sleep or `advance` crosses its time.
   */
  every(ms: number, tick: () => void): () => void {
    let stopped = false;
    const arm = () =>
      this.after(ms, () => {
        if (stopped) return;
        tick();
        arm();
      });
    arm();
    return () => {
      stopped = true;
    };
  }

  /** Runs `action` `ms` from now. */
  after(ms: number, action: () => void): void {
    this.at(this.current + ms, action);
  }

  /** Manual mode: moves time forward, resolving due sleeps in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const nextSleep = this.pending.reduce<PendingSleep | undefined>(
        (min, p) => (min === undefined || p.due < min.due ? p : min),
        undefined,
      );
      const nextAction = this.scheduled[0];
      const sleepDue = nextSleep && nextSleep.due <= target ? nextSleep.due : Number.POSITIVE_INFINITY;
      const actionDue = nextAction && nextAction.at <= target ? nextAction.at : Number.POSITIVE_INFINITY;
      if (sleepDue === Number.POSITIVE_INFINITY && actionDue === Number.POSITIVE_INFINITY) break;
      if (actionDue <= sleepDue && nextAction) {
        this.scheduled.shift();
        this.current = Math.max(this.current, nextAction.at);
        nextAction.action();
      } else if (nextSleep) {
        this.pending = this.pending.filter((p) => p !== nextSleep);
        this.current = Math.max(this.current, nextSleep.due);
        if (nextSleep.onAbort) nextSleep.signal?.removeEventListener('abort', nextSleep.onAbort);
        nextSleep.resolve();
      }
      await flushMacrotask();
    }
    this.current = Math.max(this.current, target);
    await flushMacrotask();
  }

  /** Number of sleeps not yet resolved (manual mode). */
  get pendingSleeps(): number {
    return this.pending.length;
  }

  private async sleepAuto(due: number, signal?: AbortSignal): Promise<void> {
    while (this.scheduled[0] && this.scheduled[0].at <= due) {
      const next = this.scheduled.shift()!;
      this.current = Math.max(this.current, next.at);
      next.action();
      if (signal?.aborted) {
        await Promise.resolve();
        throw signal.reason;
      }
    }
    this.current = Math.max(this.current, due);
    await Promise.resolve();
  }

  private sleepManual(due: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: PendingSleep = { due, resolve, reject, signal };
      if (signal) {
        entry.onAbort = () => {
          this.pending = this.pending.filter((p) => p !== entry);
          reject(signal.reason);
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.pending.push(entry);
    });
  }
}

function flushMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
