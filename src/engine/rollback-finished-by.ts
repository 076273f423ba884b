/**
 * A runner retrying its own rollback (UpdateAlias throttled or held for minutes) may find that
 * someone else finished it meanwhile: `lshift check` took the `rolling-back` record for abandoned,
 * or a person ran `lshift rollback`. Both aim at the same stable version, so when the alias routes
 * all traffic there the deployment was rolled back — the runner says so (exit 3) and who did it,
 * never a conflict (exit 5): a pipeline reads exit 5 as "another deployment is in progress, retry
 * later", and a retry would deploy the bad version again. The finisher's record is left as it
 * wrote it (it says who finished the rollback, and when).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { FinishedBy } from '../domain/events.js';
import type { StateStore } from '../ports/state-store.js';
import { isEnded, isSplit } from './record-view.js';

/**
 * Who finished our rollback, or undefined when it is not that: the stored record must be the same
 * deployment with the same stable version, owned by someone else, rolling back or rolled back;
 * and the alias must route all traffic to that stable version (the alias is the truth).
 */
export function judgeFinisher(
  ours: DeploymentRecord,
  stored: DeploymentRecord | undefined,
  aliasState: { functionVersion: string; additionalWeights: Record<string, number> } | undefined,
): FinishedBy | undefined {
  if (ours.phase !== 'rolling-back' || !stored || !aliasState) return undefined;
  if (stored.id !== ours.id || stored.stableVersion !== ours.stableVersion) return undefined;
  if (stored.owner === ours.owner) return undefined;
  if (stored.phase !== 'rolled-back' && stored.phase !== 'rolling-back') return undefined;
  if (isSplit(aliasState.additionalWeights) || aliasState.functionVersion !== ours.stableVersion)
    return undefined;
  return {
    owner: stored.owner || 'an unknown owner',
    phase: stored.phase,
    at: stored.endedAt ?? stored.heartbeatAt,
  };
}

/** What stands for the finisher when its record kept this runner's owner. */
export const CLOSED_BY_ROLLBACK = '`lshift rollback` from another shell';
export const CLOSED_BY_HAND = '`lshift alias` (moved by hand)';

/**
 * Who rolled back this deployment while this runner still shifted it, when their record kept
 * this runner's own owner (in any phase before its own rollback or end): `lshift rollback` keeps the deployment's owner when it did not claim
 * the record first (its claim lost to this runner's heartbeat), and `lshift alias` back to the
 * stable version closes it `moved by hand`. This runner never writes `rolled-back` while it
 * shifts, so that record is theirs. Undefined unless the alias routes all traffic to the stable
 * version (the alias is the truth).
 */
export function judgeClosedUnderOurOwner(
  ours: DeploymentRecord,
  stored: DeploymentRecord | undefined,
  aliasState: { functionVersion: string; additionalWeights: Record<string, number> } | undefined,
): FinishedBy | undefined {
  if (ours.phase === 'rolling-back' || isEnded(ours) || !stored || !aliasState) return undefined;
  if (stored.id !== ours.id || stored.stableVersion !== ours.stableVersion) return undefined;
  if (stored.owner !== ours.owner || stored.phase !== 'rolled-back') return undefined;
  if (isSplit(aliasState.additionalWeights) || aliasState.functionVersion !== ours.stableVersion)
    return undefined;
  return {
    owner: stored.endReason === 'moved by hand' ? CLOSED_BY_HAND : CLOSED_BY_ROLLBACK,
    phase: stored.phase,
    at: stored.endedAt ?? stored.heartbeatAt,
  };
}

/**
 * This deployment rolled back and then replaced: the record now belongs to a later deployment
 * (`deploy --supersede` rolls the old one back under its claim, then writes its own record; or
 * someone rolled it back and someone deployed after) that started from this deployment's stable
 * version, and this deployment's target version carries no traffic. Without it a runner that
 * looks a moment later than another ends a conflict (exit 5) instead of rolled back (exit 3),
 * and a pipeline would retry the version that was just rolled back. Undefined when the later
 * deployment ships the same version, started from elsewhere, or the alias is unknown (the alias
 * is the truth): a conflict then, as before.
 */
export function judgeReplacedAfterRollback(
  ours: DeploymentRecord,
  stored: DeploymentRecord | undefined,
  aliasState: { functionVersion: string; additionalWeights: Record<string, number> } | undefined,
): { finishedBy: FinishedBy; successor: string } | undefined {
  if (!stored || !aliasState || stored.id === ours.id) return undefined;
  if (stored.stableVersion !== ours.stableVersion || stored.targetVersion === ours.targetVersion)
    return undefined;
  if (ours.targetVersion === ours.stableVersion || stored.startedAt < ours.startedAt) return undefined;
  const weighted = Object.entries(aliasState.additionalWeights).filter(([, weight]) => weight > 0);
  const routed = [aliasState.functionVersion, ...weighted.map(([version]) => version)];
  if (routed.includes(ours.targetVersion)) return undefined;
  // When it was rolled back is not recorded any more: by the time the later deployment started.
  const finishedBy: FinishedBy = {
    owner: stored.owner || 'an unknown owner',
    phase: 'rolled-back',
    at: stored.startedAt,
  };
  return { finishedBy, successor: stored.id };
}

/** The stored record, read once more (best effort: unreadable is "not known", never finished). */
export async function readStoredRecord(
  store: StateStore | undefined,
  target: { functionName: string; alias: string },
): Promise<DeploymentRecord | undefined> {
  if (!store) return undefined;
  try {
    return await store.read(target.functionName, target.alias);
  } catch {
    return undefined;
  }
}
