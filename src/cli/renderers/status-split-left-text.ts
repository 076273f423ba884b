/**
 * `lshift status`'s STALLED lines of a split someone made that lshift's deployment left and nothing
 * drives: after lshift decided to roll it back, or met mid-shift and its record closed over it.
 */
import { buildFixCommand, describeAliasState } from '../../engine/deploy-result.js';
import { isClosedByHand, isFinished, isHandSplitAfterRollbackDecision } from '../../engine/record-view.js';
import {
  describeSplitLeftClosed as describeClosed,
  isSplitLeftClosed,
} from '../../engine/split-left-closed.js';
import { buildSplitRollbackCommand } from '../../engine/split-left-commands.js';
import type { AliasStatus } from '../../engine/status.js';

/**
 * lshift decided to roll it back and someone split its alias (record-view.ts
 * isHandSplitAfterRollbackDecision): nothing drives the split and `deploy --resume` refuses it;
 * the rollback is the only way out lshift offers, and it is the person's to run (exit 4).
 */
export function describeSplitAfterRollbackDecision(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  const { functionName: fn, alias } = status;
  return [
    `    STALLED: lshift decided to roll it back and the alias was split by someone else (a hook, or a person); nothing drives that split, lshift leaves it as it is, and \`deploy --resume\` refuses this deployment`,
    `    to put all traffic back on version ${record.stableVersion}: \`lshift rollback ${fn} --alias ${alias}\` (or by hand: \`${buildFixCommand(fn, alias, record.stableVersion)}\`)`,
  ];
}

/**
 * A person's split its run met and left, its record closed (split-left-closed.ts: a split of
 * versions it does not place, or a CodeDeploy deployment stopped to keep one): the deploy and
 * `lshift wait` exited 4 for it, and status said "split by hand: no lshift shift is in progress",
 * exit 0 (session 68). The rollback it offers is the deploy's.
 */
export function describeSplitLeftClosed(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  const { what, fix } = describeClosed(status, record, status);
  return [`    STALLED: ${what}`, `    ${fix}`];
}

/**
 * A single deployment whose rollback failed, its alias since split by someone onto versions it
 * never wrote (3 (70%) + 1 (30%) over a 1 → 2 deployment): status offered \`lshift alias … <version>\`
 * with no version and no label, while \`deploy --resume\` and a new deploy offered \`rollback --to 1\`
 * (session 69). The \`--to\` rollback is the one that undoes it: it puts all traffic on its stable
 * version and closes the record (a plain one refuses that split: NOTHING_TO_ROLL_BACK). Exit 4 (status-needs-operator.ts).
 */
export function isFailedThenSplitElsewhere(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): boolean {
  return (
    record.phase === 'failed' &&
    record.engine !== 'codedeploy' &&
    record.releaseId === undefined &&
    record.movedAway === 'elsewhere' &&
    status.split
  );
}

export function describeFailedThenSplitElsewhere(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string[] {
  const { functionName: fn, alias } = status;
  const rollback = buildSplitRollbackCommand(status, record, status);
  return [
    `    ROLLBACK FAILED, THEN MOVED BY SOMEONE ELSE: its rollback failed, and someone has since split the alias onto versions this deployment never wrote (${describeAliasState(status)}); nothing drives that split, and lshift leaves it as it is`,
    `    to put all traffic back on version ${record.stableVersion}: \`${rollback}\` (it closes the record; or by hand: \`${buildFixCommand(fn, alias, record.stableVersion)}\`)`,
  ];
}

/**
 * The routing line. A split its deployment closed over as moved by hand is nobody's shift (found by
 * a hostile pass); one it met and left, still split, is said as left, not as "no lshift shift is in
 * progress", which read as nothing to do above its STALLED line (session 68). So is one split by
 * someone after lshift decided to roll it back (a release member's own split among them), which
 * status also calls STALLED (session 69).
 */
export function describeRouting(status: AliasStatus): string {
  if (!status.split) return `all traffic on version ${status.functionVersion}`;
  const record = status.record;
  if (isSplitLeftClosed(status, record) || (record && isHandSplitAfterRollbackDecision(record)))
    return `${describeAliasState(status)} (split by hand, left by deployment ${record?.id}: nobody drives it)`;
  if (record && isFailedThenSplitElsewhere(status, record))
    return `${describeAliasState(status)} (split by someone else after deployment ${record.id}'s rollback failed: nobody drives it)`;
  if (record && isFinished(record) && isClosedByHand(record))
    return `${describeAliasState(status)} (split by hand: no lshift shift is in progress)`;
  return `${describeAliasState(status)} (split: a shift is in progress or was abandoned)`;
}
