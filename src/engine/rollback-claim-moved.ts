/**
 * A person's `lshift rollback` that claimed a deployment (its runner, alive, then stopped writing:
 * "taken over by rollback:…") and was then refused because someone had moved the alias to a
 * version the deployment never wrote (record-trust.ts movedByHandRefusal: NOTHING_TO_ROLL_BACK)
 * put its claim back: the record said `shifting` under a runner that had exited, and `status`
 * said STALLED (found by a hostile pass, session 62). The runner would have closed it as moved by
 * hand at its next alias read; the claim stopped it, so the claimer closes it so instead
 * (rollback-hand-close.ts), and the refusal says the move is kept and the deployment closed.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, PreflightError } from '../domain/errors.js';
import { isMovedByHand } from './record-trust.js';
import { closeRecordMovedByHand } from './rollback-hand-close.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';

/** The refusal with its close said, when the claimed record was closed as moved by hand; else undefined. */
export async function closeClaimMovedByHand(
  deps: RollbackDeps,
  req: RollbackRequest,
  claim: { claimed: DeploymentRecord; before: DeploymentRecord },
  error: unknown,
): Promise<PreflightError | undefined> {
  if (!isLshiftError(error) || error.code !== 'NOTHING_TO_ROLL_BACK' || req.to !== undefined)
    return undefined;
  const alias = await deps.lambda.getAlias(req.functionName, req.alias).catch(() => undefined);
  if (!alias || !isMovedByHand(claim.before, deps.clock.now(), alias)) return undefined;
  const close = await closeRecordMovedByHand(deps, req, claim.claimed);
  if (close.kind !== 'closed') return undefined;
  const { functionName: fn, alias: name } = req;
  const how = `${close.closed.phase}${close.closed.endReason ? ` (${close.closed.endReason})` : ''}`;
  return new PreflightError(
    'NOTHING_TO_ROLL_BACK',
    `${error.message} The move is kept: deployment ${claim.before.id} is closed as ${how}, as its runner would have closed it (this rollback's claim had stopped it).`,
    {
      hint: `To put all traffic on its stable version ${claim.before.stableVersion} instead: \`lshift rollback ${fn} --alias ${name} --to ${claim.before.stableVersion}\`.`,
      context: error.context,
    },
  );
}
