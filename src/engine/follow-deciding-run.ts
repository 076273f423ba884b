/**
 * `lshift wait` at CodeDeploy's end of a deployment lshift decided to roll back, whose deciding run
 * still lives (its StopDeployment held past CodeDeploy's own end, say): CodeDeploy says Succeeded
 * and the alias is on the new version — for now. The wait printed `✔ … Succeeded`, exit 0, and the
 * run then put the alias back and exited 3 (found by a hostile pass, session 61). A rollback lshift
 * decided is never reported as a success: the wait follows the record until that run closes it
 * (reported as it closed it) or is gone (the wait finishes the rollback itself, as before).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import { isOnStable } from './alias-step.js';
import { describeError, logInfo } from './emit.js';
import type { FollowDeps, FollowRequest, FollowResult } from './follow-codedeploy-types.js';
import { endDecidedRollback, isDecidedRollbackDriven } from './follow-decided-rollback.js';
import { isRollbackDecided } from './record-view.js';

/**
 * Polls the record (one read a poll, as the wait polls CodeDeploy) until the deciding run closes it
 * or is gone. A signal ends the following: the deployment has ended, nothing is left to stop, and
 * the rollback is still that run's — said, never a success (exit 4: a human looks at `status`).
 */
export async function awaitDecidingRun(
  deps: FollowDeps,
  req: FollowRequest,
  info: DeploymentInfo,
  target: AppSpecTarget,
  decided: DeploymentRecord,
): Promise<FollowResult> {
  req.onFollowingRun?.(decided.owner);
  logInfo(
    deps,
    `codedeploy: ${info.id} ended ${info.status}, but lshift decided to roll back deployment ${decided.id} and its run (${decided.owner}) is still rolling it back: following its record until that run closes it`,
  );
  let record: DeploymentRecord | undefined = decided;
  for (;;) {
    if (!(await sleep(deps, req))) return unfinished(info, target, decided, 'the wait was interrupted');
    try {
      record = deps.store ? await deps.store.read(target.functionName, target.alias) : undefined;
    } catch (error) {
      return unfinished(info, target, decided, `its record could not be read: ${describeError(error)}`);
    }
    if (!record || record.id !== decided.id)
      return unfinished(info, target, decided, 'its record was replaced');
    if (!isRollbackDecided(record)) return closedByRun(deps, info, target, record);
    if (!isDecidedRollbackDriven(deps, record, info, true))
      return endDecidedRollback(deps, req, info, target, record);
  }
}

/** The run closed its record: reported as it closed it, with the alias read now. */
async function closedByRun(
  deps: FollowDeps,
  info: DeploymentInfo,
  target: AppSpecTarget,
  record: DeploymentRecord,
): Promise<FollowResult> {
  const alias = await deps.lambda.getAlias(target.functionName, target.alias).catch(() => undefined);
  const aliasState = alias && {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  const back =
    record.phase === 'rolled-back' &&
    aliasState !== undefined &&
    isOnStable(aliasState, target.currentVersion);
  const said = `its run (${record.owner}) closed the record ${record.phase}`;
  return {
    deploymentId: info.id,
    status: info.status,
    outcome: back ? 'rolled_back' : 'unsafe',
    target,
    decidedRollback: { recordId: record.id, finished: back, said, by: record.owner },
    recordPhase: record.phase,
    ...(aliasState ? { aliasState } : {}),
  };
}

/** Left before the run closed it: CodeDeploy's end is no verdict of lshift's, the alias is that run's. */
function unfinished(
  info: DeploymentInfo,
  target: AppSpecTarget,
  record: DeploymentRecord,
  why: string,
): FollowResult {
  return {
    deploymentId: info.id,
    status: info.status,
    outcome: 'unsafe',
    target,
    decidedRollback: {
      recordId: record.id,
      finished: false,
      said: `its run (${record.owner}) was still rolling it back when ${why}`,
      by: record.owner,
    },
  };
}

/** False when the signal cut the sleep short. */
async function sleep(deps: FollowDeps, req: FollowRequest): Promise<boolean> {
  if (req.signal?.aborted) return false;
  try {
    await deps.clock.sleep(req.pollSeconds * 1000, req.signal);
    return true;
  } catch {
    return false;
  }
}
