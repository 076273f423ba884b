/** The DeployResult of a shift as it ends, and the stop when another lshift took it over. */

import type { DeployResult } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { readStoredRecord } from './rollback-finished-by.js';
import { promotedByRollbackTo } from './rollback-to-taker.js';
import type { ShiftContext } from './shift-context.js';
import { buildResult, readAliasState } from './shift-result.js';
import { followRollbackOf, rolledBackByOther } from './taker-follow.js';

export { buildResult, readAliasState } from './shift-result.js';
export { FOLLOW_ROLLBACK_MS, followBoundMs, followRollbackOf, rolledBackByOther } from './taker-follow.js';

/**
 * Another lshift took the deployment over (resume, supersede, rollback): leave everything to it.
 * Taken over while this runner was rolling back, by someone who finished that same rollback
 * (rollback-finished-by.ts): rolled back (exit 3), saying who did it. `after`: what this runner
 * was rolling back for — given, the runner was rolling back even when its own record does not say
 * so: a release marks only one function's record `rolling-back` (release-settle.ts).
 */
export async function stopTakenOver(ctx: ShiftContext, after?: OutcomeCause): Promise<DeployResult> {
  const aliasState = await readAliasState(ctx);
  // A release's function follows the claim once every other function is settled (release-settle.ts).
  const rolledBack =
    (await rolledBackByOther(ctx, aliasState, after)) ??
    (ctx.inRelease ? undefined : await followRollbackOf(ctx, after));
  if (rolledBack) return rolledBack;
  const cause = causeOf('TAKEN_OVER', {}, ctx.recorder.lostReason());
  // Read again: following the other's rollback took up to minutes, during which a superseding
  // deployment may have moved the alias (found by a hostile pass: the result showed the split
  // of before the follow, while the newer deployment had put all traffic on its version).
  const now = (await readAliasState(ctx)) ?? aliasState;
  // Promoted by a person's `lshift rollback --to` its own new version: said as that, not as a
  // move by someone else (rollback-to-taker.ts); a conflict all the same.
  const stored = await readStoredRecord(ctx.deps.store, ctx.req);
  // `after` given, or our own record marked `rolling-back`: that rollback was this deploy's own.
  const ours = ctx.recorder.current();
  const rollingBack =
    after !== undefined || ours.phase === 'rolling-back'
      ? { for: after, noAlarms: ctx.req.alarms.length === 0 }
      : undefined;
  const sent = promotedByRollbackTo(ours, stored, now, rollingBack);
  return buildResult(ctx, 'conflict', { aliasState: now, cause: sent ?? cause });
}
