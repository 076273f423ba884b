/**
 * `lshift check` closes, as rolled back, a deployment with no live owner found all on its stable
 * version (closeIfOnStable), rather than report it STALLED.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { aliasWrittenSinceStart } from '../domain/record-revision.js';
import type { Candidate } from './check-candidates.js';
import { describeProgress } from './check-classify.js';
import { findMateTakenSince } from './check-mates-after-watch.js';
import { describeNoLiveOwner } from './check-ownerless.js';
import { areMatesBackOnStable } from './check-release-close.js';
import { ABANDONED_BEFORE_TRAFFIC, FOUND_BACK_ON_STABLE, rollBack } from './check-rollback.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { isPromoteUnconfirmed, isSplit } from './record-view.js';

/**
 * A deployment with no live owner whose alias routes everything to its stable version: nothing
 * for a human to decide, whatever the alarms say of the version that runs. Closed as rolled back
 * the way `lshift rollback` would (claimed, the same routing written again so a runner still alive
 * gets a 412 at its next weight write), and said (`skipped`, exit 0). Either it was abandoned
 * before any traffic moved — its runner killed (kill -9, the OOM killer) while writing its first
 * record, publishing or running its pre-traffic hook — or its traffic was moved back and nobody
 * recorded it: a rollback whose record writes failed (TagResource refused: RECORD_UNWRITTEN,
 * health-monitor.ts), or a person's `aws lambda update-alias`. Before, every scheduled check
 * reported it STALLED (exit 4), and the next deploy was refused as DEPLOYMENT_STALE (found by
 * hostile passes). A paused deployment is someone's decision; a release's function only when none
 * of its release's records says the release is owned or decided (check-release-close.ts), else
 * with its release (check-release.ts); a CodeDeploy deployment is read from CodeDeploy
 * (check-codedeploy.ts).
 */
export async function closeIfOnStable(
  deps: CheckDeps,
  c: Candidate,
  now: number,
  staleMs: number,
): Promise<CheckResult | undefined> {
  const { record } = c;
  const release = c.releaseClosable;
  if (c.kind !== 'orphaned' || c.codeDeploy || !closableWhenOnStable(record, release !== undefined))
    return undefined;
  const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
  if (!alias || isSplit(alias.additionalWeights) || alias.functionVersion !== record.stableVersion)
    return undefined;
  if (release && !(await areMatesBackOnStable(release.mates, release.readAlias))) return undefined;
  // Quiet before the watch; a resume that took a mate during it drives the release now.
  if (release && (await findMateTakenSince(release.mates, release.readRecord, deps.clock.now(), staleMs)))
    return undefined;
  if (release && !(await release.known(record.releaseId!))) return undefined;
  // No weight recorded is "never moved" only while nothing wrote the alias since (record-revision.ts).
  const writtenSince = aliasWrittenSinceStart(record, alias);
  const neverMoved = record.percent === 0 && !writtenSince;
  const how = neverMoved
    ? `moved no traffic: alias ${c.alias} routes all traffic to version ${record.stableVersion}, its stable version`
    : writtenSince
      ? `alias ${c.alias} routes all traffic to its stable version ${record.stableVersion}, but it was written since the deployment started (its RevisionId changed): its first weight may have landed and been put back by a rollback that could not record it, or it was moved by hand`
      : `alias ${c.alias} routes all traffic to its stable version ${record.stableVersion} again, which its record does not say (moved back by hand, or by a rollback that could not record it)`;
  const why = `deployment ${record.id} (${describeProgress(record)}) ${describeNoLiveOwner(deps, record, now)} and ${how}`;
  const endReason = neverMoved ? ABANDONED_BEFORE_TRAFFIC : FOUND_BACK_ON_STABLE;
  return rollBack(deps, { ...c, closeOnly: { endReason } }, why, false);
}

function closableWhenOnStable(record: DeploymentRecord, releaseClosable: boolean): boolean {
  return (
    record.phase !== 'paused' &&
    (record.releaseId === undefined || releaseClosable) &&
    record.engine !== 'codedeploy' &&
    !isPromoteUnconfirmed(record)
  );
}
