/**
 * Whether the record `lshift rollback <fn>` claimed (rollback-claim.ts) had been promoted: its
 * rollback reads its own claim (`rolling-back`), and must still close it as rolled back after its
 * promotion — not as a shift stopped at its step (`status`: `rolled-back, version 2 → 3, stopped
 * at step 1`). `rollback --release` asks the same of a promoted `before` (release-rollback.ts);
 * so does a check's own rollback since session 70 (its release verdict reads "rolled back by a
 * check" as no end reason or this one: check-release-verdict.ts rolledBackByCheck).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isPromotedOverRollback } from './kept-over-rollback.js';
import type { RollbackRequest } from './rollback-types.js';

export type PromotedBeforeClaim = Pick<
  RollbackRequest,
  'wasPromoted' | 'promotedBy' | 'promotedOverRollback' | 'underStaleClaim'
>;

/** What the rollback is told of the record its claim went over (`before`). */
export function promotedBeforeClaim(before: DeploymentRecord | undefined): PromotedBeforeClaim {
  if (!before) return {};
  const over = isPromotedOverRollback(before) ? { promotedOverRollback: true as const } : {};
  if (before.phase === 'promoted')
    return {
      wasPromoted: true,
      ...(before.owner === undefined ? {} : { promotedBy: before.owner }),
      ...over,
    };
  if (isPromotedUnderClaim(before)) return { wasPromoted: true, underStaleClaim: true, ...over };
  return {};
}

/**
 * An earlier rollback's (or check's) claim over a promoted deployment, gone stale (killed after
 * its alias write): the claim keeps the promoted record's end, 100 % and lack of a cause of
 * lshift's own (check-claim.ts writeClaim), but not its phase. Closed without it, the next run's
 * record read `stopped at step 1` (F2). A deploy runner's own `rolling-back` mark has no end yet;
 * a `failed` record names why lshift rolled it back. Its owner then is the dead claimer, not who
 * promoted it: not passed on.
 */
export function isPromotedUnderClaim(before: DeploymentRecord): boolean {
  return (
    before.phase === 'rolling-back' &&
    before.endedAt !== undefined &&
    before.percent === 100 &&
    before.cause === undefined
  );
}
