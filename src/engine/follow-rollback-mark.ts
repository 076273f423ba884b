/**
 * `lshift wait`'s Ctrl-C stops the deployment WITH its rollback. Its record said nothing of that
 * decision: a stop that failed (timed out, its answer lost) and that CodeDeploy took later read, to
 * a later wait, status and history, as "stopped from outside this run (… or another operator)"
 * (h4's pass, session 67). The open record naming the deployment is marked `rolling-back` (cause
 * INTERRUPTED) before the stop, as a deploy's run marks its own before its rollback: a later wait
 * finishes that rollback as lshift's (follow-decided-rollback.ts), status says lshift decided it.
 * Not a record another live run follows (that run's to write), one already decided, or one with a
 * keep-move mark (lshift's stop without rollback: record-view.ts isKeepMoveUnconfirmed).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import { describeError, logWarn } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type { FollowDeps } from './follow-codedeploy-types.js';
import { liveFollowerOf } from './follow-live-owner.js';
import { isRollbackDecided } from './record-view.js';

/** Marks the record before the wait's stop with rollback: the record as it was, when marked. */
export async function markRollbackDecided(
  deps: FollowDeps,
  info: DeploymentInfo | undefined,
): Promise<DeploymentRecord | undefined> {
  const target = info?.target;
  if (!info || !target || !deps.store) return undefined;
  try {
    const record = await deps.store.read(target.functionName, target.alias);
    if (!record || record.endedAt !== undefined || !namesDeployment(record, info)) return undefined;
    if (isRollbackDecided(record) || record.endReason !== undefined) return undefined;
    const view = { now: deps.clock.now(), owner: deps.rollback?.owner, processes: deps.rollback?.processes };
    if (record.owner !== deps.follower && liveFollowerOf(record, view) !== undefined) return undefined;
    await deps.store.write(target.functionName, target.alias, {
      ...record,
      codeDeployId: info.id,
      phase: 'rolling-back',
      cause: { code: 'INTERRUPTED' },
    });
    return record;
  } catch (error) {
    logWarn(deps, `could not mark the deployment record: ${describeError(error)}`, 'record');
    return undefined;
  }
}

/** The stop found it ended on its own first (nothing stopped): the record as it was, when still our mark. */
export async function unmarkRollbackDecided(
  deps: FollowDeps,
  info: DeploymentInfo,
  before: DeploymentRecord,
): Promise<void> {
  const target = info.target;
  if (!target || !deps.store) return;
  try {
    const record = await deps.store.read(target.functionName, target.alias);
    if (!record || record.id !== before.id || record.endedAt !== undefined || record.phase !== 'rolling-back')
      return;
    await deps.store.write(target.functionName, target.alias, { ...before, codeDeployId: info.id });
  } catch (error) {
    logWarn(deps, `could not unmark the deployment record: ${describeError(error)}`, 'record');
  }
}
