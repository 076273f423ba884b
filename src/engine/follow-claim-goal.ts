/**
 * A runner stopped by a person's `lshift rollback --to 2` (2: its own new version; the claim's
 * `rt=2`) says "following it until alias live is all on version 2". Killed after its claim, that
 * rollback is finished by a check (or a plain `lshift rollback`) on the STABLE version, on purpose
 * (check-classify.ts rollbackTarget): the judged version, not the one a stopped process chose. The
 * runner's result said "rolled back by check:…: all traffic is on version 1" beside its own
 * promise of version 2, or "stopped before it put alias live back" of a rollback that was not
 * putting it back (sandbox, session 71). The result now names the version the claim was sending
 * the traffic to, so the words can say both. Where the traffic goes is unchanged.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';

/** Where a rollback's claim was sending the traffic, when that is not the deployment's stable version. */
export function claimGoalOffStable(
  claim: Pick<DeploymentRecord, 'rollbackTo' | 'stableVersion'> | undefined,
): string | undefined {
  const to = claim?.rollbackTo;
  return to === undefined || to === claim?.stableVersion ? undefined : to;
}

/**
 * A rolled-back result (someone else put all traffic on the stable version) of a runner that
 * followed `claim`: when that claim was sending the traffic elsewhere and someone other than its
 * claimer finished it, the cause names the claim's version and claimer. Otherwise unchanged.
 */
export function withClaimGoal(result: DeployResult, claim: DeploymentRecord | undefined): DeployResult {
  const cause = result.cause;
  const to = claimGoalOffStable(claim);
  if (!claim || to === undefined || cause?.code !== 'ROLLED_BACK_BY_OTHER') return result;
  if (cause.data.successor !== undefined || cause.data.owner === claim.owner) return result;
  return { ...result, cause: { ...cause, data: { ...cause.data, claimedTo: to, claimer: claim.owner } } };
}
