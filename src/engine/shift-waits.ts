/**
 * A run that waits without polling health (a hook, provisioned concurrency) keeps records alive for
 * itself and, in a release, for the functions waiting with it; and notices when another lshift
 * took any of those records over, which ends the wait (a `conflict` naming that function) — or,
 * in a release, when a heartbeat found one of those functions deleted, which ends it too (a
 * `failed` naming that function, as a hold's poll that finds it does: shift-context.ts).
 */
import { describeSender } from '../domain/operator-command.js';
import { causeOf } from '../domain/outcome.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { describeError } from './emit.js';
import { type HookStop, TAKEN_OVER_REASON } from './hook-phase.js';
import {
  DEFAULT_PC_WAIT,
  type GoneRecord,
  type LostRecord,
  type PcWaitKeepAlive,
} from './provisioned-concurrency.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';

/**
 * The runs that wait while this one waits without polling health: itself, and in a release every
 * other function (`waitAsOneRelease`). Their records get their heartbeats from this wait, and
 * their takeover ends it.
 */
export function waitingWith(ctx: ShiftContext): readonly ShiftContext[] {
  return [ctx, ...ctx.waitMates.filter((m) => m !== ctx)];
}

/** The heartbeat of a wait that does not poll health: this run's record and its release mates'. */
export async function beatWhileWaiting(ctx: ShiftContext): Promise<void> {
  await Promise.all(waitingWith(ctx).map((m) => m.recorder.heartbeat(m.heartbeatMs)));
}

/**
 * The heartbeat of a hook: as `beatWhileWaiting`, but each run's beat is its operator's poll
 * reading an `abort` only (operator-control.ts) — a run of a release reads its record only when
 * its heartbeat is due, except the release's command reader — so an abort sent while a hook runs
 * is obeyed within one poll interval and ends the hook (`abortedIn`).
 */
export async function pollWhileHookRuns(ctx: ShiftContext): Promise<void> {
  await beatReadingAbort(waitingWith(ctx));
  await checkLateLandings(waitingWith(ctx));
}

/**
 * A hook's wait reads no alias (a hold does): after its beat, a run whose record write landed
 * later than a claimant's settle after its read reads its alias, which says whether that write
 * went over a takeover (DeploymentRecorder.checkLateLanding) — found, the hook ends at once, as
 * for a takeover its beat saw. While a hook runs no run of the deployment writes its alias, so a
 * RevisionId not as the run last saw it is someone else's (not so in a wait for provisioned
 * concurrency after a weight write: a release mate's own write may be landing). Not under
 * CodeDeploy, which moves the alias itself.
 */
async function checkLateLandings(runs: readonly ShiftContext[]): Promise<void> {
  const own = runs.filter((m) => m.traffic.ownSchedule !== true);
  await Promise.all(own.map((m) => m.recorder.checkLateLanding()));
}

/**
 * Each of `runs` beats as its operator's poll, reading an `abort` only (`abortedIn` acts on it);
 * a record read begun less than `notWithinMs` ago is not repeated (operator-control.ts).
 */
export async function beatReadingAbort(runs: readonly ShiftContext[], notWithinMs?: number): Promise<void> {
  const opts = notWithinMs === undefined ? { abortOnly: true } : { abortOnly: true, notWithinMs };
  await Promise.all(runs.map((m) => m.recorder.unlessStopped(m.operator.poll(m.heartbeatMs, opts))));
}

/**
 * The heartbeat of the wait for provisioned concurrency after a weight write (traffic-steps.ts):
 * as a hook's (`pollWhileHookRuns`), each run's beat reads an `abort` — but that wait beats at
 * every read of the allocation (5 s), and in a release every function's wait beats for every
 * other: a record read begun less than `notWithinMs` ago is not repeated (operator-control.ts).
 */
export async function pollWhileWaiting(ctx: ShiftContext, notWithinMs: number): Promise<void> {
  await beatReadingAbort(waitingWith(ctx), notWithinMs);
}

/** The first of `runs` whose operator obeyed an abort not yet acted on. */
function firstAborted(runs: readonly ShiftContext[]): ShiftContext | undefined {
  return runs.find((m) => m.operator.pendingAbort() !== undefined);
}

/**
 * The `failed` (OPERATOR_ABORTED) of an abort obeyed while a hook ran — taken, so it is acted on
 * once — or undefined when none was. In a release it names the function that read it.
 */
export function abortedIn(runs: readonly ShiftContext[]): PhaseOutcome | undefined {
  const run = firstAborted(runs);
  const order = run?.operator.take();
  if (!run || order?.kind !== 'abort') return undefined;
  // As a hold's abort says it (watch-steps.ts toPhaseOutcome).
  const data = { by: order.by, ...(order.reason === undefined ? {} : { reason: order.reason }) };
  const cause = `aborted by ${describeSender(order.by)}${order.reason ? `: ${order.reason}` : ''}`;
  const failed: PhaseOutcome = { kind: 'failed', cause, why: causeOf('OPERATOR_ABORTED', data) };
  return runs.length > 1 && run.inRelease ? { ...failed, failedIn: targetOf(run) } : failed;
}

/** The `hook.completed` reason of a hook ended by an operator's abort. */
export function abortedHookReason(by: string): string {
  return `ended: aborted by the operator (${describeSender(by)})`;
}

/**
 * The record kept moving through a wait that polls (provisioned-concurrency.ts): a heartbeat at
 * most every `heartbeatMs`, as during a hold (its release mates' too), and the loss of the
 * record — or of any mate's: the release waiting for it can no longer finish — which ends the wait.
 */
export function keepAliveOf(ctx: ShiftContext): PcWaitKeepAlive {
  return {
    beat: () => beatWhileWaiting(ctx),
    lost: () => lostRecordOf(firstTakenOver(waitingWith(ctx))),
    gone: () => goneRecordOf(firstGone(waitingWith(ctx))),
  };
}

/**
 * `keepAliveOf`, for a wait with the alias split or at its target (after a weight write, or at a
 * resume): its beats also read an operator's `abort` (`pollWhileWaiting`), and one obeyed ends the
 * wait (`abortedIn` says how the step ends). The wait beats at each read of the allocation (every
 * 5 s); a record read is not repeated within the poll interval less half a beat, so the record is
 * read about once a poll interval, as a hold reads it, and never a whole beat later than that.
 */
export function keepAliveReadingAbort(ctx: ShiftContext): PcWaitKeepAlive {
  const notWithinMs = ctx.req.pollIntervalSeconds * 1000 - DEFAULT_PC_WAIT.pollMs / 2;
  return {
    ...keepAliveOf(ctx),
    beat: () => pollWhileWaiting(ctx, notWithinMs),
    aborted: () => firstAborted(waitingWith(ctx)) !== undefined,
  };
}

/**
 * A wait for provisioned concurrency that reads an operator's abort (`keepAliveReadingAbort`), and
 * the outcome of one obeyed — during the wait, or by its last beat as the allocation got READY
 * (answered `done`, it must be acted on before anything moves): the `--warm` wait before any
 * traffic (warm.ts) and a resumed deployment's wait at its target (resume.ts).
 */
export function abortableWait(ctx: ShiftContext): {
  keepAlive: PcWaitKeepAlive;
  aborted: () => PhaseOutcome | undefined;
} {
  return { keepAlive: keepAliveReadingAbort(ctx), aborted: () => abortedIn(waitingWith(ctx)) };
}

function goneRecordOf(run: ShiftContext | undefined): GoneRecord | undefined {
  const found = run?.recorder.goneDuringShift();
  return run && found ? { deleted: targetOf(run), ...found } : undefined;
}

/**
 * The first of `runs`, all functions of a release, whose function a heartbeat or read of its
 * record found deleted. A single deploy's wait goes on: its alias went with its function, nothing
 * of it is left split, and its next weight write (or its end) meets the deletion.
 */
export function firstGone(runs: readonly ShiftContext[]): ShiftContext | undefined {
  return runs.find((m) => m.inRelease && m.recorder.goneDuringShift() !== undefined);
}

/** How a bug or an unexpected port failure ends a shift or a release: failed, so it rolls back. */
export function internalFailure(error: unknown): Extract<PhaseOutcome, { kind: 'failed' }> {
  const detail = describeError(error);
  return { kind: 'failed', cause: `internal error: ${detail}`, why: causeOf('INTERNAL', { error: detail }) };
}

/** The `failed` of a function of a release found deleted (`deleted` names it: fleet-steps.ts). */
export function deletedFailure(gone: GoneRecord): PhaseOutcome {
  const why = causeOf('FUNCTION_DELETED', { foundBy: gone.foundBy, functionName: gone.functionName });
  return { kind: 'failed', cause: gone.reason, why, failedIn: gone.deleted };
}

/**
 * How a wait of `runs` must end, once one says: the first taken over (a `conflict`), else the
 * first found deleted (a `failed`); undefined while none is.
 */
export function endedIn(runs: readonly ShiftContext[]): PhaseOutcome | undefined {
  const gone = goneRecordOf(firstGone(runs));
  return takenOverIn(runs) ?? (gone && deletedFailure(gone));
}

/** Why a hook of `runs` is ended (hook-phase.ts): as `endedIn` decides, with its words. */
export function hookStopOf(runs: readonly ShiftContext[]): HookStop | undefined {
  const lost = firstTakenOver(runs)?.recorder.lostReason();
  if (lost !== undefined) return { why: lost, said: TAKEN_OVER_REASON };
  const gone = goneRecordOf(firstGone(runs));
  if (gone) return { why: gone.reason, said: `ended: function ${gone.deleted.functionName} was deleted` };
  const abort = firstAborted(runs)?.operator.pendingAbort();
  return abort && { why: `aborted by ${describeSender(abort.by)}`, said: abortedHookReason(abort.by) };
}

function lostRecordOf(run: ShiftContext | undefined): LostRecord | undefined {
  const reason = run?.recorder.lostReason();
  return run && reason !== undefined ? { taken: targetOf(run), reason } : undefined;
}

/** A `conflict` outcome once another lshift took the deployment record over; it names the function. */
export function checkOwnership(ctx: ShiftContext): PhaseOutcome | undefined {
  const lost = ctx.recorder.lostReason();
  return lost === undefined ? undefined : takenOverConflict(lost, targetOf(ctx));
}

/** The `conflict` of `taken`, whose record another lshift took over (`reason`: its lostReason). */
export function takenOverConflict(reason: string, taken: ReleaseTarget): PhaseOutcome {
  return { kind: 'conflict', cause: reason, why: causeOf('TAKEN_OVER', {}), takenOver: taken };
}

function targetOf(ctx: ShiftContext): ReleaseTarget {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}

/**
 * The first of `runs` whose record another lshift took over, as its own heartbeat or write
 * found it (a hook of the whole release beats for every function: beatWhileWaiting).
 */
export function firstTakenOver(runs: readonly ShiftContext[]): ShiftContext | undefined {
  return runs.find((m) => m.recorder.lostReason() !== undefined);
}

/**
 * The `conflict` of the first of `runs` taken over (its cause is that run's lostReason, its
 * `takenOver` that run's function: the one fleet-steps.ts names), or undefined while none is.
 */
export function takenOverIn(runs: readonly ShiftContext[]): PhaseOutcome | undefined {
  const lost = firstTakenOver(runs);
  return lost && checkOwnership(lost);
}
