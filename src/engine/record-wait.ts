/**
 * A hold for the deployment record where no hold of the plan comes before what must wait for it
 * (health-monitor-types.ts, RecordLagWatch): a weight write after a step hook, and the deployment
 * declared promoted after its post-traffic hooks or its 100% write. The record is tried once more
 * (an unwritten one written, an unread one read, and what that read finds obeyed); when it still
 * lags, the weight it is at is held, health polled as in any hold, until it catches up — or, once
 * it has lagged for the stale limit, the deployment rolls back (RECORD_UNWRITTEN, RECORD_UNREAD).
 * Before any traffic moved there is nothing to hold: the first weight is not written (traffic-steps.ts).
 */
import type { RecordGate } from './record-lag-notice.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { abortedIn, checkOwnership } from './shift-waits.js';
import { alongsideWindow, toPhaseOutcome } from './watch-steps.js';

/** What the `done` step waits for (interpreter.ts, fleet-steps.ts). */
export const PROMOTION_GATE: RecordGate = {
  next: 'promotion',
  when: 'before declaring the deployment promoted',
  after: 'lshift goes on to declare it promoted',
};

/** What a weight write after a wait waits for (traffic-steps.ts, fleet-steps.ts). */
export function weightGate(percent: number): RecordGate {
  return { next: 'weight', when: `before writing ${percent}%`, after: `lshift writes ${percent}%` };
}

/** The hold: its end at once, past which the record is waited for (health-monitor.ts). */
const RECORD_WAIT_SECONDS = 0.001;

/** Whether the run's record lags what it must wait for (never under CodeDeploy, whose shift is its own). */
export function recordLags(ctx: ShiftContext): boolean {
  return !ctx.traffic.ownSchedule && ctx.recorder.recordLag() !== undefined;
}

/**
 * Tries a lagging record once more: an unwritten one is written, an unread one read by an
 * operator poll, whose takeover or abort ends the step here.
 */
export async function retryLaggingRecord(ctx: ShiftContext): Promise<PhaseOutcome | undefined> {
  await ctx.recorder.retryBehind();
  if (ctx.recorder.recordLag()?.kind !== 'unread') return undefined;
  await ctx.operator.poll(ctx.heartbeatMs);
  return checkOwnership(ctx) ?? abortedIn([ctx]);
}

/** Holds the weight the run is at until its record catches up (`done`), or how it ended. */
export async function holdForRecord(ctx: ShiftContext, gate: RecordGate): Promise<PhaseOutcome> {
  const watched = await ctx.monitor.watch(alongsideWindow(ctx), RECORD_WAIT_SECONDS, undefined, {
    recordGate: gate,
  });
  return watched.kind === 'healthy' ? { kind: 'done' } : toPhaseOutcome(watched);
}

/**
 * A single deploy's wait for its record before `gate` (a release's runs wait together:
 * fleet-steps.ts): undefined once it caught up (or never lagged), else how the deployment ended.
 */
export async function awaitRecordBefore(
  ctx: ShiftContext,
  gate: RecordGate,
): Promise<PhaseOutcome | undefined> {
  if (!recordLags(ctx)) return undefined;
  const ended = await retryLaggingRecord(ctx);
  if (ended) return ended;
  if (!ctx.recorder.recordLag()) return undefined;
  const held = await holdForRecord(ctx, gate);
  return held.kind === 'done' ? undefined : held;
}
