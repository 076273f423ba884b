/**
 * The steps that watch health without moving traffic: bake (watch at 100%), settle (hold the
 * weight until CloudWatch has the last minutes) and, in a release, a function watched while
 * another one holds. Also the watch windows and outcome mapping the hold of a weight step
 * (traffic-steps.ts) shares with them.
 */

import { judgedHealthy } from '../domain/analysis/plan-check.js';
import { describeSender } from '../domain/operator-command.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { emitEvent } from './emit.js';
import type { WatchOutcome, WatchWindow } from './health-monitor-types.js';
import { awaitMetricsSettled } from './metrics-settle.js';
import type { RecordGate } from './record-lag-notice.js';
import type { RecordLag } from './recorder-reads.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { checkOwnership } from './shift-waits.js';

/**
 * What the end of a bake (or of the settle wait after it) lets happen: the deployment declared
 * promoted. It does not end while the record lags (health-monitor-types.ts, RecordLagWatch): before,
 * an operator's abort sent during a bake whose ListTags failed went unseen and the deploy said
 * promoted, and one whose TagResource failed said promoted over a record others took for abandoned.
 */
const BAKE_GATE: RecordGate = { next: 'promotion', when: 'as the bake was to end', after: 'the bake ends' };

/**
 * Watches at 100% for `seconds`; a failure here rolls back like any other. When a settle step
 * follows, the bake completes after it (`bake.completed` is emitted there); that wait, when it
 * holds, waits for the record at its end too.
 */
export async function runBake(
  ctx: ShiftContext,
  seconds: number,
  settleFollows = false,
): Promise<PhaseOutcome> {
  if (seconds <= 0) return { kind: 'done' };
  const { deps, cursor } = ctx;
  ctx.position = { kind: 'bake', percent: cursor.percent };
  if (!(await ctx.recorder.write({ phase: 'baking' }))) return checkOwnership(ctx) ?? { kind: 'done' };
  emitEvent(deps, { type: 'bake.started', seconds });
  const startedAt = deps.clock.elapsedMs();
  const watched = await ctx.monitor.watch(bakeWindow(ctx), seconds, undefined, { recordGate: BAKE_GATE });
  if (watched.kind !== 'healthy') return toPhaseOutcome(watched);
  if (watched.early === 'skipped') {
    // `lshift promote`: it watched less than asked, which "completed" alone would hide.
    const afterSeconds = Math.round((deps.clock.elapsedMs() - startedAt) / 1000);
    ctx.bakeEndedEarly = { afterSeconds, plannedSeconds: seconds };
  }
  if (!settleFollows) emitBakeCompleted(ctx);
  return { kind: 'done' };
}

function emitBakeCompleted(ctx: ShiftContext): void {
  const early = ctx.bakeEndedEarly;
  emitEvent(ctx.deps, {
    type: 'bake.completed',
    ...(early ? { endedEarly: { ...early } } : {}),
    ...(judgedHealthy(ctx.monitor.latestVerdicts()) ? {} : { unjudged: true as const }),
  });
}

/** Longer than any hold: a watch alongside another's step ends with that step, not on its own. */
export const ALONGSIDE_LIMIT_SECONDS = 7 * 24 * 3600;

/**
 * A function of a release watched while another one holds (fleet-steps.ts: a `--stagger` walk,
 * or a settle that ended for this function first): one verdict for the release, so a function
 * whose alarms or canary analysis fail meanwhile rolls every function back — and its polls keep
 * its record's heartbeat. At 100% it is watched as in a bake (its version against the minutes
 * before the release); at a split weight, as in its last step; not moved yet, by its alarms only.
 */
export async function watchAlongside(
  ctx: ShiftContext,
  until: AbortSignal,
  gridFrom: number | undefined,
): Promise<PhaseOutcome> {
  const moved = ctx.cursor.percent > 0;
  const window = alongsideWindow(ctx);
  const watched = await ctx.monitor.watch(window, ALONGSIDE_LIMIT_SECONDS, undefined, {
    ...(gridFrom === undefined ? {} : { gridFrom }),
    alongside: { until, alarmsOnly: !moved },
  });
  return watched.kind === 'healthy' ? { kind: 'done' } : toPhaseOutcome(watched);
}

/** What a run's watch without a hold of its own reads: its last step's window, the bake's at 100%. */
export function alongsideWindow(ctx: ShiftContext): WatchWindow {
  if (ctx.cursor.percent >= 100) return bakeWindow(ctx);
  const last = ctx.steps.at(-1);
  if (ctx.cursor.percent > 0 && last) return watchWindow(ctx, 'shift', last.index, last.startedAt);
  return watchWindow(ctx, 'shift', ctx.req.plan.steps[0]?.index ?? 0, ctx.deps.clock.now());
}

function bakeWindow(ctx: ShiftContext): WatchWindow {
  const last = ctx.steps.at(-1);
  const index = last?.index ?? ctx.req.plan.steps.at(-1)?.index ?? 0;
  return watchWindow(ctx, 'bake', index, last?.startedAt ?? ctx.deps.clock.now());
}

/**
 * The settle step (src/engine/metrics-settle.ts): hold the weight until CloudWatch has the last
 * step's minutes, at most the plan's settle. Before the promote it watches the step before 100%
 * (`lastPlanStep`); at the end of a bake it watches the bake, and then the bake is complete.
 */
export async function runSettle(
  ctx: ShiftContext,
  before: 'promote' | 'done',
  lastPlanStep: number,
  extraMinutes = 0,
): Promise<PhaseOutcome> {
  const baked = before === 'done' && (ctx.req.bakeSeconds ?? 0) > 0;
  // A rollback meanwhile said only "at step 9 (90%)", whose hold had ended.
  if (ctx.position.kind === 'step') ctx.position = { ...ctx.position, during: 'settle' };
  const window = baked
    ? bakeWindow(ctx)
    : watchWindow(ctx, 'shift', lastPlanStep, ctx.steps.at(-1)?.startedAt ?? ctx.deps.clock.now());
  const gate: RecordGate | undefined =
    before === 'promote' ? { next: 'weight' } : baked ? BAKE_GATE : undefined;
  const settled = await awaitMetricsSettled(ctx, window, extraMinutes, gate);
  if (settled.kind !== 'healthy') return toPhaseOutcome(settled);
  if (baked) emitBakeCompleted(ctx);
  return { kind: 'done' };
}

export function watchWindow(
  ctx: ShiftContext,
  phase: 'shift' | 'bake',
  stepIndex: number,
  stepStartedAt: number,
): WatchWindow {
  const { req, cursor } = ctx;
  return {
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: cursor.stableVersion,
    targetVersion: cursor.targetVersion,
    phase,
    stepIndex,
    percent: cursor.percent,
    stepStartedAt,
    deploymentStartedAt: ctx.startedAt,
    bakes: (ctx.req.bakeSeconds ?? 0) > 0,
  };
}

/**
 * RECORD_UNWRITTEN or RECORD_UNREAD: the record lagged `seconds` (health-monitor.ts,
 * RecordLagWatch); `paused`: while an operator's pause held the deployment.
 */
export function recordLagCause(lag: RecordLag['kind'], seconds: number, paused = false): OutcomeCause {
  const data = paused ? { seconds, paused: true as const } : { seconds };
  return lag === 'unread' ? causeOf('RECORD_UNREAD', data) : causeOf('RECORD_UNWRITTEN', data);
}

export function toPhaseOutcome(watched: Exclude<WatchOutcome, { kind: 'healthy' }>): PhaseOutcome {
  switch (watched.kind) {
    case 'interrupted':
      return { kind: 'interrupted' };
    case 'unhealthy':
      return { kind: 'failed', cause: watched.reason, why: watched.cause };
    case 'stopped':
      return { kind: 'conflict', cause: watched.reason, why: causeOf('TAKEN_OVER', {}) };
    case 'moved':
      return { kind: 'conflict', cause: watched.reason, why: causeOf('ALIAS_CHANGED', {}) };
    case 'unrecorded':
      return {
        kind: 'failed',
        cause: watched.reason,
        why: recordLagCause(watched.lag, watched.seconds, watched.paused === true),
      };
    // As the next weight write meeting the deletion would end it: failed, and the others roll back.
    case 'gone':
      return {
        kind: 'failed',
        cause: watched.reason,
        why: causeOf('FUNCTION_DELETED', { foundBy: watched.foundBy, functionName: watched.functionName }),
      };
    case 'aborted': {
      const data = { by: watched.by, ...(watched.reason === undefined ? {} : { reason: watched.reason }) };
      const cause = `aborted by ${describeSender(watched.by)}${watched.reason ? `: ${watched.reason}` : ''}`;
      return { kind: 'failed', cause, why: causeOf('OPERATOR_ABORTED', data) };
    }
  }
}
