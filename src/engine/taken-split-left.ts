/**
 * A rollback that took this deployment over while its runner still shifted it (a person's `lshift
 * rollback`, a check) and ended with the alias split: it met a split someone made and left it
 * (`rolled-back (weights changed by hand)`, `moved by hand to a split`: rollback-hand-close.ts), or
 * it failed there. That rollback's own process exits 4 with the fix; this runner said "taken
 * over" (a conflict, exit 5: "someone else holds it, retry later") over a split nobody drives any
 * more — and a CI job sees only this runner's exit code. DESIGN.md §6 lets only exit 4 leave an
 * alias split, with the alias and the fix: unsafe, TAKEN_OVER with `splitLeft` (session 68).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { isClosedOnSplit, isSplit, WEIGHTS_BY_HAND } from './record-view.js';
import type { ShiftContext } from './shift-context.js';
import { splitLeftCommands } from './split-left-commands.js';

/**
 * How the taker left the split: `by-hand` (it met a person's split and closed the record over it)
 * or `failed` (its rollback failed with the alias split). Undefined unless the stored record is
 * this deployment, ended by someone else, and the alias (the truth) is split.
 */
export function judgeTakerLeftSplit(
  ours: DeploymentRecord,
  stored: DeploymentRecord,
  aliasState: DeployResult['aliasState'],
): 'by-hand' | 'failed' | undefined {
  if (!aliasState || !isSplit(aliasState.additionalWeights)) return undefined;
  return takerRecordLeftSplit(ours, stored);
}

/**
 * What the taker's record says, the alias unread: this deployment, ended by someone else failed,
 * or closed over a split someone made. With the alias unreadable that split may still stand
 * (follow-unreadable-end.ts: state unknown, exit 4).
 */
export function takerRecordLeftSplit(
  ours: DeploymentRecord,
  stored: DeploymentRecord,
): 'by-hand' | 'failed' | undefined {
  if (stored.id !== ours.id || stored.owner === ours.owner || stored.engine === 'codedeploy')
    return undefined;
  if (stored.phase === 'failed') return 'failed';
  const byHand = stored.endReason === WEIGHTS_BY_HAND || isClosedOnSplit(stored);
  return stored.phase === 'rolled-back' && byHand ? 'by-hand' : undefined;
}

/** The unsafe result's parts (exit 4): the alias as read, the taker named, the rollback that puts it back. */
export function takerLeftSplitParts(
  ctx: Pick<ShiftContext, 'req' | 'cursor'>,
  stored: DeploymentRecord,
  aliasState: NonNullable<DeployResult['aliasState']>,
  left: 'by-hand' | 'failed',
): Partial<DeployResult> {
  return {
    aliasState,
    cause: causeOf('TAKEN_OVER', { splitLeft: left, by: stored.owner || 'an unknown owner' }),
    ...splitLeftCommands(ctx, 'closed', aliasState),
  };
}
