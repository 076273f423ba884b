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
 * (rollback.ts), from that deployment's record: its runner, maybe alive, may have a write in
 * flight that lands under the rollback's. Its own routings are every weight of its plan (100%
 * included), the recorded weight, and `seenPercent`, the routing the rollback read before writing
 * (what it was asked to undo): a runner writes no other. Not only the plan's weights up to the
 * recorded step: the record can lag the alias by more than a step (writes throttled while
 * `promote`s were obeyed), and an obeyed `promote --full` leaves no trace in it once a later
 * command (`pause`, `abort`) replaced it — its 100% write landing late was refused as someone
 * else's, leaving all traffic on the new version (found by a hostile pass). So a second person's
 * move to one of the plan's weights (all traffic on the new version, say) is written over: the
 * rollback puts the stable version back, as it was asked. Any other routing between the two
 * versions is someone else's, left (a second person's `aws lambda update-alias` to 35%, a weight
 * the plan never writes, was written over before). Undefined when this lshift cannot read the
 * recorded strategy: any routing between the two versions counts then.
 */
export function ownRoutingOfRecord(
  record: DeploymentRecord,
  seenPercent: number,
): ((state: RoutingState) => boolean) | undefined {
  let planned: number[];
  try {
    planned = planShift(parseStrategy(record.strategy, { allowLong: true, recorded: true })).steps.map(
      (s) => s.percent,
    );
  } catch {
    return undefined;
  }
  return routesAtOneOf(
    [...planned, 100, record.percent, seenPercent],
    record.stableVersion,
    record.targetVersion,
  );
}

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
