/**
 * A release's functions read their aliases during their holds and the bake (health-monitor.ts,
 * aliasMoved), as a single deploy does in every hold. Up to 14 days of bake went by saying `fa:
 * bake: still watching at 100% … alarms ok` of a version someone had taken all traffic from (`aws
 * lambda update-alias`, the console): the move was found only by the read after the bake (h4's
 * hostile pass, session 67). The holds read too: the next level's writes read every alias first
 * (fleet-steps.ts), but a person's split during a 1-hour hold was found only then, an hour of
 * `still holding at 40%` said over someone else's routing (h4's hostile pass, session 68, F2).
 *
 * Each read is a GetAlias of Lambda's 15 requests a second (docs/releases.md#scale), so the
 * release as a whole reads at most one alias every RELEASE_ALIAS_READ_SPACING_MS: each function
 * every ALIAS_WATCH_MS (30 s) up to 10 functions, then every N × 3 s (100 functions: every
 * 5 minutes, 0.33 requests a second beside their heartbeats' 3.3).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ALIAS_WATCH_MS } from './health-monitor-types.js';

/** The whole release reads at most one alias this often during its holds and bake. */
export const RELEASE_ALIAS_READ_SPACING_MS = 3_000;

/**
 * Assumed when the record does not say how many functions the release has (`rz=` and `rf=` give
 * way to an operator's command in a full record): a release as large as docs/releases.md#scale
 * plans for, so an unknown size never reads faster than the budget.
 */
const UNKNOWN_RELEASE_SIZE = 100;

/** How often each function of a release of `size` functions reads its alias in a hold or the bake. */
export function releaseAliasWatchMs(size: number | undefined): number {
  const n = size !== undefined && Number.isInteger(size) && size > 0 ? size : UNKNOWN_RELEASE_SIZE;
  return Math.max(ALIAS_WATCH_MS, n * RELEASE_ALIAS_READ_SPACING_MS);
}

/** How many functions a release has, as its function's record says (`rf=`, else `rz=`). */
export function releaseSizeOf(
  record: Pick<DeploymentRecord, 'releaseFunctions' | 'releaseSize'>,
): number | undefined {
  return record.releaseFunctions?.length ?? record.releaseSize;
}
