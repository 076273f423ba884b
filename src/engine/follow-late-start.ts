/**
 * `lshift wait` of a CodeDeploy deployment that started after its own lshift run had ended
 * (codedeploy-late-start.ts): the run got no answer to CreateDeployment, found no deployment of
 * its own at two looks and closed its record rolled back; CodeDeploy then took the request late.
 * `lshift status` offers this wait. It followed the deployment holding no claim: `lshift check`
 * meanwhile said nobody followed it (UNWATCHED, exit 4), and afterwards the record still read
 * rolled back by the run's failure, whatever CodeDeploy did (found by a hostile pass, session
 * 60, F6). Now the wait claims the record as a follower does: re-opened under the wait's owner,
 * naming the deployment, `paused` as a `--detach` leaves a record (CodeDeploy moves the traffic),
 * its heartbeat kept a poll apart while the record is still the wait's; at the end the wait
 * closes it as CodeDeploy ended it (follow-codedeploy.ts closeRecord).
 *
 * The re-opened record is written without a runner token: the seal of the run's rolled-back
 * close carries one, and a record without a token is never taken for a late write under that
 * seal (record-seal.ts resolveSealed). Each heartbeat reads the record first and writes only
 * when it is still the wait's claim: a `lshift rollback` or a check that took it since keeps it.
 */
import { carriesRunToken } from '../domain/codedeploy-run.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { isTerminal } from './codedeploy-status.js';
import { describeError, logInfo, logWarn } from './emit.js';
import type { FollowDeps } from './follow-codedeploy-types.js';

/** How often the wait's claim is beaten: well inside the 2-minute stale limit. */
export const CLAIM_BEAT_MS = 30_000;

export interface LateClaim {
  functionName: string;
  alias: string;
  recordId: string;
  beatAt: number;
}

/** The record closed rolled back by its run, whose own deployment this is and still runs. */
export function isLateStartRecord(record: DeploymentRecord, info: DeploymentInfo): boolean {
  return (
    record.engine === 'codedeploy' &&
    record.codeDeployId === undefined &&
    record.phase === 'rolled-back' &&
    carriesRunToken(info.description, record.id) &&
    !isTerminal(info.status)
  );
}

/** Claims a late start's record for this wait; undefined when there is none (or it could not be written). */
export async function claimLateStart(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<LateClaim | undefined> {
  const { store, follower } = deps;
  if (!store || !follower) return undefined;
  const { functionName, alias } = target;
  try {
    const record = await store.read(functionName, alias);
    if (!record || !isLateStartRecord(record, info)) return undefined;
    const now = deps.clock.now();
    await store.write(functionName, alias, reopen(record, info.id, follower, now));
    logInfo(
      deps,
      `codedeploy: ${info.id} is lshift deployment ${record.id}'s own, started after its run had recorded it rolled back: this wait follows it as that deployment's follower and closes its record as CodeDeploy ends it`,
    );
    return { functionName, alias, recordId: record.id, beatAt: now };
  } catch (error) {
    logWarn(
      deps,
      `could not claim the deployment record on ${functionName}:${alias} for this wait (${describeError(error)}): it still says rolled back, and \`lshift check\` says nobody follows deployment ${info.id}; the wait follows it all the same`,
      'record',
    );
    return undefined;
  }
}

/** The record re-opened as the wait's: the late deployment named, no end, no cause of the run's. */
function reopen(record: DeploymentRecord, id: string, owner: string, now: number): DeploymentRecord {
  const { endedAt: _end, cause: _cause, endReason: _why, runnerToken: _token, ...open } = record;
  return { ...open, phase: 'paused', codeDeployId: id, owner, heartbeatAt: now };
}

/** The claim's heartbeat, a CLAIM_BEAT_MS apart, only while the record is still the wait's. */
export async function beatLateClaim(deps: FollowDeps, claim: LateClaim): Promise<void> {
  const now = deps.clock.now();
  if (!deps.store || now - claim.beatAt < CLAIM_BEAT_MS) return;
  claim.beatAt = now;
  try {
    const record = await deps.store.read(claim.functionName, claim.alias);
    if (
      !record ||
      record.id !== claim.recordId ||
      record.owner !== deps.follower ||
      record.endedAt !== undefined
    )
      return;
    const { runnerToken: _token, ...beaten } = record;
    await deps.store.write(claim.functionName, claim.alias, { ...beaten, heartbeatAt: now });
  } catch {
    // A missed beat: the next poll tries again; a claim left stale reads as a `--detach`ed one.
  }
}
