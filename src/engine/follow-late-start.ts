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
 * seal (record-seal.ts resolveSealed). Its heartbeat is a rollback claim's (check-claim.ts
 * keepClaimFresh): one beat at a time, the record read first and written only while it is still
 * this very claim (its id, owner, phase and the heartbeat it last wrote): a `lshift rollback` or a
 * check that took it since keeps it. Tags have no conditional write, so a claim landing between a
 * beat's read and its write is written over all the same; a person's rollback looks at its claim
 * every second while it settles and writes it again over a write of the same deployment's
 * (check-claim.ts isRunnerOverClaim: the wait's `paused` beat is one), and the wait's next beat
 * then finds the claim and stops; a check's claim written over is lost, and that check rolls
 * nothing back (the next one judges again).
 */
import { carriesRunToken } from '../domain/codedeploy-run.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { keepClaimFresh } from './check-claim.js';
import { describeAge } from './check-classify.js';
import { isTerminal } from './codedeploy-status.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError, logInfo, logWarn } from './emit.js';
import type { FollowDeps } from './follow-codedeploy-types.js';
import { isWaitOwner } from './owner-kinds.js';

export interface LateClaim {
  recordId: string;
  /** The claim's heartbeat (keepClaimFresh: at most every 30 s, only while it is still this claim). */
  beat: () => Promise<void>;
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

/**
 * Another wait's claim of a late start's record (re-opened by it, naming this deployment), while
 * the deployment runs: taken over once that wait's heartbeat is stale (the stale limit `status`
 * and `check` go by to name it as the follower; a rollback's claim is taken over the same way). A
 * second wait did not take it, so while it followed, `status` and `check` named the dead first
 * wait (STALLED) until the deployment ended (found in session 61, F7's remainder).
 */
function isOtherWaitClaim(record: DeploymentRecord, info: DeploymentInfo, follower: string): boolean {
  return (
    record.engine === 'codedeploy' &&
    record.codeDeployId === info.id &&
    record.phase === 'paused' &&
    record.endedAt === undefined &&
    isWaitOwner(record.owner) &&
    record.owner !== follower &&
    !isTerminal(info.status)
  );
}

/**
 * What the first look found: this wait's claim, or another live wait's claim (looked at again at
 * each poll: taken over once that wait is gone), or nothing to claim.
 */
export type LateStartLook = { claim: LateClaim } | { liveWait: string } | undefined;

/** Claims a late start's record for this wait; undefined when there is none (or it could not be written). */
export async function claimLateStart(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<LateStartLook> {
  const { store, follower } = deps;
  if (!store || !follower) return undefined;
  const { functionName, alias } = target;
  try {
    const record = await store.read(functionName, alias);
    if (!record) return undefined;
    if (isOtherWaitClaim(record, info, follower)) return takeOver(deps, info, target, record);
    if (!isLateStartRecord(record, info)) return undefined;
    const claimed = reopen(record, info.id, follower, deps.clock.now());
    await store.write(functionName, alias, claimed);
    logInfo(
      deps,
      `codedeploy: ${info.id} is lshift deployment ${record.id}'s own, started after its run had recorded it rolled back: this wait follows it as that deployment's follower and closes its record as CodeDeploy ends it`,
    );
    return {
      claim: { recordId: record.id, beat: keepClaimFresh({ store, clock: deps.clock }, target, claimed) },
    };
  } catch (error) {
    logWarn(
      deps,
      `could not claim the deployment record on ${functionName}:${alias} for this wait (${describeError(error)}): it still says rolled back, and \`lshift check\` says nobody follows deployment ${info.id}; the wait follows it all the same`,
      'record',
    );
    return undefined;
  }
}

/** Another wait's claim: left to it while it lives, this wait's once it is gone. */
async function takeOver(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  record: DeploymentRecord,
): Promise<LateStartLook> {
  const now = deps.clock.now();
  // The rule `check` and `status` go by to name a wait as its follower (check-codedeploy.ts
  // describeFollower): its heartbeat younger than the stale limit. Not liveFollowerOf: a `paused`
  // record is an ended one there (nobody drives a paused deployment), never a live follower.
  if (judgeHeartbeatAge(record.heartbeatAt, now, DEFAULT_STALE_AFTER_SECONDS * 1000) === 'fresh')
    return { liveWait: record.owner };
  const claimed = { ...record, owner: deps.follower!, heartbeatAt: now };
  await deps.store!.write(target.functionName, target.alias, claimed);
  logInfo(
    deps,
    `codedeploy: ${info.id} is lshift deployment ${record.id}'s own, claimed by ${record.owner}, which no longer follows it (heartbeat ${describeAge(now, record.heartbeatAt)} ago): this wait takes its claim over and closes the record as CodeDeploy ends it`,
  );
  const beat = keepClaimFresh({ store: deps.store!, clock: deps.clock }, target, claimed);
  return { claim: { recordId: record.id, beat } };
}

/** The record re-opened as the wait's: the late deployment named, no end, no cause of the run's. */
function reopen(record: DeploymentRecord, id: string, owner: string, now: number): DeploymentRecord {
  const { endedAt: _end, cause: _cause, endReason: _why, runnerToken: _token, ...open } = record;
  return { ...open, phase: 'paused', codeDeployId: id, owner, heartbeatAt: now };
}

/** The claim's heartbeat, while the deployment runs (a missed beat: the next poll tries again). */
export async function beatLateClaim(claim: LateClaim): Promise<void> {
  await claim.beat();
}

/**
 * Who a wait closing a late start's record writes as its owner. The record is a wait's claim
 * (waitOwner) only when a wait re-opened it; a wait closing it under another wait's claim found
 * that wait no longer following it (follow-codedeploy.ts closeRecord: no live follower, killed
 * say) and followed the deployment to its end itself: the closed record named the dead wait
 * (found in session 61, F7). A deploy runner's own record keeps its runner.
 */
export function ownerAtClose(record: DeploymentRecord, follower: string | undefined): string {
  return follower !== undefined && isWaitOwner(record.owner) ? follower : record.owner;
}
