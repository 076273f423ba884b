/**
 * A release's rollback, function by function (the order is release-settle.ts's): what each rolls
 * back for, the one `rolling-back` mark a crash's recovery rests on, every alias back on its
 * stable version, and which records are still open after.
 */

import type { DeployResult } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { formatTarget } from '../domain/release-program.js';
import { mapBounded } from './bounded.js';
import type { ProgramOutcome } from './interpreter.js';
import { markWaitMs } from './mark-wait.js';
import { type RestoreEnd, restoreStable } from './settle-rollback-restore.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { failedOnPassing, ROLLBACK_PERSIST_MS } from './step-restore.js';

export interface SettlingMember {
  ctx: ShiftContext;
  /** Added to the member's result (a container image deploy's `image`). */
  extra?: Partial<DeployResult>;
}

export interface Rollback {
  cause: string | undefined;
  why: OutcomeCause;
}

/**
 * Every alias back on its stable version, in two passes. First each gets its fixed tries
 * (step-restore.ts), `concurrency` at once, and no persistence: a restore retried for minutes
 * held its slot, so with all writes throttled the 9th function of a release waited 5 minutes
 * for its first try, its traffic still split (found by a hostile pass). Then those that failed
 * for a reason that may pass are retried all together — their waits are sleeps, their writes go
 * through Lambda's rate limiter — for one shared persistence time.
 */
export async function restoreAll(
  members: readonly SettlingMember[],
  restoring: readonly boolean[],
  concurrency: number,
  markAfterLast: <T>(restore: Promise<T>) => Promise<T>,
  onEnd: (index: number, end: RestoreEnd) => void,
): Promise<(RestoreEnd | undefined)[]> {
  const ended = (i: number) => (end: RestoreEnd) => {
    onEnd(i, end);
    return end;
  };
  const first = await mapBounded(concurrency, members, (m, i) =>
    restoring[i]
      ? markAfterLast(
          restoreStable(m.ctx, { persistMs: 0 }).then((r) => (failedOnPassing(r) ? r : ended(i)(r))),
        )
      : Promise.resolve(undefined),
  );
  const clock = members[0]!.ctx.deps.clock;
  const until = clock.elapsedMs() + ROLLBACK_PERSIST_MS;
  return Promise.all(
    first.map((r, i) =>
      r && failedOnPassing(r)
        ? restoreStable(members[i]!.ctx, { persistMs: Math.max(0, until - clock.elapsedMs()) }).then(ended(i))
        : Promise.resolve(r),
    ),
  );
}

/**
 * The functions besides the mark whose closing write has not landed: it hangs (the close wait,
 * settle-rollback-close.ts writeClose, gave up on it) or failed. Not those taken over (the taker's
 * record) nor those whose rollback writes no close (a conflict, a deleted function).
 */
export function unclosedRecords(
  members: readonly SettlingMember[],
  restoring: readonly boolean[],
  restored: readonly (RestoreEnd | undefined)[],
  mark: number,
): string[] {
  return members
    .filter((m, i) => {
      const kind = restored[i]?.kind;
      if (i === mark || !restoring[i] || (kind !== 'restored' && kind !== 'unsafe')) return false;
      return m.ctx.recorder.lostReason() === undefined && !m.ctx.recorder.allLanded();
    })
    .map((m) => m.ctx.req.functionName);
}

/** What a function rolls back for, or undefined when it does not roll back (done, conflict, pause). */
export function rollbackOf(ctx: ShiftContext, outcome: PhaseOutcome): Rollback | undefined {
  if (ctx.recorder.lostReason() !== undefined) return undefined;
  if (outcome.kind === 'failed') return { cause: outcome.cause, why: outcome.why };
  if (outcome.kind === 'interrupted' && !(ctx.req.onInterrupt === 'leave' && ctx.trafficMoved))
    return { cause: undefined, why: causeOf('INTERRUPTED', { left: false }) };
  return undefined;
}

/**
 * Writes `rolling-back` into one record — the failing function's first — before any alias moves.
 * A function found taken over is left to its new owner and the next one is tried. Undefined when
 * no mark could be stored, `hung` when it did not land within markWaitMs (mark-wait.ts: a hung
 * record write): then each function marks its own record, as a single deploy does.
 */
export async function markRollingBack(
  members: readonly SettlingMember[],
  rollbacks: readonly (Rollback | undefined)[],
  ended: ProgramOutcome,
): Promise<{ index: number; lost: Set<number> } | 'hung' | undefined> {
  const failing = ended.target ? formatTarget(ended.target) : undefined;
  const order = members
    .map((m, i) => ({ m, i }))
    .filter(({ i }) => rollbacks[i] !== undefined)
    .sort(
      (a, b) =>
        Number(formatTarget(b.m.ctx.cursor) === failing) - Number(formatTarget(a.m.ctx.cursor) === failing),
    );
  const lost = new Set<number>();
  for (const { m, i } of order) {
    // A few seconds at most (mark-wait.ts): not landed by then, each function marks its own.
    const waitMs = markWaitMs(m.ctx.recorder.recordBehind() !== undefined);
    const end = await m.ctx.recorder.storeWithin({ phase: 'rolling-back' }, waitMs, { urgent: true });
    if (end === 'landed') return { index: i, lost };
    if (end === 'pending') return 'hung';
    if (end === 'unwritten') return undefined;
    lost.add(i);
  }
  return undefined;
}

/**
 * Every other function being restored says `rolling-back` too, so a check or `lshift status`
 * reading it mid-rollback does not see `shifting` with a fresh heartbeat — for as long as one
 * throttled restore is retried (minutes; the records are closed only after every alias). Sent
 * once the last restore has started, so no alias write waits for them; the one mark above is
 * what a crash's recovery rests on. Each lands before its function's closing write (one queue).
 */
export function markEveryRestore(
  members: readonly SettlingMember[],
  restoring: readonly boolean[],
  marked: number,
): void {
  restoring.forEach((r, i) => {
    if (r && i !== marked) members[i]!.ctx.recorder.writeBehind({ phase: 'rolling-back' });
  });
}

/** Wraps each of `count` started tasks; `then` runs once, right after the last has started. */
export function afterLastStart(count: number, then: () => void): <T>(started: Promise<T>) => Promise<T> {
  let seen = 0;
  return (started) => {
    seen++;
    if (seen === count) queueMicrotask(then);
    return started;
  };
}
