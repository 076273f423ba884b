/**
 * A run that ended on a conflict (settle.ts): the alias moved by someone else, or a CodeDeploy
 * group busy with another deployment. Under CodeDeploy a person's move is kept (its deployment
 * stopped without its rollback); a move found to be this deployment's own rollback ends as one;
 * a split nobody drives is left with its fix (exit 4), a whole move is the person's (exit 5).
 */
import type { RecordCause } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { isOnStable } from './alias-step.js';
import { causeOfFollowedEnd } from './codedeploy-followed-end.js';
import {
  buildRollbackCommand,
  buildStopCommand,
  buildStopKeepingCommand,
  describePosition,
  runningDeploymentOf,
} from './deploy-result.js';
import { logWarn } from './emit.js';
import { stopIfLostToRollback, stopIfRolledBackUnder } from './moved-by-rollback.js';
import { closedByHand, isSplit, KEEP_MOVE_UNCONFIRMED_REASON, WEIGHTS_BY_HAND } from './record-view.js';
import { type FirstWriteRace, firstWriteRace } from './settle-first-write.js';
import { buildResult, readAliasState } from './settle-result.js';
import { rollBack } from './settle-rollback-run.js';
import { endStepOverMove, endSucceededOverMove, isSucceededOverMove } from './settle-succeeded-over-move.js';
import type { ShiftContext } from './shift-context.js';
import { splitLeftCommands } from './split-left-commands.js';

/**
 * A moved alias (ALIAS_CHANGED: a 412, a hold's read of the alias, the promotion read-back) is
 * first told from a rollback of this deployment by its record (moved-by-rollback.ts); only what is
 * not one is a conflict. A CodeDeploy group busy with another deployment is one.
 */
export async function stopOnConflict(
  ctx: ShiftContext,
  cause: string,
  why: OutcomeCause,
  releaseRollsBack = false,
): Promise<DeployResult> {
  const { functionName, alias } = ctx.req;
  // Under CodeDeploy a person's move is kept: its deployment stopped without its rollback first.
  // Said on the record before the stop: a stop not seen to end (refused, lost, a second signal's
  // exit) leaves it, and status, check and wait read CodeDeploy for it (record-view.ts).
  const keeping = why.code === 'ALIAS_CHANGED' && ctx.traffic.leaveToMove && runningDeploymentOf(ctx.cursor);
  if (keeping) await ctx.recorder.write({ endReason: KEEP_MOVE_UNCONFIRMED_REASON });
  const left = why.code === 'ALIAS_CHANGED' ? await ctx.traffic.leaveToMove?.(ctx.cursor) : undefined;
  const running = left === undefined ? undefined : runningDeploymentOf(ctx.cursor);
  const aliasState = await readAliasState(ctx);
  // CodeDeploy had Succeeded over the move before the stop: the record keeps its mark, unsafe.
  if (keeping && aliasState && isSucceededOverMove(ctx.cursor, aliasState))
    return endSucceededOverMove(ctx, why, left ? `${cause}; ${left}` : cause, aliasState);
  // CodeDeploy's own later step wrote over the move before the stop landed: the mark stays, unsafe.
  if (keeping && aliasState && ctx.cursor.stepOverMove !== undefined)
    return endStepOverMove(ctx, why, left ? `${cause}; ${left}` : cause, aliasState);
  // Seen to end: the closes below say how; one that writes no end reason must not keep the mark.
  if (keeping && !running) await ctx.recorder.write({ endReason: undefined });
  const ownEnd = why.code === 'ALIAS_CHANGED' ? ownRollbackOverMove(ctx, aliasState) : undefined;
  if (ownEnd) return rollBack(ctx, ownEnd.cause, ownEnd.why);
  let race: FirstWriteRace | undefined;
  if (why.code === 'ALIAS_CHANGED') {
    const rolledBack = await stopIfRolledBackUnder(ctx, aliasState);
    if (rolledBack) return rolledBack;
    // Not seen to end: not closed "moved by hand" (nothing would look at CodeDeploy again); the
    // record keeps its mark, its runner exits.
    if (running) ctx.recorder.stopHeartbeats();
    // A first write's 412 whose record, read again, is another deployment's (or cannot be read):
    // its write won the race, as below, though this run never met it while held.
    else race = await firstWriteRace(ctx, aliasState);
    // Another deployment's record stood over ours before either moved the alias: its write won
    // the race, the split is its shift. Not closed "moved by hand" (a read here can still find
    // our own record, put back just before its write landed: tags have no conditional write).
    if (!running && !race && aliasState && !ctx.recorder.rivalBeforeMove()) {
      await closeMovedByHand(ctx, aliasState, releaseRollsBack);
      // Closed before the warning: its ownership read may find the rollback after all.
      const lostToRollback = await stopIfLostToRollback(ctx);
      if (lostToRollback) return lostToRollback;
    }
  }
  logWarn(
    ctx.deps,
    why.code === 'GROUP_BUSY'
      ? `${cause} (${describePosition(ctx.position)})`
      : `alias ${alias} of function ${functionName} changed underneath ${describePosition(ctx.position)}: someone else moved it; lshift stopped (${cause})${left ? `; ${left}` : ''}`,
    why.code === 'GROUP_BUSY' ? 'codedeploy' : 'alias',
  );
  // None of ours started: the record ends here, or it would look like a shift to resume.
  if (why.code === 'GROUP_BUSY') {
    await ctx.recorder.write({
      phase: 'rolled-back',
      percent: 0,
      endedAt: ctx.deps.clock.now(),
      endReason: 'CodeDeploy group busy',
    });
  }
  const detail = left ? `${cause}; ${left}` : cause;
  if (why.code === 'ALIAS_CHANGED' && running) {
    // CodeDeploy refused the stop, or was not seen to end: it may still move the alias over the
    // person's move with nobody watching — exit 4 by the rule, not 5 (docs/exit-codes.md).
    // Its later step already over the move: the move is gone, a stop without rollback would
    // freeze CodeDeploy's split; `lshift rollback` stops it with its rollback (codedeploy-hand-move.ts).
    const gone = ctx.cursor.stepOverRunning !== undefined;
    return buildResult(ctx, 'unsafe', {
      aliasState,
      cause: { ...why, data: { codeDeployRunning: running }, detail },
      fixCommand: gone ? buildStopCommand(running) : buildStopKeepingCommand(running),
      ...(gone ? { rollbackCommand: buildRollbackCommand(functionName, alias) } : {}),
    });
  }
  // A split someone made mid-shift, its record closed: nobody drives it (`status` and `check` say
  // STALLED, exit 4), and DESIGN.md §6 lets only exit 4 leave an alias split, with the fix (it
  // was a conflict, exit 5, as the rollback's was: rollback-moved-close.ts movedStatus). Moved
  // whole onto one version: the person holds it, a conflict (exit 5). Under CodeDeploy too (a
  // kept move, its deployment stopped without its rollback: nothing drives the split either, its
  // record closed; it exited 5 until session 68, docs/codedeploy.md says why not).
  // Its record taken by another lshift (`deploy --resume`): that runner drives the split, theirs.
  const splitLeft =
    why.code === 'ALIAS_CHANGED' &&
    ctx.recorder.lostReason() === undefined &&
    !ctx.recorder.rivalBeforeMove() &&
    race === undefined;
  if (splitLeft && aliasState && isSplit(aliasState.additionalWeights)) {
    return buildResult(ctx, 'unsafe', {
      aliasState,
      cause: { ...why, data: { splitLeft: true }, detail },
      ...splitLeftCommands(ctx, 'closed', aliasState),
    });
  }
  // Who moved it could not be read: another deployment's first write or a person's split. DESIGN
  // §6 lets only exit 4 leave an alias split: a human looks (`lshift status` first), not exit 5
  // as if a live deployment surely drove it.
  if (race && 'unknown' in race && aliasState && isSplit(aliasState.additionalWeights)) {
    return buildResult(ctx, 'unsafe', {
      aliasState,
      cause: { ...why, detail: withHolder(ctx, detail, race) },
      fixCommand: `lshift status ${functionName} --alias ${alias}`,
    });
  }
  return buildResult(ctx, 'conflict', {
    aliasState,
    cause: { ...why, detail: withHolder(ctx, detail, race) },
  });
}

/**
 * The conflict's words, naming the deployment found holding the alias's record instead of ours
 * (the one that took it, or a rival that won the race to the first weight write), if any.
 */
function withHolder(ctx: ShiftContext, detail: string, race?: FirstWriteRace): string {
  const { functionName, alias } = ctx.req;
  if (race && 'unknown' in race)
    return `${detail}; this deployment never moved the alias and its record could not be read, so which deployment holds alias ${alias} of function ${functionName} is unknown (\`lshift status ${functionName} --alias ${alias}\` shows it; if no deployment drives that split, \`${buildRollbackCommand(functionName, alias)}\` puts all traffic on version ${ctx.cursor.stableVersion})`;
  const holder = ctx.recorder.lostTo() ?? ctx.recorder.rivalBeforeMove() ?? race?.holder;
  if (!holder || holder.id === ctx.recorder.current().id) return detail;
  return `${detail}; deployment ${holder.id} (${holder.owner || 'an unknown owner'}) holds alias ${ctx.req.alias} of function ${ctx.req.functionName} now (\`lshift status ${ctx.req.functionName} --alias ${ctx.req.alias}\` shows it)`;
}

/**
 * CodeDeploy ended the deployment on its own (its alarm, a hook, someone's stop) before this run's
 * stop for a move by hand reached it, and its rollback put all traffic back on the stable version
 * over the move: that end is how the run ended (exit 3, as when a follow reads it), not a person's
 * move (found by a hostile pass: exit 5 "moved by hand", the end never read). Left on another
 * version or split, the move stands: a conflict, as before.
 */
function ownRollbackOverMove(
  ctx: ShiftContext,
  aliasState: DeployResult['aliasState'],
): { cause: string; why: OutcomeCause } | undefined {
  const ended = ctx.cursor.endedBeforeStop;
  if (!ended || !aliasState || !isOnStable(aliasState, ctx.cursor.stableVersion)) return undefined;
  const why =
    causeOfFollowedEnd(ended, ctx.cursor.deploymentRef, ctx.req.engineHooks) ??
    causeOf('WEIGHT_WRITE_FAILED', { percent: ctx.cursor.percent, error: 'CODEDEPLOY_DEPLOYMENT_FAILED' });
  return { cause: ended.message, why };
}

/**
 * The alias was moved by hand (the console, another tool) mid-shift: nobody will finish this
 * deployment, so its record says how it ended instead of staying `shifting` until it looks stale
 * and offers `--resume`. The write checks ownership first: when another lshift moved the alias
 * (`lshift alias` closes the record itself, resume and supersede claim it), it is theirs and
 * nothing is written.
 */
const RELEASE_MET_MOVE: RecordCause = { code: 'ALIAS_CHANGED' };

async function closeMovedByHand(
  ctx: ShiftContext,
  aliasState: NonNullable<DeployResult['aliasState']>,
  releaseRollsBack: boolean,
): Promise<void> {
  // A CodeDeploy deployment is over (ended, or stopped for the move): nothing resumes a split.
  // Nor does a release's function whose release rolled the others back for it: left `paused`,
  // status and check offered its resume first, which shifted it alone to 100% against the
  // release's verdict (h4's hostile pass, session 68, F1). Closed `rolled-back (weights changed by
  // hand)` as a rollback that met a split is: only the rollback is offered, the resume refused.
  const resumable = !ctx.traffic.ownSchedule && !releaseRollsBack;
  const closed = closedByHand(ctx.recorder.current(), aliasState, { resumable });
  // Why its release rolled back (`y=`), as its other functions' records keep it: a resume's hint
  // said "`lshift status` says why", and nothing did (session 68's LOW). A split of its two
  // versions only: status then says lshift had decided to roll it back, and why; a whole move is
  // the person's, and a cause there would read as a decision over it (MOVED OVER LSHIFT'S ROLLBACK).
  const why = releaseRollsBack && closed.endReason === WEIGHTS_BY_HAND ? { cause: RELEASE_MET_MOVE } : {};
  await ctx.recorder.write({ ...closed, ...why, endedAt: ctx.deps.clock.now() }, { onlyIfRead: true });
}
