/**
 * How a release ends for each of its functions (issue 13): all promoted, or — once the one
 * verdict failed — every function back on its stable version, in the order that puts traffic
 * back soonest without weakening crash safety:
 *
 * 1. every function's heartbeats stop (a hold waiting for one in Lambda's request queue stops
 *    waiting; one not yet sent is dropped);
 * 2. ONE record, the failing function's, says `rolling-back` (an urgent request: ahead of
 *    everything queued in Lambda's 15 requests/s). From then on `deploy --resume` of the release
 *    and `lshift check` roll the whole release back, whatever the other records still say
 *    (release-resume.ts, check-release.ts);
 * 3. every alias is restored (UpdateAlias, RevisionId-guarded, at most `concurrency` at once;
 *    alias writes go before queued record writes: src/aws/rate-limit.ts);
 * 4. then each function's record is closed (`rolled-back`, or `failed` if its restore failed),
 *    the marked one last, so a crash here still leaves the mark — and not at all while another's
 *    close has not landed (a hung write given up on: the run ends, a check finishes it); each function's rollback hooks
 *    start once its own record is closed, all in one round (the mark's do not wait for the
 *    others' hooks: after a signal, two rounds of 4 s met CI's SIGTERM).
 *
 * Each function's "all traffic is on version …" (or why not) is told as its restore ends.
 *
 * A single deploy writes `rolling-back` before its one alias write; done per function, a
 * release of 100 would spend 200 requests (an ownership read and a write each, 13 s at 15/s)
 * before its last alias. If the mark cannot be stored, every function falls back to that order.
 *
 * Every function recorded promoted, the release reads its promotion back once
 * (release-promotion-settle.ts): a function found taken over or moved then ends the release as
 * it would have at the last level, and the functions already recorded promoted roll back for it.
 */
import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { formatTarget } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import { BEAT_BESIDE_CALL_MS } from './beating-driver.js';
import { createLimit, mapBounded } from './bounded.js';
import type { ProgramOutcome } from './interpreter.js';
import { runBeside } from './keep-beating.js';
import { MARK_WAIT_BEHIND_MS } from './mark-wait.js';
import { createInterruptedHooksNotice } from './release-hooks-notice.js';
import { readReleasePromotionBack, type SettlePlan } from './release-promotion-settle.js';
import type { SettlingMember } from './release-restore.js';
import {
  afterLastStart,
  markEveryRestore,
  markRollingBack,
  restoreAll,
  rollbackOf,
  unclosedRecords,
} from './release-restore.js';
import { followClaims, withStoppedFor, withTakers } from './release-takers.js';
import { outcomeFor } from './release-verdict.js';
import { settleDeployment } from './settle.js';
import { stopTakenOver } from './settle-result.js';
import {
  announcedAfterRead,
  announceRollback,
  runRollbackHooks,
  tellUnwrittenEnd,
} from './settle-rollback.js';
import { closeRollback, rollbackCause } from './settle-rollback-close.js';
import { type RestoreEnd, tellRestoreEnd } from './settle-rollback-restore.js';
import { closeUnheldStep, unheldStepResult } from './step-result.js';

/** The release's own events (no function named) and its clock. */
export interface ReleaseVoice {
  clock: Clock;
  events: EventSink;
}

/**
 * Every function's result, and how the release ended: as its program did, or — every function
 * recorded promoted — for the function its promotion's read-back found taken over or moved.
 */
export async function settleRelease(
  members: readonly SettlingMember[],
  ended: ProgramOutcome,
  concurrency: number,
  /** What the release says itself, naming no function (releaseEvents). */
  release: ReleaseVoice,
  /**
   * A resumed release's functions promoted before the crash (release-resume-promoted.ts): their
   * results stand when the program is done, and are read back with the others.
   */
  promotedBefore: readonly (DeployResult | undefined)[] = [],
): Promise<{ functions: DeployResult[]; ended: ProgramOutcome }> {
  const first =
    ended.kind === 'done' && promotedBefore.some(Boolean)
      ? { outcomes: members.map((m) => outcomeFor(m.ctx, ended)), kept: [...promotedBefore] }
      : undefined;
  let settled = await settleMembers(members, ended, concurrency, release, first);
  let stoppedAt = ended;
  if (ended.kind === 'done') {
    // Every function recorded promoted: read back once a claim written over would be back.
    const back = await readReleasePromotionBack(members, settled.results, ended, concurrency);
    if (back.kind === 'promoted') settled = { results: back.results, after: [] };
    else {
      stoppedAt = back.ended;
      settled = await settleMembers(members, back.ended, concurrency, release, back.plan);
    }
  }
  // A function taken over by a rollback still under way is followed, once every other one is
  // settled, then says who holds it (release-takers.ts).
  const followed = await followClaims(members, settled.results, settled.after);
  const taken = stoppedAt.kind === 'conflict' ? stoppedAt.target : undefined;
  const functions = withStoppedFor(await withTakers(members, followed, concurrency), taken);
  return { functions, ended: stoppedAt };
}

interface Settled {
  results: DeployResult[];
  /** What the release was rolling each function back for (undefined: it was not). */
  after: (OutcomeCause | undefined)[];
}

async function settleMembers(
  members: readonly SettlingMember[],
  ended: ProgramOutcome,
  concurrency: number,
  release: ReleaseVoice,
  plan: SettlePlan = { outcomes: members.map((m) => outcomeFor(m.ctx, ended)), kept: [] },
): Promise<Settled> {
  closeUnheldSteps(members, ended);
  const { outcomes, kept } = plan;
  const rollbacks = members.map((m, i) => (kept[i] ? undefined : rollbackOf(m.ctx, outcomes[i]!)));
  // The release rolls its functions back: one it does not (a person split its alias) is no pause.
  const releaseRollsBack = rollbacks.some((r) => r !== undefined);
  const settleOne = (m: SettlingMember, i: number, opts?: { markWaitMs: number }) =>
    kept[i] ? Promise.resolve(kept[i]) : settleDeployment(m.ctx, outcomes[i]!, { ...opts, releaseRollsBack });
  const settleEach = async (opts?: { markWaitMs: number }) => ({
    results: withExtras(members, await mapBounded(concurrency, members, (m, i) => settleOne(m, i, opts))),
    after: [],
  });
  if (rollbacks.every((r) => r === undefined)) return settleEach();
  for (const m of members) m.ctx.recorder.stopHeartbeats();
  const marked = await markRollingBack(members, rollbacks, ended);
  // Beats go on once the mark is stored: a rollback retried for minutes stays live to a check.
  rollbacks.forEach((r, i) => {
    if (r && typeof marked === 'object' && !marked.lost.has(i)) members[i]!.ctx.recorder.resumeHeartbeats();
  });
  // The release's mark hung: each function's own mark queues behind that store too, and is
  // waited for as one whose record write failed (1 s, not 5 s: release-mark-hang-waits.test.ts).
  if (marked === 'hung') return settleEach({ markWaitMs: MARK_WAIT_BEHIND_MS });
  if (marked === undefined) return settleEach();
  // One whose restore is only a read is announced once that read has ended (tellUnwrittenEnd).
  rollbacks.forEach((r, i) => {
    const ctx = members[i]!.ctx;
    if (r && !marked.lost.has(i) && !announcedAfterRead(ctx)) announceRollback(ctx, r.cause);
  });
  const restoring = rollbacks.map((r, i) => r !== undefined && !marked.lost.has(i));
  const markAfterLast = afterLastStart(restoring.filter(Boolean).length, () =>
    markEveryRestore(members, restoring, marked.index),
  );
  const told = (i: number, end: RestoreEnd) => {
    const ctx = members[i]!.ctx;
    if (announcedAfterRead(ctx)) tellUnwrittenEnd(ctx, end, rollbacks[i]!.cause);
    else tellRestoreEnd(ctx, end);
  };
  const restored = await restoreAll(members, restoring, concurrency, markAfterLast, told);
  // Rollback hooks (a page, a ticket: minutes) hold no closing slot and wait for no other
  // function's. After a signal each is cut at 4 s and they all overlap; else `concurrency` at once.
  const hookSlot = createLimit(concurrency);
  const sayInterrupted = createInterruptedHooksNotice(release);
  const hooksRunning: Promise<void>[] = [];
  const afterHooks: (DeployResult | undefined)[] = [];
  const close = async (m: SettlingMember, i: number, unclosed?: string[]): Promise<DeployResult> => {
    const r = rollbacks[i];
    // Taken over before its alias moved: rolled back by the taker, or theirs (a conflict).
    if (marked.lost.has(i)) return stopTakenOver(m.ctx, rollbackCause(r!.cause, r!.why));
    if (!r) return settleOne(m, i);
    const end = restored[i] as RestoreEnd;
    const opts = {
      checked: i === marked.index,
      told: end.kind !== 'gone',
      ...(unclosed ? { unclosed } : {}),
    };
    const closed = await closeRollback(m.ctx, end, r.cause, r.why, opts);
    if (closed.hooksDue) {
      const run = () => runRollbackHooks(m.ctx, closed.result, r.cause, () => sayInterrupted(m.ctx));
      const hooked = r.cause === undefined ? run() : hookSlot(run);
      hooksRunning.push(
        hooked.then((withHooks) => {
          afterHooks[i] = withHooks;
        }),
      );
    }
    return closed.result;
  };
  // The mark is closed last: until every other record is, it still says the release rolls back.
  // It beats meanwhile (a closing write throttled is retried), else it read STALE, "the rollback
  // … has stopped", to `status` and to a check (found by a hostile pass, with the runner alive).
  const mark = members[marked.index]!.ctx;
  const results = await runBeside(
    mark.deps.clock,
    () =>
      mapBounded(concurrency, members, (m, i) =>
        i === marked.index ? Promise.resolve(undefined) : close(m, i),
      ),
    () => mark.recorder.heartbeat(mark.heartbeatMs),
    BEAT_BESIDE_CALL_MS,
  );
  results[marked.index] = await close(
    members[marked.index]!,
    marked.index,
    unclosedRecords(members, restoring, restored, marked.index),
  );
  await Promise.all(hooksRunning);
  afterHooks.forEach((r, i) => {
    if (r) results[i] = r;
  });
  const after = rollbacks.map((r) => (r ? rollbackCause(r.cause, r.why) : undefined));
  return { results: withExtras(members, results), after };
}

/**
 * Each function's step whose hold never began ends as the release did, for it: its own failure
 * (or a hook of the whole release) `failed`, another function's `stopped`, a signal `interrupted`.
 * Before any rollback: its `endedAt` is when the release stopped, not when its restore ran.
 */
function closeUnheldSteps(members: readonly SettlingMember[], ended: ProgramOutcome): void {
  if (ended.kind === 'unsafe' || ended.kind === 'gone') return;
  for (const { ctx } of members) {
    const own = ended.target === undefined || formatTarget(ended.target) === formatTarget(ctx.cursor);
    const result = unheldStepResult(ended.kind, own, ctx.req.signal?.aborted === true);
    closeUnheldStep(ctx.steps, result, ctx.deps.clock.now());
  }
}

function withExtras(
  members: readonly SettlingMember[],
  results: (DeployResult | undefined)[],
): DeployResult[] {
  return results.map((r, i) => ({ ...r!, ...members[i]!.extra }));
}
