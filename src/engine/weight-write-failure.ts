/**
 * A weight write that failed, and what it means for the shift: a conflict (the alias moved under
 * it, or another CodeDeploy deployment holds the group), an interrupt, CodeDeploy's own end with
 * its cause, or a failed write — and whether traffic can have moved (what a rollback must undo).
 */
import { echoInput } from '../domain/echo.js';
import { isLshiftError } from '../domain/errors.js';
import { causeOf, type Position } from '../domain/outcome.js';
import { routesTo } from './alias-step.js';
import { causeOfFollowedEnd } from './codedeploy-followed-end.js';
import { describeError } from './emit.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { isAliasChanged, isGroupBusy } from './step-restore.js';

export async function weightWriteFailed(
  ctx: ShiftContext,
  error: unknown,
  percent: number,
  movedBefore: boolean,
  /** Where the shift was before this write (the step whose weight the alias last had from it). */
  positionBefore: Position,
): Promise<PhaseOutcome> {
  const { cursor } = ctx;
  if (isAliasChanged(error)) {
    // Refused, and the alias routes nothing to our version: this write moved no traffic (a
    // deploy that lost the race to the alias said "rolled back and replaced", exit 3: found by
    // a hostile pass). Routing to it, the write may have landed before a retry met the 412.
    if (!(await mayRouteToTarget(ctx))) {
      ctx.trafficMoved = movedBefore;
      // Nor did this step begin: the result said "changed underneath at step 3 (30%)" while
      // `status` said "stopped at step 2" — the last weight that landed, which the record keeps
      // (found by a hostile pass, session 64). A native write only: a service's step (CodeDeploy)
      // ran while it was followed.
      if (!ctx.traffic.ownSchedule) ctx.position = landedPosition(positionBefore);
    }
    return { kind: 'conflict', cause: describeError(error), why: causeOf('ALIAS_CHANGED', {}) };
  }
  // Another CodeDeploy deployment runs on the group: none of ours started, nothing to undo.
  if (isGroupBusy(error)) {
    return { kind: 'conflict', cause: describeError(error), why: causeOf('GROUP_BUSY', {}) };
  }
  // Credentials that expired (or a permission removed) just before the first weight: no
  // traffic moved, so there is nothing to roll back, and a rollback write would be refused too.
  if (isNotApplied(error)) ctx.trafficMoved = movedBefore;
  // A driver that follows a service (CodeDeploy) is still waiting when Ctrl-C comes; a native
  // write abandoned in flight may land later.
  if (ctx.req.signal?.aborted && codeOf(error) === 'INTERRUPTED') {
    if (!ctx.traffic.ownSchedule) ctx.abandonedWrite = percent;
    return { kind: 'interrupted' };
  }
  // CodeDeploy ended the deployment this run followed on its own, and said why: a hook it ran
  // (`--pre-hook`/`--post-hook` became its BeforeAllowTraffic/AfterAllowTraffic) is HOOK_FAILED,
  // its alarm GATE_FAILED, as in a native deploy; not a weight write that failed, which sent a
  // 3 a.m. reader to look at permissions instead of the hook. Someone's stop: nothing failed.
  const ended = causeOfFollowedEnd(error, cursor.deploymentRef, ctx.req.engineHooks);
  if (ended?.code === 'STOPPED_IN_CODEDEPLOY')
    return { kind: 'failed', cause: (error as Error).message, why: ended };
  const why = ended ?? causeOf('WEIGHT_WRITE_FAILED', { percent, error: codeOf(error) });
  return { kind: 'failed', cause: describeShiftFailure(ctx.traffic.name, cursor, percent, error), why };
}

/** The position before a refused write, without a wait that had ended by then (the pre-traffic hook). */
function landedPosition(before: Position): Position {
  return before.kind === 'before-traffic' ? { kind: 'before-traffic' } : before;
}

function codeOf(error: unknown): string | undefined {
  return isLshiftError(error) ? error.code : undefined;
}

function isNotApplied(error: unknown): boolean {
  return isLshiftError(error) && error.context.notApplied === true;
}

/**
 * What failed when a step's shift did. Under CodeDeploy lshift writes no weight: it starts the
 * deployment and follows it (GetDeployment, GetAlias), so a timed-out GetDeployment is a follow
 * that failed, not a weight write.
 */
function describeShiftFailure(
  driver: string,
  cursor: { deploymentRef?: string },
  percent: number,
  error: unknown,
): string {
  if (driver !== 'codedeploy') return `could not write the weight: ${describeError(error)}`;
  if (!cursor.deploymentRef) return `could not start the AWS CodeDeploy deployment: ${describeError(error)}`;
  return `could not follow CodeDeploy deployment ${echoInput(cursor.deploymentRef)} to ${percent}%: ${describeError(error)}`;
}

/**
 * Unreadable counts as routing to it: "no traffic moved" is said only when seen. A read of its
 * own, not the driver's observe: the cursor keeps what the conflict's judges compare with.
 */
async function mayRouteToTarget(ctx: ShiftContext): Promise<boolean> {
  const { cursor } = ctx;
  const alias = await ctx.deps.lambda.getAlias(cursor.functionName, cursor.alias).catch(() => undefined);
  return alias === undefined || routesTo(alias, cursor.targetVersion);
}
