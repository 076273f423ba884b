/**
 * The settle wait as one self-contained unit (docs/analysis.md#the-settle-wait): keep the last
 * weight, and keep polling every gate, until CloudWatch has delivered the minutes up to "now"
 * (src/domain/analysis/settle.ts decides), or until the plan's longest settle has passed.
 * Called just before the 100% write and at the end of a bake.
 */
import { type SettleState, settleState } from '../domain/analysis/settle.js';
import { formatDuration } from '../domain/duration.js';
import { ANALYSIS_GATE_NAME } from './analysis-gate.js';
import { emitEvent, logInfo, logWarn } from './emit.js';
import type { WatchOutcome, WatchWindow } from './health-monitor-types.js';
import type { RecordGate } from './record-lag-notice.js';
import type { ShiftContext } from './shift-context.js';

/**
 * Holds until the minutes up to the moment of the call have arrived, at most
 * `plan.settleSeconds`. Returns the watch's outcome: a failure found while settling rolls back
 * like any other. Without a settle (0) it returns at once.
 */
export async function awaitMetricsSettled(
  ctx: ShiftContext,
  window: WatchWindow,
  extraMinutes = 0,
  recordGate?: RecordGate,
): Promise<WatchOutcome> {
  const maxSeconds = ctx.req.plan.settleSeconds ?? 0;
  // Only the analysis gate reads per-version metrics and can tell when they have arrived — and
  // only with a gate on: under --no-analysis it said "settle: holding 50% while waiting for
  // metrics to arrive, at most 6m" and wrote 100% at the next poll (found by a hostile pass).
  const measured = (ctx.deps.gates ?? []).some(
    (g) => g.name === ANALYSIS_GATE_NAME && g.readsMetrics !== false,
  );
  if (maxSeconds <= 0 || !measured) return { kind: 'healthy' };
  const startedAt = ctx.deps.clock.now();
  const startedElapsed = ctx.deps.clock.elapsedMs();
  // Said before the wait, with its bound: it can hold the weight for minutes with nothing else to show.
  emitEvent(ctx.deps, { type: 'settle.started', phase: window.phase, percent: window.percent, maxSeconds });
  // The extra minutes are held at the same weight: their data joins the evidence before 100%.
  const untilMs = startedAt + extraMinutes * 60_000;
  const seen: { state: SettleState } = { state: 'waiting' };
  const outcome = await ctx.monitor.watch(
    window,
    maxSeconds,
    (verdicts) => {
      seen.state = settleState(verdicts, untilMs);
      return seen.state !== 'waiting';
    },
    recordGate ? { recordGate } : {},
  );
  const arrived = seen.state === 'arrived';
  if (outcome.kind === 'healthy') {
    const seconds = Math.round((ctx.deps.clock.elapsedMs() - startedElapsed) / 1000);
    // Every analysis gate is off (it returns no verdicts): the one poll made was the wait.
    if (seen.state === 'unmeasured') return outcome;
    if (arrived) {
      logInfo(
        ctx.deps,
        `settle: held ${window.percent}% for ${seconds} s until CloudWatch had the last step's minutes${extraMinutes > 0 ? ` and ${extraMinutes} more` : ''}`,
      );
    } else {
      // What the canary analysis judged before 100% lacked the last minutes: a warning about it.
      // An operator's promote ends the wait early: said as such, not as the settle's bound.
      const why =
        outcome.early === 'skipped'
          ? `, ended early by an operator's promote (the longest settle is ${formatDuration(maxSeconds)})`
          : ' (the longest settle)';
      logWarn(
        ctx.deps,
        `settle: held ${window.percent}% for ${seconds} s${why}; the last step's minutes${extraMinutes > 0 ? ` and the ${extraMinutes} after it` : ''} had not all arrived`,
        'analysis',
      );
    }
  }
  return outcome;
}
