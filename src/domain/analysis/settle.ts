/**
 * The settle wait (docs/analysis.md#the-settle-wait): before writing 100% (and before declaring
 * a bake healthy) lshift holds the last weight until CloudWatch has delivered the minutes of the
 * last step, so the analysis judges them while the stable version still takes traffic. Lambda
 * datapoints arrive 1–3 minutes late; without the wait, the last step of a linear rollout would
 * never be seen. Pure: the engine (src/engine/metrics-settle.ts) polls and asks here.
 */
import type { Verdict } from '../verdict.js';
import { floorMinute, MINUTE_MS } from './windows.js';

/** Details key the analysis gate adds to its verdicts: end of the newest minute with data, epoch ms. */
export const DATA_THROUGH_KEY = 'dataThrough';

export type SettleState = 'arrived' | 'waiting' | 'unmeasured';

/**
 * Have the minutes up to `untilMs` arrived? True once CloudWatch has delivered a datapoint for
 * the minute in which `untilMs` falls (the step's last minute); earlier minutes arrive first.
 * That last minute may still be partial: waiting for certainty would cost another minute of
 * every deployment, and its calls are a small part of the step. `unmeasured` when no verdict
 * comes from the analysis gate (it alone reads the metrics): nothing to wait for.
 */
export function settleState(verdicts: readonly Verdict[], untilMs: number): SettleState {
  let measured = false;
  let latest: number | undefined;
  for (const v of verdicts) {
    if (!v.details || !(DATA_THROUGH_KEY in v.details)) continue;
    measured = true;
    const value = v.details[DATA_THROUGH_KEY];
    if (typeof value === 'number' && (latest === undefined || value > latest)) latest = value;
  }
  if (!measured) return 'unmeasured';
  return latest !== undefined && latest >= floorMinute(untilMs - 1) + MINUTE_MS ? 'arrived' : 'waiting';
}
