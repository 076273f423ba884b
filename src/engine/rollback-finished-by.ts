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
import { isSplit } from './record-view.js';

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
