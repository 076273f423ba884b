/**
 * `lshift deploy <fn> --resume`: continue a deployment whose runner died (stale heartbeat) or
 * that was paused, from any machine. The record gives the versions, the strategy (its plan is
 * rebuilt with planShift), the deployment id and the first run's guards; the alias says where
 * traffic really is (resume-point.ts picks the point to continue from). resume-prepare.ts runs
 * every check before anything is written — the checks that still make sense (target Active,
 * stable readable, alarms exist, the `lambda:` hooks still ahead exist), and the guards: this
 * run's alarms, hooks, bake and analysis must be the first run's (resume-guards.ts compares the
 * record's fingerprint, `gd=`; `--guards-changed` accepts a deliberate change). Then this runner
 * takes the record over (new owner, fresh heartbeat, same id, the guards it runs with) and runs
 * the same release program as `runDeploy` with the same interpreter, from the step index the
 * record and alias point at (`resumeIndex`). A resumed step is written again and held for its
 * full time; a first write above the alias's weight comes after a health verdict taken now
 * (resume-health.ts).
 *
 * The other options (`--interval`, `--settle`, thresholds) are not in the record: they are this
 * run's. Whether the runner is gone is judged by watching its record, not by its heartbeat's
 * timestamp (resume-runner-gone.ts: the clocks may disagree). Refusals throw before anything is
 * written (NOTHING_TO_RESUME and RESUME_GUARDS_DIFFER exit 2, DEPLOYMENT_IN_PROGRESS exit 5,
 * ALIAS_MISMATCH exit 4 or 5); after the takeover every outcome is a DeployResult.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import type { GuardFingerprint } from '../domain/guard-fingerprint.js';
import { causeOf } from '../domain/outcome.js';
import { resumeIndex } from '../domain/release-program.js';
import { ownerOf } from './check-classify.js';
import type { DeployDeps } from './deploy-types.js';
import { emitEvent, logInfo } from './emit.js';
import { runReleaseProgram } from './interpreter.js';
import { alarmsOnResumeAtTarget } from './pre-shift-alarms.js';
import { awaitProvisionedConcurrencyReady, DEFAULT_PC_WAIT } from './provisioned-concurrency.js';
import { isPromoteUnconfirmed } from './record-view.js';
import { describeResumeWrite, healthBeforeResumedRaise } from './resume-health.js';
import type { ResumeDecision } from './resume-point.js';
import { type PreparedResume, prepareResume, type ResumeRequest } from './resume-prepare.js';
import { settleDeployment } from './settle.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { abortableWait, deletedFailure, internalFailure, takenOverConflict } from './shift-waits.js';
import { coolDown } from './warm.js';

export { hooksAhead, type PreparedResume, prepareResume, type ResumeRequest } from './resume-prepare.js';

export async function resumeDeploy(deps: DeployDeps, req: ResumeRequest): Promise<DeployResult> {
  const prepared = await prepareResume(deps, req);
  const { ctx, decision } = prepared;
  const from = decision.start.kind === 'rollback' ? 0 : resumeIndex(ctx.program, decision.start);
  await claimResume(prepared, describeResumeWrite(ctx.program, from, ctx, undefined));
  let outcome: PhaseOutcome;
  try {
    outcome =
      decision.start.kind === 'rollback'
        ? rollbackUnfinished(prepared.record)
        : ((await awaitReadyAtTarget(ctx, decision)) ??
          (await healthBeforeResumedRaise([ctx], ctx.program, from)) ??
          (await runReleaseProgram(ctx, from)));
  } catch (error) {
    outcome = internalFailure(error);
  }
  const result = await settleDeployment(ctx, outcome);
  // The crashed run's `--warm` config ends with the deployment, as it would have in that run.
  const { record } = prepared;
  if (record.warm !== undefined)
    await coolDown(deps, { functionName: req.functionName, version: record.targetVersion }, record.warm);
  emitEvent(deps, { type: 'deploy.finished', result });
  return result;
}

/**
 * This runner takes the record over (new owner, fresh heartbeat, same id); then the shift restarts.
 * `then`: what the resumed run writes first (resume-health.ts describeResumeWrite), said in the
 * resume line — not a step the alias is at but the run will not write (a release's function a
 * level behind: found by a hostile pass).
 */
export async function claimResume(
  { ctx, record, decision, guards }: PreparedResume,
  then: string,
): Promise<void> {
  const { deps, req } = ctx;
  await takeOver(ctx, record, decision, guards);
  emitEvent(deps, {
    type: 'shift.started',
    deploymentId: record.id,
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
    plan: req.plan,
  });
  logInfo(
    deps,
    `resuming deployment ${record.id} of ${req.functionName} alias ${req.alias} (was ${record.phase}${isPromoteUnconfirmed(record) ? ', its promote unconfirmed' : ''}, owner ${ownerOf(record)}) ${decision.summary}${decision.start.kind === 'rollback' ? '' : `; ${then}`}`,
  );
}

/**
 * All traffic is on the target: no weight is written again, so the wait for provisioned
 * concurrency READY that follows every weight write (traffic-steps.ts) would not come — and a
 * runner killed in that wait after the write to 100% left the allocation perhaps still
 * IN_PROGRESS. The resumed run waits for it here, as the dead run would have, before the bake
 * counts or the deployment is declared promoted (a split alias gets its weight written again,
 * and that write's own wait). Without provisioned concurrency it costs one read. Its beats read
 * an operator's abort, as the wait after a weight write does. Undefined: go on; an outcome: an
 * abort obeyed during the wait (it rolls back), or the record taken over — in a release
 * (release-resume-ready.ts, which calls this for each function on its target), any function's
 * abort or takeover: the outcome names that function.
 */
export async function awaitReadyAtTarget(
  ctx: ShiftContext,
  decision: PreparedResume['decision'],
): Promise<PhaseOutcome | undefined> {
  if (decision.position.kind !== 'target') return undefined;
  const { functionName, alias } = ctx.cursor;
  const target = { functionName, alias, signal: ctx.req.signal };
  const watch = abortableWait(ctx);
  const waited = await awaitProvisionedConcurrencyReady(
    ctx.deps,
    target,
    ctx.deps.clock,
    DEFAULT_PC_WAIT,
    watch.keepAlive,
  );
  if (waited.kind === 'gone') return deletedFailure(waited);
  if (waited.kind === 'lost') return takenOverConflict(waited.reason, waited.taken);
  // An operator's abort obeyed during the wait (or by its last beat): it rolls back.
  const aborted = watch.aborted();
  if (aborted) return aborted;
  const bakeAhead = decision.start.kind === 'bake' && ctx.program.steps.some((s) => s.kind === 'bake');
  return alarmsOnResumeAtTarget(ctx, bakeAhead);
}

/** A deployment that was rolling back (or whose rollback failed) resumes by finishing the rollback. */
export function rollbackUnfinished(record: DeploymentRecord): PhaseOutcome {
  return {
    kind: 'failed',
    cause: `the rollback ${record.phase === 'failed' ? 'had failed' : 'was left unfinished'}`,
    why: causeOf('ROLLBACK_UNFINISHED', { phase: record.phase }),
  };
}

async function takeOver(
  ctx: ShiftContext,
  record: DeploymentRecord,
  decision: Extract<ResumeDecision, { kind: 'resume' }>,
  guards: GuardFingerprint | undefined,
): Promise<void> {
  const { start, position } = decision;
  const phase =
    start.kind === 'rollback'
      ? 'rolling-back'
      : record.phase === 'paused'
        ? position.kind === 'target'
          ? 'baking'
          : 'shifting'
        : record.phase;
  // The percent the alias really has: the record may lag one write behind.
  // A promote that could not be confirmed is tried again: the record no longer says it gave up.
  // The guards this runner watches with (resume-guards.ts), so a later resume compares with them.
  // Why an earlier run rolled back (its `y=`) stays while this run only finishes that rollback
  // (settle-rollback-close.ts keeps it at the close); a run that shifts again will say its own.
  await ctx.recorder.claim({
    phase,
    percent: position.percent,
    endReason: undefined,
    ...(start.kind === 'rollback' ? {} : { cause: undefined }),
    guards,
  });
  // Two runners resuming at once both write their claim; the one that reads back another's backs off.
  const other = await ctx.recorder.findTakeover();
  if (other) {
    throw new ConflictError(
      'DEPLOYMENT_IN_PROGRESS',
      `Deployment ${record.id} of ${ctx.req.functionName} alias ${ctx.req.alias} was taken over by ${ownerOf(other)} at the same time; this runner backed off without touching the alias.`,
      {
        hint: `See who drives it with \`lshift status ${ctx.req.functionName} --alias ${ctx.req.alias}\`.`,
        context: { functionName: ctx.req.functionName, alias: ctx.req.alias },
      },
    );
  }
}
