/**
 * A rollback whose write met a 412 and found all traffic already on its destination (rollback.ts):
 * the goal reached, not a conflict.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import type { AliasState } from './alias-step.js';
import { isFinished } from './record-view.js';
import { closeRecordRolledBack, readRollbackRecord, summarizeRecord } from './rollback-record.js';
import type { RollbackResult } from './rollback-result.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';
import { coolDown } from './warm.js';

/**
 * The write was refused (412) and the re-read found all traffic already on `to`: an earlier
 * write of ours whose answer was lost, or a twin `lshift rollback`, got there first. That is
 * the goal reached, not a conflict. The record is closed only if it is still this deployment's
 * and unchanged since it was read: whoever moved the alias may have closed it already, or
 * started a new deployment since.
 */
export async function landedElsewhere(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord | undefined,
  to: string,
  result: (cause: OutcomeCause, aliasState: AliasState, extra: Partial<RollbackResult>) => RollbackResult,
): Promise<RollbackResult> {
  const aliasState: AliasState = { functionVersion: to, additionalWeights: {} };
  const fresh = record && (await readRollbackRecord(deps, req, true));
  const ours =
    record && fresh?.id === record.id && fresh.phase === record.phase && fresh.phase !== 'rolled-back';
  if (ours) {
    await closeRecordRolledBack(deps, req, fresh, to, deps.clock.now());
    // As after our own write: a crashed `deploy --warm`'s provisioned concurrency is billed until removed.
    if (fresh.warm !== undefined && !isFinished(fresh))
      await coolDown(deps, { functionName: req.functionName, version: fresh.targetVersion }, fresh.warm);
  }
  const closed = ours ? summarizeRecord(fresh) : undefined;
  const release = ours && fresh.releaseId ? { releaseId: fresh.releaseId } : {};
  const finishedBy = ours ? undefined : finisherOf(deps, req, record, fresh);
  return result(
    causeOf('NOTHING_TO_DO', {
      landed: true,
      ...(closed ? { closed } : {}),
      ...(finishedBy ? { finishedBy } : {}),
    }),
    aliasState,
    release,
  );
}

/**
 * The deployment this rollback read, closed rolled back since by someone else: its own runner
 * (the one the claim stopped, which rolled back itself over the claim during a stalled endpoint:
 * h1, session 70) or another actor. The words said only "Nothing to roll back … (412)", as if
 * there had been nothing to do.
 */
function finisherOf(
  deps: RollbackDeps,
  req: RollbackRequest,
  record: DeploymentRecord | undefined,
  fresh: DeploymentRecord | undefined,
): { owner: string; deploymentId: string; ownRunner?: true } | undefined {
  if (!record || !fresh?.owner || fresh.id !== record.id || fresh.phase !== 'rolled-back') return undefined;
  if (fresh.owner === deps.owner || record.phase === 'rolled-back') return undefined;
  const ownRunner = req.claimedFrom !== undefined && fresh.owner === req.claimedFrom;
  return { owner: fresh.owner, deploymentId: fresh.id, ...(ownRunner ? { ownRunner: true as const } : {}) };
}
