/** The close of a claim a signal abandoned (DeploymentRecorder.closeAbandonedClaim). */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { StateStore } from '../ports/state-store.js';

/**
 * Stores `closed` over the store's record when that is still the claim (`isClaim`), else as the
 * seal alone. Best effort: a failure leaves the record as it is.
 */
export async function storeClaimClose(
  store: StateStore,
  at: { functionName: string; alias: string },
  closed: DeploymentRecord,
  isClaim: (seen: DeploymentRecord) => boolean,
): Promise<void> {
  // Not there (yet), or unreadable: the abandoned claim may still land, and would then hold the
  // alias until its heartbeat went stale. The seal alone says it closed, so a claim of this run
  // that lands later is read as the older record it is (record-seal.ts).
  let seal: 'also' | 'only' = 'only';
  try {
    const seen = await store.read(at.functionName, at.alias);
    if (seen && isClaim(seen)) seal = 'also';
  } catch {
    // What the store holds is unknown: only the seal is written, which goes over nothing of anyone's.
  }
  try {
    await store.write(at.functionName, at.alias, closed, { keepRunnerToken: true, seal });
  } catch {
    // Left `started`: its heartbeat goes stale, and `lshift check` or the next deploy takes it over.
  }
}
