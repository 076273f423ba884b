/**
 * `lshift wait` of a CodeDeploy deployment whose lshift record says lshift decided to roll it back
 * (`rolling-back`, `failed`: record-view.ts isRollbackDecided) — its runner's Ctrl-C whose
 * StopDeployment was lost or refused, its runner killed in its rollback. CodeDeploy may run it on
 * to 100% meanwhile, and following it to its end closed the record `promoted`, exit 0: an operator's
 * rollback turned into a promotion (found by a hostile pass, session 60). The wait finishes that
 * rollback instead, with the code `lshift rollback` and `lshift check` run (rollbackDeployment: it
 * stops the deployment with auto-rollback, puts the alias back and closes the record); when it is
 * not given what that needs, or the rollback does not end with all traffic back, it says so and
 * names the command that finishes it (exit 4).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import type { AppSpecTarget, DeploymentInfo } from '../ports/codedeploy.js';
import type { StateStore } from '../ports/state-store.js';
import { CHECK_CLAIM_SKEW_MS, describeAge } from './check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError, logInfo } from './emit.js';
import { namesDeployment } from './follow-alias-holder.js';
import type {
  DecidedRollbackDeps,
  DecidedRollbackEnd,
  FollowDeps,
  FollowRequest,
  FollowResult,
} from './follow-codedeploy-types.js';
import { liveFollowerOf } from './follow-live-owner.js';
import { isRollbackDecided } from './record-view.js';
import { describeRollbackDone } from './rollback.js';
import { rollbackClaimed } from './rollback-claim.js';
import type { RollbackDeps } from './rollback-types.js';

/** The unfinished record on the deployment's alias that names it, when lshift decided to roll it back. Unreadable: none. */
export async function readDecidedRecord(
  store: StateStore | undefined,
  info: DeploymentInfo,
  target: AppSpecTarget,
): Promise<DeploymentRecord | undefined> {
  if (!store) return undefined;
  try {
    const record = await store.read(target.functionName, target.alias);
    return record && isRollbackDecided(record) && namesDeployment(record, info) ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The run that decided the rollback still lives (a fresh heartbeat; its pid running here: the rule
 * of check and status, follow-live-owner.ts): its StopDeployment is in flight, and the rollback is
 * its to finish. The wait claimed and rolled back beside it, two writers of one record (found by a
 * hostile pass, F4 of session 60); it follows the deployment instead, asked again at every poll
 * (`said`: it was left to that run at the poll before), and finishes the rollback as soon as that
 * run is gone. Judged once, a run killed mid-follow let CodeDeploy shift on to 100% (hours on a
 * long linear) before the wait rolled back (F4 again).
 */
export function isDecidedRollbackDriven(
  deps: FollowDeps,
  record: DeploymentRecord,
  info: DeploymentInfo,
  said = false,
): boolean {
  if (record.phase !== 'rolling-back') return false;
  const now = deps.clock.now();
  const view = { now, owner: deps.rollback?.owner, processes: deps.rollback?.processes };
  const runner = liveFollowerOf(record, view);
  if (runner === undefined) {
    if (said)
      logInfo(
        deps,
        `codedeploy: the run that was rolling back deployment ${record.id} (${record.owner}, heartbeat ${describeAge(now, record.heartbeatAt)} ago) is gone`,
      );
    return false;
  }
  if (!said)
    logInfo(
      deps,
      `codedeploy: lshift decided to roll back deployment ${record.id}, and its run ${runner}, is rolling it back (CodeDeploy deployment ${info.id} is ${info.status}): following it, leaving that rollback to its run while it lives (${describeTakeOver()})`,
    );
  return true;
}

/**
 * When the wait takes that run for gone, as check's `being rolled back by …` line says it: a
 * rolling-back record's heartbeat past the stale limit and the claim allowance (check-classify.ts
 * isRollbackAbandoned), or its pid stopped here. Unsaid, the wait looked as if it would follow
 * forever, or take over at any moment (found by a hostile pass, session 60).
 */
function describeTakeOver(): string {
  const after = formatDuration((DEFAULT_STALE_AFTER_SECONDS * 1000 + CHECK_CLAIM_SKEW_MS) / 1000);
  return `if it stops, this wait finishes the rollback once its heartbeat is over ${after} old`;
}

/**
 * Runs the rollback the record decided, as `lshift rollback <function> --alias <alias>` does
 * (rollbackClaimed: the claim, a rival's wait, the stop with auto-rollback, the record closed).
 * `rollback` absent (a caller that cannot move traffic): nothing is done, and the end says so.
 */
export async function finishDecidedRollback(
  deps: Omit<RollbackDeps, 'trafficFor' | 'processes' | 'traffic'> & { rollback?: DecidedRollbackDeps },
  target: AppSpecTarget,
  record: DeploymentRecord,
): Promise<DecidedRollbackEnd> {
  const recordId = record.id;
  const { rollback, store, ...rest } = deps;
  if (!rollback || !store) return { recordId, finished: false, said: 'this wait cannot move traffic' };
  try {
    // Claimed first, as `lshift rollback` and a check do: never two rollbacks of one alias at once.
    const result = await rollbackClaimed(
      { ...rest, store, ...rollback },
      {
        functionName: target.functionName,
        alias: target.alias,
        // No signal: a Ctrl-C of the wait asks for this very rollback.
        reason: `finishing the rollback lshift decided for deployment ${recordId} (lshift wait)`,
      },
    );
    const finished = result.status === 'rolled_back' || result.status === 'nothing_to_deploy';
    const back = { functionVersion: result.toVersion ?? record.stableVersion, additionalWeights: {} };
    const aliasState = finished ? back : result.aliasState;
    return { recordId, finished, said: describeRollbackDone(result), ...(aliasState ? { aliasState } : {}) };
  } catch (error) {
    return { recordId, finished: false, said: `the rollback failed: ${describeError(error)}` };
  }
}

/** The rollback lshift decided, finished here; CodeDeploy's status read again after it. */
export async function endDecidedRollback(
  deps: FollowDeps,
  req: FollowRequest,
  info: DeploymentInfo,
  target: AppSpecTarget,
  record: DeploymentRecord,
): Promise<FollowResult> {
  req.onFinishingRollback?.();
  logInfo(
    deps,
    `codedeploy: lshift decided to roll back deployment ${record.id} (its record is ${record.phase}), and CodeDeploy deployment ${info.id} is ${info.status}: finishing that rollback`,
  );
  const end = await finishDecidedRollback(deps, target, record);
  const status = await readStatusAfter(deps, info);
  return {
    deploymentId: info.id,
    status,
    outcome: end.finished ? 'rolled_back' : 'unsafe',
    target,
    decidedRollback: end,
    ...(end.aliasState ? { aliasState: end.aliasState } : {}),
    ...(end.finished ? { recordPhase: 'rolled-back' as const } : {}),
  };
}

/** CodeDeploy's status once the rollback ran (it stops a running deployment); unreadable: as read before. */
async function readStatusAfter(deps: FollowDeps, info: DeploymentInfo): Promise<DeploymentInfo['status']> {
  try {
    return (await deps.codedeploy.getDeployment(info.id)).status;
  } catch {
    return info.status;
  }
}
