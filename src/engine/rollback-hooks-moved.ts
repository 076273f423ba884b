/**
 * After the rollback hooks of a rollback that put (or found) all traffic on the stable version:
 * the alias read again before the result says so. A rollback hook is a command of the user's; one
 * that moved the alias (a split, the new version) left the deploy saying "all traffic is on
 * version 10" (or "unchanged"), exit 3, and `status` and `check` 0 over the split (found by a
 * hostile pass). Moved: someone else's, left where it is (a conflict, exit 5, moved whole; a split
 * is unsafe, exit 4; the record closed as moved by hand: rollback-moved-close.ts). Unread: unknown, exit 4.
 */

import { isLshiftError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { isOnStable, observeAlias } from './alias-step.js';
import {
  buildRestoreCommand,
  buildRollbackCommand,
  describeAliasState,
  runningDeploymentOf,
} from './deploy-result.js';
import { describeError, logWarn } from './emit.js';
import { closeMovedDuringRollback, movedStatus } from './rollback-moved-close.js';
import type { ShiftContext } from './shift-context.js';
import { splitLeftCommands } from './split-left-commands.js';

export async function confirmAfterRollbackHooks(
  ctx: ShiftContext,
  result: DeployResult,
): Promise<DeployResult> {
  if (result.status !== 'rolled_back') return result;
  const { cursor, req } = ctx;
  const after = result.cause;
  let alias: Awaited<ReturnType<typeof ctx.deps.lambda.getAlias>>;
  try {
    alias = await ctx.deps.lambda.getAlias(cursor.functionName, cursor.alias);
  } catch (error) {
    return {
      ...result,
      status: 'unsafe',
      aliasState: { ...cursor.aliasState },
      fixCommand: buildRestoreCommand(
        {
          functionName: req.functionName,
          alias: req.alias,
          version: cursor.stableVersion,
        },
        runningDeploymentOf(cursor),
      ),
      rollbackCommand: buildRollbackCommand(req.functionName, req.alias),
      cause: causeOf('ROLLBACK_FAILED', {
        attempts: 1,
        error: describeError(error),
        ...(isLshiftError(error) ? { errorCode: error.code } : {}),
        aliasUnread: 'after-hooks',
        ...(after ? { after } : {}),
      }),
      endedAt: ctx.deps.clock.now(),
    };
  }
  // Deleted since: nothing is routed anywhere; the rollback's own words stand.
  if (!alias) return result;
  observeAlias(cursor, alias);
  if (isOnStable(cursor.aliasState, cursor.stableVersion)) return result;
  const aliasState = { ...cursor.aliasState };
  const close = await closeMovedDuringRollback(ctx, aliasState, after);
  const open = close === 'open' ? { recordOpen: true as const } : {};
  const done = ctx.trafficMoved ? "lshift's rollback" : 'lshift stopped';
  const error = `alias ${req.alias} was moved after ${done}, while the rollback hooks ran (by a hook, or by someone meanwhile): it routes ${describeAliasState(aliasState)}, not all traffic to version ${cursor.stableVersion}. lshift does not write over that move; to put all traffic back on version ${cursor.stableVersion}, run \`lshift rollback ${req.functionName} --alias ${req.alias}\``;
  logWarn(ctx.deps, error, 'alias');
  return {
    ...result,
    status: movedStatus(close, aliasState),
    aliasState,
    ...splitLeftCommands(ctx, close, aliasState),
    cause: causeOf('ROLLBACK_CONFLICT', { error, ...(after ? { after } : {}), ...open }),
    endedAt: ctx.deps.clock.now(),
  };
}
