/**
 * Which alias routings a deployment's own rollback may write over after re-reading the alias
 * (step-restore.ts, `ownRouting`): the weights this deployment wrote or was writing — a step
 * write of its own, abandoned by a signal or answered too late, may land under the rollback and
 * is what the rollback undoes. Any other routing between its two versions was put there by
 * someone else (`aws lambda update-alias`, `lshift alias`): a 412 to a write sent once is always
 * someone else's change (docs/exit-codes.md), and writing over it undid a person's move (found by
 * a hostile pass: all traffic put on the new version by hand while the rollback's write was held;
 * the rollback re-read, wrote again and said it "overwrote nothing").
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { planShift } from '../domain/plan.js';
import { parseStrategy } from '../domain/strategy.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import type { ShiftContext } from './shift-context.js';

/** Weights equal to within this many percentage points (Lambda stores them as floats). */
const SAME_PERCENT = 0.01;

export function ownRoutingOf(ctx: ShiftContext): (state: RoutingState) => boolean {
  return routesAtOneOf(ownPercents(ctx), ctx.cursor.stableVersion, ctx.cursor.targetVersion);
}

/**
 * The same test for a person's `lshift rollback` of an unfinished deployment it claimed
 * (rollback.ts), from that deployment's record: its runner, maybe alive, may have a step write
 * in flight that lands under the rollback's. Its own routings are the plan's weights up to the
 * step after the recorded one (the runner writes the alias first and its record after, and a
 * release's record may lag one step behind its alias: resume-point.ts), 100% when an operator's
 * `promote --full` was sent to it, the recorded weight, and `seenPercent`, the routing the
 * rollback read before writing (what it was asked to undo). Any other routing between the two
 * versions is someone else's (found by a hostile pass: a second person's `aws lambda
 * update-alias` to 35%, a weight the plan never wrote, was written over). Undefined when this
 * lshift cannot read the recorded strategy: any routing between the two versions counts then.
 */
export function ownRoutingOfRecord(
  record: DeploymentRecord,
  seenPercent: number,
): ((state: RoutingState) => boolean) | undefined {
  let planned: number[];
  try {
    const plan = planShift(parseStrategy(record.strategy, { allowLong: true, recorded: true }));
    const furthest = RECORD_DONE_SHIFTING.has(record.phase) ? Number.POSITIVE_INFINITY : record.stepIndex + 1;
    planned = plan.steps.filter((s) => s.index <= furthest).map((s) => s.percent);
  } catch {
    return undefined;
  }
  const full = record.command?.verb === 'promote-full' ? [100] : [];
  return routesAtOneOf(
    [...planned, ...full, record.percent, seenPercent],
    record.stableVersion,
    record.targetVersion,
  );
}

/** Phases a deployment reaches only after its last step: every weight of its plan was written. */
const RECORD_DONE_SHIFTING: ReadonlySet<DeploymentRecord['phase']> = new Set([
  'baking',
  'post-hook',
  'promoted',
]);

function routesAtOneOf(own: number[], stable: string, target: string): (state: RoutingState) => boolean {
  return (state) => {
    const percent = targetPercentOf(state, stable, target);
    return percent !== undefined && own.some((p) => Math.abs(p - percent) < SAME_PERCENT);
  };
}

/**
 * Every weight this deployment's plan reached (steps up to the furthest this run started, so a
 * resumed run counts the steps its crashed runner wrote), the steps this run wrote or tried (an
 * operator's `promote --full` included), and the weight as last written or seen.
 */
function ownPercents(ctx: ShiftContext): number[] {
  const pos = ctx.position;
  const reached =
    pos.kind === 'step' || pos.kind === 'after-step'
      ? pos.index
      : pos.kind === 'bake'
        ? Number.POSITIVE_INFINITY
        : -1;
  const furthest = Math.max(reached, ...ctx.steps.map((s) => s.index));
  const planned = ctx.req.plan.steps.filter((s) => s.index <= furthest).map((s) => s.percent);
  const seen = [ctx.cursor.percent, ctx.cursor.peakPercent, 'percent' in pos ? pos.percent : undefined];
  return [...planned, ...ctx.steps.map((s) => s.percent), ...seen.filter((p) => p !== undefined)];
}

/** The share of traffic on `target` when the alias routes only between the two versions; else undefined. */
export function targetPercentOf(state: RoutingState, stable: string, target: string): number | undefined {
  const extra = Object.entries(state.additionalWeights).filter(([, w]) => w > 0);
  if (state.functionVersion === target && extra.length === 0) return 100;
  if (state.functionVersion !== stable) return undefined;
  if (extra.length === 0) return 0;
  const [only] = extra;
  return extra.length === 1 && only![0] === target ? only![1] * 100 : undefined;
}
