/**
 * A rollback's restore (settle-rollback.ts): all traffic back on the stable version, by the
 * rollback program, and the line its end is told by.
 */

import { isLshiftError } from '../domain/errors.js';
import { planRollback } from '../domain/release-program.js';
import { isOnStable, observeAlias } from './alias-step.js';
import { describeAliasState } from './deploy-result.js';
import { describeError, emitEvent } from './emit.js';
import { runProgram } from './interpreter.js';
import { ownRoutingOf } from './own-routing.js';
import { ownLateWriteOf } from './rollback-late-own-write.js';
import type { ShiftContext } from './shift-context.js';
import { warnRestoreRetry } from './step-restore.js';

export type RestoreEnd = Awaited<ReturnType<typeof runRollbackProgram>>;

/**
 * All traffic back on the stable version (nothing to write when no traffic ever moved, once a
 * read found it so: readUnmovedAlias). A function of a release its record's read or heartbeat
 * already found deleted, before any of its traffic moved (a wait of the release:
 * shift-waits.ts), is not "on its stable version": it is gone, as a restore's write would have
 * found it. `seen`: that read, already made (settle.ts, before the rollback is announced).
 */
export async function restoreStable(
  ctx: ShiftContext,
  opts: { persistMs?: number; seen?: RestoreEnd } = {},
): Promise<RestoreEnd> {
  // A resume found the alias already back (as the run it finishes left it), read just now.
  if (ctx.backOnStable) return { kind: 'restored', attempts: 0, alreadyStable: true };
  if (ctx.trafficMoved) return runRollbackProgram(ctx, opts.persistMs);
  const gone = ctx.inRelease ? ctx.recorder.goneDuringShift() : undefined;
  if (gone) return { kind: 'gone', what: 'function', message: gone.reason, index: 0 };
  return opts.seen ?? readUnmovedAlias(ctx);
}

/**
 * Where the alias is when lshift wrote none of its weights (a pre-traffic hook failed, or the
 * first weight write failed unsent): read, never taken from the preflight's view. A hook (or a
 * person during it) that moved the alias was said "unchanged, all traffic is still on version
 * 10", exit 3, with the alias on the version whose smoke test failed, and `check` then skipped it
 * (found by a hostile pass). All on the stable version: nothing to do. Anywhere else: someone
 * else moved it, and lshift does not write over a person's move (a conflict, exit 5; the record
 * is closed as moved by hand: rollback-moved-close.ts). Unread after a pre-traffic hook ran:
 * unknown, exit 4 — never "unchanged".
 */
export async function readUnmovedAlias(ctx: ShiftContext): Promise<RestoreEnd> {
  const { cursor } = ctx;
  let alias: Awaited<ReturnType<typeof ctx.deps.lambda.getAlias>>;
  try {
    alias = await ctx.deps.lambda.getAlias(cursor.functionName, cursor.alias);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND')
      return { kind: 'gone', what: 'function', message: describeError(error), index: 0 };
    // No hook ran since the preflight read it, seconds ago: only the first weight write, refused
    // (expired credentials refuse this read too). "Not started", exit 3, as documented
    // (docs/exit-codes.md#credentials-that-expire-mid-deployment), not exit 4 for that.
    // Not a function of a release: rolled back for another, its last read may be minutes old
    // (a --stagger turn that never came, the release's own hooks), and it was said "all traffic
    // is on version 1" from that read (session 66).
    if (!preHooksRan(ctx) && !ctx.inRelease)
      return {
        kind: 'restored',
        attempts: 0,
        alreadyStable: isOnStable(cursor.aliasState, cursor.stableVersion),
      };
    return {
      kind: 'unsafe',
      message: describeError(error),
      attempts: 1,
      aliasState: { ...cursor.aliasState },
      ...(isLshiftError(error) ? { errorCode: error.code } : {}),
      aliasUnread: 'before-write',
      index: 0,
    };
  }
  if (!alias)
    return {
      kind: 'gone',
      what: 'alias',
      message: `alias ${cursor.alias} of function ${cursor.functionName} was not found`,
      index: 0,
    };
  observeAlias(cursor, alias);
  if (isOnStable(cursor.aliasState, cursor.stableVersion))
    return { kind: 'restored', attempts: 0, alreadyStable: true };
  return {
    kind: 'conflict',
    message: movedUnwrittenMessage(ctx),
    aliasState: { ...cursor.aliasState },
    byHand: true,
  };
}

/** Pre-traffic hooks ran (they run before the first weight write): a command of the user's. */
function preHooksRan(ctx: ShiftContext): boolean {
  return (ctx.req.hooks?.pre?.length ?? 0) > 0;
}

function movedUnwrittenMessage(ctx: ShiftContext): string {
  const { cursor, req } = ctx;
  return `alias ${cursor.alias} was moved by someone else (a hook, or a person meanwhile) while lshift had written none of its weights: it routes ${describeAliasState(cursor.aliasState)}, not all traffic to version ${cursor.stableVersion}. lshift does not write over that move; to put all traffic back on version ${cursor.stableVersion}, run \`lshift rollback ${req.functionName} --alias ${req.alias}\``;
}

/**
 * The line a restore's end is told by: all traffic back (`rollback.completed`), or why not. A
 * release tells each as its alias write lands (release-settle.ts); a function found deleted is
 * told at its close, which dates the deletion. True when it was told.
 */
export function tellRestoreEnd(ctx: ShiftContext, outcome: RestoreEnd): boolean {
  if (outcome.kind === 'gone') return false;
  emitEvent(
    ctx.deps,
    outcome.kind === 'restored'
      ? { type: 'rollback.completed', toVersion: ctx.cursor.stableVersion }
      : {
          type: 'rollback.failed',
          message: outcome.message,
          ...(outcome.kind === 'conflict' ? { conflict: true as const } : {}),
        },
  );
  return true;
}

/** The rollback program (all traffic back on the stable version), run by the same interpreter. */
async function runRollbackProgram(ctx: ShiftContext, persistMs?: number) {
  const program = planRollback(ctx.cursor, { functionName: ctx.req.functionName, alias: ctx.req.alias });
  // A driver that waits for a service to put the alias back beats meanwhile, and so do retried
  // writes (step-restore.ts). In a release every function's record is beaten: the others wait
  // for this one before their records are closed, and a stale one looks abandoned to a check.
  const restore = {
    onPoll: async () => {
      await Promise.all([ctx, ...ctx.waitMates].map((c) => c.recorder.heartbeat(c.heartbeatMs)));
    },
    onRetry: warnRestoreRetry(ctx.deps),
    ...(persistMs !== undefined ? { persistMs } : {}),
    // A service that moves the alias itself (CodeDeploy) writes routings of its own.
    ...(ctx.traffic.ownSchedule
      ? {}
      : {
          ownRouting: ownRoutingOf(ctx),
          ownLateWrite: ownLateWriteOf(ctx),
          revisionFromShift: true as const,
        }),
  };
  const ended = await runProgram(
    { traffic: ctx.traffic, clock: ctx.deps.clock, cursor: ctx.cursor, restore },
    program,
  );
  if (ended.kind === 'done')
    return ended.restored ?? { kind: 'restored' as const, attempts: 0, alreadyStable: false };
  if (ended.kind === 'conflict')
    return {
      kind: 'conflict' as const,
      message: ended.cause,
      aliasState: ended.aliasState,
      // Someone moved the alias (not a stranger's CodeDeploy deployment on the group).
      byHand: ended.why.code === 'ALIAS_CHANGED',
      ...(ended.beforeWrite ? { beforeWrite: ended.beforeWrite } : {}),
    };
  if (ended.kind === 'unsafe' || ended.kind === 'gone') return ended;
  throw new Error(`a rollback program ended ${ended.kind}`);
}
