/**
 * How `lshift status` and `lshift history` say a record closed `rolled-back` because someone moved
 * its alias by hand (record-view.ts closedByHand: a CodeDeploy deployment stopped WITHOUT its
 * rollback, a native one whose alias was put elsewhere). They led with `rolled-back (weights changed
 * by hand)` and `ROLLED BACK` while lshift had run no rollback (session 63's notes): the record's
 * phase is `rolled-back` (nothing resumes it), but what happened is a person's move.
 */
import type { DeploymentRecord } from '../../domain/deployment-record.js';
import { isClosedByHand, isHandSplitAfterRollbackDecision } from '../../engine/record-view.js';

/** A record closed rolled back because of a move by hand: lshift ran no rollback of it. */
export function isRolledBackByHand(
  record: Pick<DeploymentRecord, 'phase' | 'endedAt' | 'endReason'>,
): boolean {
  return record.phase === 'rolled-back' && isClosedByHand(record);
}

/**
 * `moved by hand (weights changed by hand; lshift ran no rollback)`, `moved by hand (to version 3;
 * lshift ran no rollback)`: the record's end reason without repeating "moved by hand". One lshift
 * had decided to roll back (its `y=`: record-view.ts isHandSplitAfterRollbackDecision) may have
 * run its rollback before a rollback hook split the alias again: `lshift had decided to roll it
 * back`, whose why the cause line below says.
 */
export function describeRolledBackByHand(
  endReason: string | undefined,
  decided = false,
  splitLeft = false,
): string {
  const detail = (endReason ?? '').replace(/^moved by hand ?/, '');
  // Its split still there and nobody driving it (split-left-closed.ts): said, or the line read as settled.
  const left = splitLeft ? ', and the split it met is still there' : '';
  return `moved by hand (${detail ? `${detail}; ` : ''}${describeWhoRolledBack(decided)}${left})`;
}

/**
 * lshift had decided to roll it back before the move it met: a split after that decision
 * (isHandSplitAfterRollbackDecision), or any move by hand its rollback met and left — moved whole,
 * or a split of versions it does not place — whose close kept why it was rolling back (`y=`:
 * rollback-moved-close.ts; no forward close writes one). It said "lshift ran no rollback" of a
 * deploy whose rollback's first write met that move (session 68).
 */
export function isDecidedBeforeHandMove(
  record: Pick<DeploymentRecord, 'phase' | 'endedAt' | 'endReason' | 'engine' | 'cause'>,
): boolean {
  if (isHandSplitAfterRollbackDecision(record)) return true;
  return isRolledBackByHand(record) && record.engine !== 'codedeploy' && record.cause !== undefined;
}

/** `lshift ran no rollback`, or `lshift had decided to roll it back` (describeRolledBackByHand). */
export function describeWhoRolledBack(decided: boolean): string {
  return decided ? 'lshift had decided to roll it back' : 'lshift ran no rollback';
}
