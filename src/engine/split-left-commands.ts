/** The fix of a split left with its record closed (rollback-moved-close.ts, settle.ts, taken-split-left.ts). */
import type { DeployResult } from '../domain/events.js';
import { buildRestoreCommand, buildRollbackCommand, runningDeploymentOf } from './deploy-result.js';
import { isSplit } from './record-view.js';
import type { ShiftContext } from './shift-context.js';

/** How a rollback that met its alias moved left the record (rollback-moved-close.ts). */
export type MovedClose = 'closed' | 'taken-over' | 'open';

/**
 * A split someone made, left split with the record closed: nobody drives it, and the way back is
 * the result's fix, as any unsafe result's is (`--json`, the release's rows, the step summary and
 * its `::error` read these fields; they carried none, the text alone said `lshift rollback`). An
 * open record's words offer keeping the move too (cli/describe-rollback-failure.ts): no fix field.
 */
export function splitLeftCommands(
  ctx: Pick<ShiftContext, 'req' | 'cursor'>,
  close: MovedClose,
  aliasState: DeployResult['aliasState'],
): Pick<DeployResult, 'fixCommand' | 'rollbackCommand'> {
  if (close !== 'closed' || aliasState === undefined || !isSplit(aliasState.additionalWeights)) return {};
  const { req, cursor } = ctx;
  const target = { functionName: req.functionName, alias: req.alias, version: cursor.stableVersion };
  return {
    fixCommand: buildRestoreCommand(target, runningDeploymentOf(cursor)),
    rollbackCommand: buildSplitRollbackCommand(target, cursor, aliasState),
  };
}

/**
 * `lshift rollback` that puts all traffic on the stable version over a split. A split of other
 * versions than this deployment's two: `lshift rollback` without `--to` refuses to guess
 * (NOTHING_TO_ROLL_BACK, exit 2: "version 1 is neither of the last deployment's versions"), so the
 * fix names the stable version (seen by hand, session 67). Status and check offer the same
 * (split-left-closed.ts).
 */
export function buildSplitRollbackCommand(
  at: { functionName: string; alias: string },
  versions: { stableVersion: string; targetVersion: string },
  aliasState: { functionVersion: string; additionalWeights: Record<string, number> },
): string {
  const ownPair =
    aliasState.functionVersion === versions.stableVersion &&
    Object.keys(aliasState.additionalWeights).every((v) => v === versions.targetVersion);
  return buildRollbackCommand(at.functionName, at.alias, ownPair ? undefined : versions.stableVersion);
}
