/**
 * `lshift wait <deployment-id>`: follow a CodeDeploy deployment that runs without lshift (a
 * `deploy --detach`, or one started elsewhere) until it ends, and say where its alias is. Ctrl-C
 * stops it with auto-rollback (or leaves it running with `onInterrupt: 'leave'`). When the alias
 * holds lshift's record of this deployment (`cd=`), the record is closed as promoted or rolled back
 * (follow-settle.ts: what it says and closes once the deployment ended).
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import { isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { logInfo, logWarn } from './emit.js';
import type { FollowDeps, FollowRequest, FollowResult } from './follow-codedeploy-types.js';
import { endDecidedRollback, isDecidedRollbackDriven, readDecidedRecord } from './follow-decided-rollback.js';
import { awaitDecidingRun } from './follow-deciding-run.js';
import { forgottenDeploymentError } from './follow-forgotten.js';
import { type FollowPeak, judgeFollowedRouting, readRouting } from './follow-hand-move.js';
import { endOverKeptMove } from './follow-kept-move.js';
import { beatLateClaim, claimLateStart, type LateClaim } from './follow-late-start.js';
import { endedUnreadError, lostContactError } from './follow-lost.js';
import {
  describeBoundSpent,
  describeReadRetry,
  isReadBoundSpent,
  type ReadFailures,
} from './follow-read-retry.js';
import { markRollbackDecided, unmarkRollbackDecided } from './follow-rollback-mark.js';
import { settleFollowedEnd } from './follow-settle.js';

export type { FollowDeps, FollowRequest, FollowResult } from './follow-codedeploy-types.js';

export async function followCodeDeploy(deps: FollowDeps, req: FollowRequest): Promise<FollowResult> {
  const seen: Seen = { stopAsked: false, stopTaken: false };
  try {
    return await follow(deps, req, seen);
  } catch (error) {
    // Once seen running, an error of CodeDeploy's leaves it moving the alias unwatched
    // (follow-lost.ts); one CodeDeploy no longer knows, or a signal before any read, says so itself.
    if (isForgotten(error) || isInterrupted(error)) throw error;
    // It ended, and what failed was reading the alias after it (or closing on it): exit 1 said
    // "failed before traffic moved" while all traffic was on the new version (found by a hostile pass).
    if (seen.last && isTerminal(seen.last.status)) throw endedUnreadError(req.deploymentId, seen.last, error);
    // Never read, and refused (a permission, bad credentials): its own words say what to fix.
    if (!seen.last && !isUnanswered(error)) throw error;
    throw await lostContactError(
      deps.lambda,
      req.deploymentId,
      seen.last,
      error,
      seen,
      describeBoundSpent(seen.failures, deps.clock.now()),
    );
  }
}

/** What the wait saw: the deployment's last read, and whether it asked CodeDeploy to stop it. */
interface Seen {
  last?: DeploymentInfo;
  stopAsked: boolean;
  /** CodeDeploy answered that stop: it is stopping (with auto-rollback). */
  stopTaken: boolean;
  /** The reads that failed in a row since the last one answered (follow-read-retry.ts). */
  failures?: ReadFailures;
}

/** No answer, or none but errors of AWS's own: CodeDeploy could not be asked. */
function isUnanswered(error: unknown): boolean {
  return isLshiftError(error) && ['NETWORK_ERROR', 'THROTTLED', 'AWS_ERROR'].includes(error.code);
}

/** Ctrl-C before anything was read ends the wait as it always did (nothing to stop). */
function isInterrupted(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'INTERRUPTED';
}

function isForgotten(error: unknown): boolean {
  if (isForgottenByCodeDeploy(error)) return true;
  return (
    isLshiftError(error) &&
    (error.code === 'CODEDEPLOY_DEPLOYMENT_FORGOTTEN' || error.code === 'CODEDEPLOY_DEPLOYMENT_NOT_FOUND')
  );
}

async function follow(deps: FollowDeps, req: FollowRequest, seenBy: Seen): Promise<FollowResult> {
  const { deploymentId: id } = req;
  // The signal was obeyed: from then on reads and sleeps no longer listen to it.
  let obeyed = false;
  let stopped = false;
  let seen = '';
  let last: DeploymentInfo | undefined;
  // The rollback lshift decided is left to its live run: asked again at every poll, not only at the end.
  let leftToRun = false;
  // Who that run is, once left to it: a StopDeployment that then ends the deployment is its own.
  let followedRun: string | undefined;
  // Its record, while that run lives: at CodeDeploy's end, followed until that run closes it.
  let decidedLive: DeploymentRecord | undefined;
  // The record of a deployment CodeDeploy started after its run ended, claimed by this wait.
  let claim: LateClaim | undefined;
  let liveWait = false;
  // The record as it was before this wait marked it `rolling-back` for its stop (follow-rollback-mark.ts).
  let unmarked: DeploymentRecord | undefined;
  const obey = async (info: DeploymentInfo | undefined): Promise<FollowResult | undefined> => {
    if (req.onInterrupt === 'leave') return left(id, info);
    obeyed = true;
    seenBy.stopAsked = true;
    unmarked = await markRollbackDecided(deps, info);
    stopped = await stop(deps, id);
    seenBy.stopTaken = stopped;
    // Ended on its own first: nothing of lshift's decided how it ended.
    if (!stopped && unmarked && info) await unmarkRollbackDecided(deps, info, unmarked);
    if (!stopped) unmarked = undefined;
    return undefined;
  };
  // Since when no read has answered: a throttle or a reset is tried again, within a bound.
  let answeredAt = deps.clock.now();
  // What CodeDeploy was seen giving the new version: a person's move is told from it (follow-hand-move.ts).
  const peak: FollowPeak = { percent: 0 };
  for (;;) {
    // The alias before the status, as a deploy's follow reads them; once the target is known.
    const routing = last?.target && !obeyed ? await readRouting(deps, last.target) : undefined;
    let info: DeploymentInfo | undefined;
    try {
      info = await readUnlessInterrupted(deps, id, obeyed ? undefined : req.signal);
    } catch (error) {
      const failures = { since: answeredAt, tries: (seenBy.failures?.tries ?? 0) + 1 };
      seenBy.failures = failures;
      if (!isUnanswered(error) || isReadBoundSpent(failures, deps.clock.now())) throw error;
      logWarn(deps, describeReadRetry(id, error, failures, deps.clock.now()), 'codedeploy');
      const slept = await sleep(deps.clock, req.pollSeconds, obeyed ? undefined : req.signal);
      if (!obeyed && (req.signal?.aborted || !slept)) {
        const leaving = await obey(last);
        if (leaving) return leaving;
      }
      continue;
    }
    if (info) {
      answeredAt = deps.clock.now();
      delete seenBy.failures;
    }
    if (!info) {
      // Ctrl-C abandoned this poll's read: act on the signal as if it had come between polls.
      const leaving = await obey(last);
      if (leaving) return leaving;
      continue;
    }
    req.onRead?.(info);
    const first = !last;
    if (first && info.target) req.onTarget?.(info.target);
    last = info;
    seenBy.last = info;
    if (info.status !== seen) {
      seen = info.status;
      logInfo(deps, `codedeploy: ${id} ${info.status}`);
    }
    // lshift decided to roll it back: never followed to a promotion, whatever CodeDeploy does.
    // Another wait's live claim is looked at again each poll: taken over once that wait is gone.
    if ((first || liveWait) && info.target && !isTerminal(info.status)) {
      const look = await claimLateStart(deps, info, info.target);
      claim = look && 'claim' in look ? look.claim : undefined;
      liveWait = look !== undefined && 'liveWait' in look;
    } else if (claim && !isTerminal(info.status)) await beatLateClaim(claim);
    // Its own mark before its stop is no other run's decision: its end is settled as its stop's.
    if ((first || leftToRun || isTerminal(info.status)) && info.target && !unmarked) {
      const decided = await readDecidedRecord(deps.store, info, info.target);
      if (decided && !isDecidedRollbackDriven(deps, decided, info, leftToRun))
        return endDecidedRollback(deps, req, info, info.target, decided);
      leftToRun = decided !== undefined;
      decidedLive = decided;
      if (decided) followedRun = decided.owner;
    }
    if (!obeyed && !leftToRun && info.target && info.status === 'InProgress') {
      const read = routing ?? (await readRouting(deps, info.target));
      const moved = await judgeFollowedRouting(deps, req.pollSeconds, info, read, peak, req.onKeepingMove);
      if (moved) return moved;
    }
    if (isTerminal(info.status)) {
      req.onEnd?.(info);
      // Succeeded over a move by hand lshift stopped it to keep: never a success (follow-kept-move.ts).
      const overMove = await endOverKeptMove(deps, info);
      if (overMove) return overMove;
      const settled = await settleFollowedEnd(deps, info, {
        stopped,
        tooLate: obeyed && !stopped,
        followedRun,
      });
      // Its deciding run lives and the alias is not back: never a success, that run's end awaited.
      if (decidedLive && info.target && settled.outcome !== 'rolled_back')
        return awaitDecidingRun(deps, req, info, info.target, decidedLive);
      return settled;
    }
    // Once obeyed, the (aborted) signal must not cut the sleep short: polls stay an interval apart.
    const slept = await sleep(deps.clock, req.pollSeconds, obeyed ? undefined : req.signal);
    if (!obeyed && (req.signal?.aborted || !slept)) {
      const leaving = await obey(info);
      if (leaving) return leaving;
    }
  }
}

/**
 * The deployment, or undefined when the signal abandoned the read in flight (the runtime's AWS
 * calls share it): the caller then stops or leaves the deployment as the signal asks, instead
 * of ending the wait with the read's INTERRUPTED error and the deployment still running.
 */
async function readUnlessInterrupted(
  deps: FollowDeps,
  id: string,
  signal?: AbortSignal,
): Promise<DeploymentInfo | undefined> {
  try {
    return await deps.codedeploy.getDeployment(id);
  } catch (error) {
    if (signal?.aborted) return undefined;
    // Its application or group was deleted (or the id is mistyped): the wait could never end.
    if (isForgottenByCodeDeploy(error)) throw await forgottenDeploymentError(deps, id, error, signal);
    throw error;
  }
}

/** True when CodeDeploy took the stop; false when it had ended first (a Ctrl-C a moment late). */
async function stop(deps: FollowDeps, id: string): Promise<boolean> {
  logInfo(deps, `codedeploy: stopping ${id} with auto-rollback`);
  if ((await deps.codedeploy.stopDeployment(id, true)) === 'stopping') return true;
  logInfo(deps, `codedeploy: ${id} had already ended: nothing to stop`);
  return false;
}

function left(id: string, info: DeploymentInfo | undefined): FollowResult {
  if (!info) return { deploymentId: id, outcome: 'left', statusUnread: true };
  return { deploymentId: id, status: info.status, outcome: 'left', target: info.target };
}

/** False when the signal cut the sleep short. */
async function sleep(clock: Clock, seconds: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(seconds * 1000, signal);
    return true;
  } catch {
    return false;
  }
}
