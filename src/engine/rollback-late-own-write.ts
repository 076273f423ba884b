/**
 * A deploy's rollback that meets a 412 and re-reads the alias at exactly the weight of this
 * deployment's own last forward write — sent, its answer never seen (an interrupt abandoned it,
 * or it failed after it was sent) — is looking at that write, landed late: the retry says so
 * (step-restore.ts ownLateWrite) rather than the 412's "Someone else changed alias", which a
 * hostile pass found beside a run that then ended clean (h3's F-g). Any other routing
 * is said as before: lshift cannot tell whose it is.
 */
import type { RoutingState } from '../ports/traffic-driver.js';
import { targetPercentOf } from './own-routing.js';
import type { ShiftContext } from './shift-context.js';

/** Lambda stores weights as floats: equal to within this many percentage points. */
const SAME_PERCENT = 0.01;

export function ownLateWriteOf(ctx: ShiftContext): (state: RoutingState) => number | undefined {
  const { cursor } = ctx;
  // The cursor moves only once a write is answered: a last step at another weight was not.
  const last = ctx.steps.at(-1);
  const unanswered = [ctx.abandonedWrite, last && last.percent !== cursor.percent ? last.percent : undefined];
  const sent = unanswered.filter((p): p is number => p !== undefined && p !== cursor.percent);
  return (state) => {
    const percent = targetPercentOf(state, cursor.stableVersion, cursor.targetVersion);
    if (percent === undefined) return undefined;
    return sent.find((p) => Math.abs(p - percent) < SAME_PERCENT);
  };
}
