/**
 * The functions of a release whose alias someone moved while the release rolled them back (a
 * conflict of the rollback: rollback-moved-close.ts): named in the release's reason, with where
 * each alias is and that lshift left it there. The reason said only the failing function's alarm
 * (found by a hostile pass), though the release ended a conflict (exit 5) for them (unsafe, exit 4,
 * for a split left: nobody drives it).
 */
import type { DeployResult } from '../domain/events.js';
import { describeAliasState } from '../engine/deploy-result.js';
import { isSplit } from '../engine/record-view.js';

/** Moved by hand during the release's rollback (not refused beside a busy CodeDeploy group). */
export function isMovedDuringRollback(f: DeployResult): boolean {
  const cause = f.cause;
  return (
    cause?.code === 'ROLLBACK_CONFLICT' &&
    cause.data.after !== undefined &&
    !cause.data.error.startsWith('CODEDEPLOY_GROUP_BUSY')
  );
}

export function describeMovedMates(
  functions: readonly DeployResult[],
  decider: DeployResult | undefined,
): string {
  const moved = functions.filter((f) => f !== decider && isMovedDuringRollback(f));
  return moved.map((f) => `; ${describeMovedMate(f)}`).join('');
}

function describeMovedMate(f: DeployResult): string {
  const fn = f.functionName;
  const aliasFlag = f.alias === 'live' ? '' : ` --alias ${f.alias}`;
  const where = f.aliasState ? `: it routes ${describeAliasState(f.aliasState)}` : '';
  const open = f.cause?.code === 'ROLLBACK_CONFLICT' && f.cause.data.recordOpen;
  // Found by the refusal of the rollback's first write: moved before it (step-restore.ts).
  const before = f.cause?.code === 'ROLLBACK_CONFLICT' && f.cause.data.beforeRollbackWrite === true;
  const when = before ? "before the release's rollback wrote it" : 'during the rollback';
  const record = open
    ? 'its record could not be closed and still says rolling-back, which a check would finish over that move (its line says how to keep it)'
    : 'its deployment record is closed as moved by hand, so a check does not take it for an unfinished rollback';
  // A split is driven by nobody (exit 4, session 67): the way back is said, not "left to whoever moved it"
  // (the result's own command: it carries the run's target flags).
  if (!open && f.aliasState && isSplit(f.aliasState.additionalWeights))
    return `${when}, alias ${f.alias} of ${fn} was split by someone else${where}; lshift did not overwrite it and nobody drives that split: \`${f.rollbackCommand ?? `lshift rollback ${fn}${aliasFlag}`}\` puts all traffic on version ${f.fromVersion ?? 'its stable version'} over it; ${record}`;
  return `${when}, alias ${f.alias} of ${fn} was moved by someone else${where}; lshift did not overwrite it and left ${fn} to whoever moved it (\`lshift status ${fn}${aliasFlag}\` shows where its alias is); ${record}`;
}
