/**
 * The rollback `deploy --supersede` runs on the deployment holding the alias, under the same
 * claim as a person's `lshift rollback` (rollback-claim.ts), owner `rollback:<who>`. Without the
 * claim nothing kept the old record fresh while the rollback waited — CodeDeploy's own rollback
 * takes up to 10 minutes — so a scheduled check (or a person's rollback) took the old deployment
 * for abandoned and rolled it back beside this one: a second StopDeployment, alias writes. Now:
 *  - the record says `rolling-back` under this deploy's claim, its heartbeat kept by the driver's
 *    polls (`keepClaimFresh`): a check skips it (`being rolled back by …`), a person's rollback
 *    waits for it, and a live runner of the old deployment stops at its next heartbeat;
 *  - another actor's fresh claim is waited for (at most RIVAL_WAIT_MS): rolled back by it, the
 *    deploy carries on; still rolling back, SUPERSEDE_CONFLICT (exit 5) with nothing written;
 *  - Ctrl-C while it waits, or before its alias write: INTERRUPTED (exit 1), its claim put back.
 * The claim rather than a heartbeat on the old record as it is (`onPoll` alone): a fresh
 * heartbeat under the old runner's phase and owner would say that runner still drives it, which
 * a person's `lshift rollback` does not wait for (it claims and rolls back beside this one).
 */
import { isLshiftError, OperationError } from '../domain/errors.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { rollbackOwner } from './owner-kinds.js';
import { rollbackDeployment } from './rollback.js';
import { type ClaimedRollbackResult, rollbackClaimed } from './rollback-claim.js';

export async function rollBackHolder(
  deps: DeployDeps,
  req: DeployRequest,
  to: string,
  reason: string,
): Promise<ClaimedRollbackResult> {
  const { functionName, alias } = req;
  const request = { functionName, alias, to, reason, ...(req.signal ? { signal: req.signal } : {}) };
  try {
    // No store, no record to claim (nor for anyone else to act on).
    if (!deps.store) return await rollbackDeployment(deps, request);
    const owner = rollbackOwner(req.owner);
    return await rollbackClaimed({ ...deps, store: deps.store, owner }, request);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'INTERRUPTED') throw supersedeInterrupted(req, error);
    throw error;
  }
}

/** The rollback's INTERRUPTED (alias and record as they were), told as the deploy's. */
function supersedeInterrupted(req: DeployRequest, error: Error): OperationError {
  return new OperationError('INTERRUPTED', `${error.message} Nothing was deployed.`, {
    context: { functionName: req.functionName, alias: req.alias, notApplied: true },
    hint: 'Run the deploy with --supersede again when ready.',
    cause: error,
  });
}
