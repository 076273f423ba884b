/**
 * The end of a runner's follow of a rollback that claimed its deployment (taker-follow.ts) when
 * the last read of its record failed: an endpoint stalled past the whole follow bound. It ended
 * "taken over" (exit 5, which a pipeline reads as: someone else has it, retry later) with the
 * alias possibly still split and nobody known to drive it (h2, session 71, on the sandbox: the
 * endpoint stalled 200 s right after a person's claim). What became of that rollback is not
 * known: when the alias is split or unreadable too, unsafe (exit 4) with `lshift status` first,
 * then the rollback. The alias read here is the truth otherwise: moved whole to another version,
 * a conflict as before; all back on the stable version, the caller ends it rolled back by the
 * claimer (taker-follow.ts rolledBackByOther).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { buildFixCommand, buildRollbackCommand } from './deploy-result.js';
import { isSplit } from './record-view.js';
import type { ShiftContext } from './shift-context.js';
import { buildResult } from './shift-result.js';

/**
 * Unsafe (state unknown) when the alias is split or unreadable; undefined when it is whole.
 * `unread`: what did not answer — the record at the end of the follow, or the alias beside a
 * taker's record that says it failed or left a split someone made (taker-follow.ts judgeAfterClaim),
 * or beside one that says it rolled back, unread through the whole follow.
 */
export function stopStateUnknown(
  ctx: ShiftContext,
  claim: DeploymentRecord | undefined,
  aliasState: DeployResult['aliasState'],
  unread: 'record' | 'alias' | 'alias-rolled-back',
): DeployResult | undefined {
  if (aliasState && !isSplit(aliasState.additionalWeights)) return undefined;
  const { functionName, alias } = ctx.req;
  return buildResult(ctx, 'unsafe', {
    ...(aliasState ? { aliasState } : {}),
    cause: causeOf('TAKEN_OVER', { ...(claim ? { by: claim.owner } : {}), stateUnknown: unread }),
    fixCommand: buildFixCommand(functionName, alias, ctx.recorder.current().stableVersion),
    rollbackCommand: buildRollbackCommand(functionName, alias),
  });
}

/**
 * taker-follow.ts judgeAfterClaim: the claimer's record says it rolled this deployment back, and the alias read
 * failed. Read again at the next poll inside the bound; at its end, state unknown (exit 4).
 */
export const ALIAS_UNREAD = 'alias-unread' as const;

/** This deployment, closed `rolled-back` by someone else's rollback (same stable version). */
export function isClosedRolledBackBy(ours: DeploymentRecord, stored: DeploymentRecord): boolean {
  return (
    stored.id === ours.id &&
    stored.owner !== ours.owner &&
    stored.stableVersion === ours.stableVersion &&
    stored.phase === 'rolled-back'
  );
}
