/**
 * A rollback's restore (settle-rollback.ts): all traffic back on the stable version, by the
 * rollback program, and the line its end is told by.
 */

import { planRollback } from '../domain/release-program.js';
import { isOnStable } from './alias-step.js';
import { emitEvent } from './emit.js';
import { runProgram } from './interpreter.js';
import { ownRoutingOf } from './own-routing.js';
import { ownLateWriteOf } from './rollback-late-own-write.js';
import type { ShiftContext } from './shift-context.js';
import { warnRestoreRetry } from './step-restore.js';

export type RestoreEnd = Awaited<ReturnType<typeof runRollbackProgram>>;

/**
 * All traffic back on the stable version (nothing to write when no traffic ever moved). A
 * function of a release its record's read or heartbeat already found deleted, before any of its
 * traffic moved (a wait of the release: shift-waits.ts), is not "on its stable version": it is
 * gone, as a restore's write would have found it.
 */
export async function restoreStable(
  ctx: ShiftContext,
  opts: { persistMs?: number } = {},
): Promise<RestoreEnd> {
  const { cursor } = ctx;
  if (ctx.trafficMoved) return runRollbackProgram(ctx, opts.persistMs);
  const gone = ctx.inRelease ? ctx.recorder.goneDuringShift() : undefined;
  if (gone) return { kind: 'gone', what: 'function', message: gone.reason, index: 0 };
  return {
    kind: 'restored',
    attempts: 0,
    alreadyStable: isOnStable(cursor.aliasState, cursor.stableVersion),
  };
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
      : { type: 'rollback.failed', message: outcome.message },
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
    ...(ctx.traffic.ownSchedule ? {} : { ownRouting: ownRoutingOf(ctx), ownLateWrite: ownLateWriteOf(ctx) }),
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
    };
  if (ended.kind === 'unsafe' || ended.kind === 'gone') return ended;
  throw new Error(`a rollback program ended ${ended.kind}`);
}
