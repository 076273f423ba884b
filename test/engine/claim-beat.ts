/**
 * A live claimer keeps its `rolling-back` claim fresh (rollback-claim.ts, keepClaimFresh): a
 * claim nobody refreshes is a claimer that died, which a runner following it ends unsafe (exit 4,
 * settle-result.ts, stopAbandonedClaim) once the follow outlasts its bound. Tests of a slow but
 * live claimer refresh theirs with this, for as long as the record stays that claim.
 */
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import type { World } from './world.js';

export function keepClaimBeating(w: World, fn: string, alias: string, owner: string): void {
  w.clock.after(HEARTBEAT_INTERVAL_MS, () => {
    const claim = w.store.peek(fn, alias);
    if (claim?.owner !== owner || claim.phase !== 'rolling-back') return;
    w.store.seed(fn, alias, { ...claim, heartbeatAt: w.clock.now() });
    keepClaimBeating(w, fn, alias, owner);
  });
}
