/**
 * A run that waits without polling health (a hook, provisioned concurrency) keeps records alive for
 * itself and, in a release, for the functions waiting with it; and notices when another lshift
 * took any of those records over, which ends the wait (a `conflict` naming that function).
 */
import { causeOf } from '../domain/outcome.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { LostRecord, PcWaitKeepAlive } from './provisioned-concurrency.js';
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
 * The record kept moving through a wait that polls (provisioned-concurrency.ts): a heartbeat at
 * most every `heartbeatMs`, as during a hold (its release mates' too), and the loss of the
 * record — or of any mate's: the release waiting for it can no longer finish — which ends the wait.
 */
export function keepAliveOf(ctx: ShiftContext): PcWaitKeepAlive {
  return {
    beat: () => beatWhileWaiting(ctx),
    lost: () => lostRecordOf(firstTakenOver(waitingWith(ctx))),
  };
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
