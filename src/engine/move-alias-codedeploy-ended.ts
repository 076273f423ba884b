/**
 * `lshift alias` over an unfinished CodeDeploy record whose deployment AWS CodeDeploy says has
 * ended (Succeeded, Failed, Stopped): nothing of that deployment moves the alias any more, unless
 * CodeDeploy's own rollback deployment of it still runs (it puts the alias back on its own
 * schedule and would undo the move). The move was refused whatever CodeDeploy said, leaving
 * `lshift wait <id>` or `lshift rollback` as the only ways out (session 67's note).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RollbackInfo.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import { lookUpGroup } from './codedeploy-group.js';
import { isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { CLOCK_SKEW_ALLOWANCE_MS } from './follow-schedule.js';

/**
 * An ended deployment leaves the alias to a move (`free`), or why not; `retryAt` (epoch ms) when
 * only time decides (a rollback CodeDeploy may not have created yet): the move may go ahead then.
 */
export type EndedJudgement = { free: true } | { free: false; why: string; retryAt?: number };

/**
 * How long after a Stopped or Failed deployment's completeTime CodeDeploy may still create its
 * rollback. Neither StopDeployment's autoRollbackEnabled nor the moment the rollback is created is
 * readable afterwards (API_StopDeployment, API_RollbackInfo: rollbackDeploymentId appears once it
 * exists), so a stop or failure this recent with no rollback named is not known to be without one.
 * CodeDeploy creates it within seconds; five minutes is a margin, not a measurement.
 */
export const ROLLBACK_START_GRACE_MS = 5 * 60_000;

/**
 * Free when CodeDeploy's rollback of the ended deployment (its rollbackInfo, and the group's
 * unfinished deployments naming it as their rollbackTriggeringDeploymentId: CodeDeploy may start
 * the rollback a moment after the stop) is not running. Anything unread is not free.
 */
export async function judgeEndedForMove(
  codedeploy: CodeDeployPort,
  info: DeploymentInfo,
  now: number | undefined,
  /** What lshift's record says of its own stop without rollback (ownKeepStop): no window after it. */
  ownStop?: OwnKeepStop,
): Promise<EndedJudgement> {
  const found = await findRollbackOf(codedeploy, info);
  if (found.kind !== 'none') return { free: false, why: found.why };
  if (info.rollback?.deploymentId || (ownStop === 'seen-to-end' && info.status === 'Stopped'))
    return { free: true };
  const judged = judgeRollbackWindow(info, now);
  if (judged.free || ownStop !== 'unconfirmed' || info.status !== 'Stopped') return judged;
  return {
    ...judged,
    why: `${judged.why} (lshift's own stop of it, without its rollback, was not seen to end: whether this Stopped is that stop, or another one with a rollback to come, is not known)`,
  };
}

/**
 * CodeDeploy's rollback deployment of the ended deployment, when it runs (its rollbackInfo, or the
 * group's unfinished deployments naming it as their rollbackTriggeringDeploymentId: CodeDeploy may
 * start it a moment after the stop); `unread` when that could not be read; `none` otherwise.
 */
export async function findRollbackOf(
  codedeploy: CodeDeployPort,
  info: DeploymentInfo,
): Promise<{ kind: 'running' | 'unread'; why: string } | { kind: 'none' }> {
  const rollback = info.rollback?.deploymentId;
  if (rollback) {
    const rb = await codedeploy.getDeployment(rollback).catch((error: unknown) => describeError(error));
    if (typeof rb === 'string')
      return { kind: 'unread', why: `its rollback deployment ${rollback} could not be read: ${rb}` };
    if (!isTerminal(rb.status)) return { kind: 'running', why: runningRollback(rollback, rb.status) };
  }
  if (!info.application || !info.group)
    return {
      kind: 'unread',
      why: 'CodeDeploy did not say which deployment group it ran in, to look for a rollback of it',
    };
  const group = { application: info.application, group: info.group };
  const lookup = await lookUpGroup(codedeploy, group, undefined).catch((error: unknown) =>
    describeError(error),
  );
  if (typeof lookup === 'string')
    return {
      kind: 'unread',
      why: `whether a CodeDeploy rollback of it runs on deployment group ${group.group} could not be read: ${lookup}`,
    };
  const running = lookup.others.find((d) => d.rolledBackDeploymentId === info.id);
  return running ? { kind: 'running', why: runningRollback(running.id, running.status) } : { kind: 'none' };
}

/**
 * lshift's record of the deployment says lshift stopped it WITHOUT its rollback, to keep a person's
 * move (record-view.ts isKeepMoveUnconfirmed): `seen-to-end` when its run or wait saw CodeDeploy take
 * that stop and end (`r=@ko`: CodeDeploy's later step wrote over the move first); no rollback of a
 * stop sent with autoRollbackEnabled=false comes, so no window is waited (h4's pass, session 67,
 * F2: it refused five minutes). `unconfirmed` (`r=@km`): the Stopped may be someone else's stop.
 */
export type OwnKeepStop = 'seen-to-end' | 'unconfirmed';

/**
 * Stopped or Failed, no rollback of it named or running: CodeDeploy creates the rollback of a
 * stop with autoRollbackEnabled (or a failure under auto-rollback) a moment after the deployment
 * ends, and it would then move the alias over the person's move. Until ROLLBACK_START_GRACE_MS
 * (and the clock-skew allowance) after its completeTime, or when that is unread, the move waits.
 * Succeeded is never rolled back.
 */
export function judgeRollbackWindow(info: DeploymentInfo, now: number | undefined): EndedJudgement {
  if (info.status !== 'Stopped' && info.status !== 'Failed') return { free: true };
  const ended = info.completedAt;
  if (ended === undefined || now === undefined)
    return {
      free: false,
      why: `CodeDeploy did not say when it ended, and names no rollback of it: one may still be created (a stop with auto-rollback, a failure under auto-rollback) and would undo a move by hand`,
    };
  // This machine's clock against CodeDeploy's completeTime: a clock a little fast must not end
  // the window early (follow-schedule.ts's allowance).
  const retryAt = ended + ROLLBACK_START_GRACE_MS + CLOCK_SKEW_ALLOWANCE_MS;
  if (now >= retryAt) return { free: true };
  const ago = Math.max(0, Math.round((now - ended) / 1000));
  return {
    free: false,
    why: `it ended ${ago} s ago and CodeDeploy names no rollback of it yet: when it was stopped with auto-rollback (or failed under auto-rollback) CodeDeploy creates that rollback a moment after, and it would undo a move by hand`,
    retryAt,
  };
}

function runningRollback(id: string, status: string): string {
  return `AWS CodeDeploy's rollback deployment ${id} of it is ${status}: it puts the alias back on its own and would undo a move by hand`;
}
