/**
 * `lshift deploy <fn> --resume`: continue a deployment whose runner died (stale heartbeat) or
 * that was paused, from any machine. The record gives the versions, the strategy (its plan is
 * rebuilt with planShift) and the deployment id; the alias says where traffic really is
 * (resume-point.ts picks the point to continue from). Checks that still make sense run again
 * (target Active, stable readable, alarms exist, the `lambda:` hooks still ahead exist), then this runner takes the record over (new
 * owner, fresh heartbeat, same id) and runs the same release program as `runDeploy` with the
 * same interpreter, from the step index the record and alias point at (`resumeIndex`). A resumed
 * step is written again and held for its full time.
 *
 * Hooks, alarms, bake and the other options are not in the record: pass the same ones as the
 * first run. Whether the runner is gone is judged by watching its record, not by its heartbeat's
 * timestamp (resume-runner-gone.ts: the clocks may disagree). Refusals throw before anything is written (NOTHING_TO_RESUME exit 2,
 * DEPLOYMENT_IN_PROGRESS exit 5, ALIAS_MISMATCH exit 4 or 5); after the takeover every outcome
 * is a DeployResult.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError, OperationError, PreflightError, UnsafeError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { planShift } from '../domain/plan.js';
import { checkPollInterval } from '../domain/poll-interval.js';
import { resumeIndex } from '../domain/release-program.js';
import { parseStrategy } from '../domain/strategy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { ownerOf } from './check-classify.js';
import { buildFixCommand, describeAliasState, formatWeight } from './deploy-result.js';
import type { DeployDeps, DeployHooks, DeployRequest } from './deploy-types.js';
import { describeError, emitEvent, logInfo, logWarn } from './emit.js';
import { runReleaseProgram } from './interpreter.js';
import { readAlias, readTarget } from './preflight.js';
import { checkAlarms, checkSameConfig, guard, notFound, pass, refuse } from './preflight-checks.js';
import { checkHookFunctions } from './preflight-hooks.js';
import { readRecord } from './preflight-record.js';
import { refuseUnconfirmedResume } from './promote-unconfirmed.js';
import { isPromotedButSplit, promotedButSplitError } from './promoted-split.js';
import { isFinished, isPromoteUnconfirmed } from './record-view.js';
import { chooseResumePoint, type ResumeDecision, type ResumePoint } from './resume-point.js';
import { confirmRunnerGone } from './resume-runner-gone.js';
import { settleDeployment } from './settle.js';
import { createShiftContext, type PhaseOutcome, type ShiftContext } from './shift-context.js';
import { coolDown } from './warm.js';

/**
 * A deploy request without what the record decides: target, strategy, plan, deployment id. The
 * plan is rebuilt from the recorded strategy with this run's `--settle` (`settleSeconds`; absent:
 * the default), like the other health options, which the record does not keep either.
 */
export type ResumeRequest = Omit<
  DeployRequest,
  'targetVersion' | 'strategy' | 'plan' | 'deploymentId' | 'supersede'
> & { settleSeconds?: number };

export async function resumeDeploy(deps: DeployDeps, req: ResumeRequest): Promise<DeployResult> {
  const prepared = await prepareResume(deps, req);
  await claimResume(prepared);
  const { ctx, decision } = prepared;
  let outcome: PhaseOutcome;
  try {
    outcome =
      decision.start.kind === 'rollback'
        ? rollbackUnfinished(prepared.record)
        : await runReleaseProgram(ctx, resumeIndex(ctx.program, decision.start));
  } catch (error) {
    const detail = describeError(error);
    outcome = {
      kind: 'failed',
      cause: `internal error: ${detail}`,
      why: causeOf('INTERNAL', { error: detail }),
    };
  }
  const result = await settleDeployment(ctx, outcome);
  // The crashed run's `--warm` config ends with the deployment, as it would have in that run.
  const { record } = prepared;
  if (record.warm !== undefined)
    await coolDown(deps, { functionName: req.functionName, version: record.targetVersion }, record.warm);
  emitEvent(deps, { type: 'deploy.finished', result });
  return result;
}

export interface PreparedResume {
  ctx: ShiftContext;
  record: DeploymentRecord;
  decision: Extract<ResumeDecision, { kind: 'resume' }>;
}

/** Every check of a resume, and its shift's context: refusals throw, nothing is written yet. */
export async function prepareResume(
  deps: DeployDeps,
  req: ResumeRequest,
  member: { watchSignal?: AbortSignal } = {},
): Promise<PreparedResume> {
  checkInterval(req);
  const { functionName: fn, alias: name } = req;
  emitEvent(deps, { type: 'preflight.started', functionName: fn, alias: name });
  await guard(deps, 'function', () => deps.lambda.getFunction(fn), notFound(fn));
  pass(deps, 'function', `function ${fn} exists`);
  const alias = await readAlias(deps, req);
  const record = await readResumable(deps, req, alias);
  const full = buildRequest(req, record);
  const decision = chooseResumePoint(record, alias, full.plan);
  if (decision.kind === 'mismatch')
    refuse(deps, 'alias-matches-record', mismatch(req, record, alias, decision));
  if (decision.kind === 'too-far-ahead')
    refuse(deps, 'alias-matches-record', tooFarAhead(req, record, decision));
  if (decision.found) logWarn(deps, decision.found, 'record');
  pass(deps, 'alias-matches-record', `deployment ${record.id} resumes ${decision.summary}`);
  if (decision.start.kind !== 'rollback') await recheck(deps, full, record, decision);
  await confirmRunnerGone(deps, req, record);
  emitEvent(deps, {
    type: 'preflight.completed',
    functionName: fn,
    alias: name,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
  });
  const ctx = createShiftContext(deps, full, {
    record: { ...record, owner: req.owner },
    alias,
    percent: decision.position.percent,
    startedAt: record.startedAt,
    trafficMoved: decision.position.kind !== 'stable',
    position: { kind: 'resuming', deploymentId: record.id, summary: decision.summary },
    watchSignal: member.watchSignal,
  });
  return { ctx, record, decision };
}

/** This runner takes the record over (new owner, fresh heartbeat, same id); then the shift restarts. */
export async function claimResume({ ctx, record, decision }: PreparedResume): Promise<void> {
  const { deps, req } = ctx;
  await takeOver(ctx, record, decision);
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
    `resuming deployment ${record.id} of ${req.functionName} alias ${req.alias} (was ${record.phase}${isPromoteUnconfirmed(record) ? ', its promote unconfirmed' : ''}, owner ${ownerOf(record)}) ${decision.summary}; a resumed step is written again and held for its full time`,
  );
}

/** A deployment that was rolling back (or whose rollback failed) resumes by finishing the rollback. */
export function rollbackUnfinished(record: DeploymentRecord): PhaseOutcome {
  return {
    kind: 'failed',
    cause: `the rollback ${record.phase === 'failed' ? 'had failed' : 'was left unfinished'}`,
    why: causeOf('ROLLBACK_UNFINISHED', { phase: record.phase }),
  };
}

async function readResumable(
  deps: DeployDeps,
  req: ResumeRequest,
  alias: AliasInfo,
): Promise<DeploymentRecord> {
  const { functionName: fn, alias: name } = req;
  const context = { functionName: fn, alias: name };
  const record = await readRecord(deps, req);
  // Not "nothing to resume" (exit 2): its traffic is still split and nobody drives it.
  if (record && isPromotedButSplit(record, alias))
    refuse(deps, 'deployment-record', promotedButSplitError(context, record, alias));
  if (!record || isFinished(record)) {
    const what = record
      ? `Deployment ${record.id} of ${fn} alias ${name} is ${record.phase}`
      : `No deployment is recorded on ${fn} alias ${name}`;
    refuse(
      deps,
      'deployment-record',
      new PreflightError('NOTHING_TO_RESUME', `${what}: there is nothing to resume.`, {
        hint: `See the alias with \`lshift status ${fn} --alias ${name}\`; start a new deployment without --resume.`,
        context,
      }),
    );
  }
  if (record.engine === 'codedeploy') refuse(deps, 'deployment-record', notResumable(req, record));
  // Whether its runner is gone is watched last (resume-runner-gone.ts): it takes up to 2 minutes.
  pass(deps, 'deployment-record', `deployment ${record.id} is ${record.phase}`);
  return record;
}

/**
 * CodeDeploy runs its deployment without lshift (and may have ended it): resuming would start a
 * second one, or write the alias beside the first. `lshift wait` follows it instead.
 */
function notResumable(req: ResumeRequest, record: DeploymentRecord): PreflightError {
  const { functionName: fn, alias: name } = req;
  const id = record.codeDeployId;
  const which = id ? ` (deployment ${id})` : '';
  return new PreflightError(
    'CODEDEPLOY_NOT_RESUMABLE',
    `Deployment ${record.id} of ${fn} alias ${name} is run by AWS CodeDeploy${which}, which carries on without lshift: --resume does not apply.`,
    {
      hint: id
        ? `Follow it with \`lshift wait ${id}\` (it closes the record), or stop it and put the alias back with \`lshift rollback ${fn} --alias ${name}\`.`
        : `See it with \`lshift status ${fn} --alias ${name}\`; \`lshift rollback ${fn} --alias ${name}\` puts the alias back.`,
      context: { functionName: fn, alias: name },
    },
  );
}

function buildRequest(req: ResumeRequest, record: DeploymentRecord): DeployRequest {
  let strategy: DeployRequest['strategy'];
  try {
    // The first run already accepted it, long or not.
    strategy = parseStrategy(record.strategy, { allowLong: true, recorded: true });
  } catch (error) {
    throw new OperationError(
      'RECORD_CORRUPT',
      `Deployment ${record.id} of ${req.functionName} alias ${req.alias} records strategy \`${record.strategy}\`, which this lshift cannot read: ${describeError(error)}`,
      {
        hint: `Put all traffic back with \`lshift rollback ${req.functionName} --alias ${req.alias}\`, then deploy again.`,
        context: { functionName: req.functionName, alias: req.alias },
        cause: error,
      },
    );
  }
  return {
    ...req,
    targetVersion: record.targetVersion,
    strategy,
    plan: planShift(strategy, { settleSeconds: req.settleSeconds }),
    deploymentId: record.id,
  };
}

/** The checks that still make sense mid-deployment; alarms already firing are the health gate's call, unless nothing moved yet. */
async function recheck(
  deps: DeployDeps,
  req: DeployRequest,
  record: DeploymentRecord,
  decision: Extract<ResumeDecision, { kind: 'resume' }>,
): Promise<void> {
  const fn = req.functionName;
  const target = await readTarget(deps, req);
  const stable = await guard(deps, 'stable-version', () => deps.lambda.getFunction(fn, record.stableVersion));
  pass(deps, 'stable-version', `stable version ${record.stableVersion} is readable`);
  checkSameConfig(deps, req, stable, target);
  const nothingMoved = decision.position.kind === 'stable';
  await checkAlarms(deps, {
    functionName: fn,
    alarms: req.alarms,
    ignoreInitialAlarms: nothingMoved ? req.ignoreInitialAlarms : true,
  });
  // Refused, not warned: nothing was written yet, so the deployment stays exactly as the dead
  // runner left it; resumed, a missing post-traffic hook would fail only after all traffic moved.
  await checkHookFunctions(deps, hooksAhead(req.hooks, decision.start));
}

/** The hooks the resumed program can still call: those of the phases ahead, and the rollback's. */
export function hooksAhead(hooks: DeployHooks | undefined, start: ResumePoint): DeployHooks {
  if (!hooks || start.kind === 'rollback') return {};
  const shifting = start.kind === 'shift';
  return {
    ...(shifting && start.preHooks ? { pre: hooks.pre } : {}),
    ...(shifting ? { step: hooks.step } : {}),
    post: hooks.post,
    rollback: hooks.rollback,
  };
}

async function takeOver(
  ctx: ShiftContext,
  record: DeploymentRecord,
  decision: Extract<ResumeDecision, { kind: 'resume' }>,
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
  await ctx.recorder.claim({ phase, percent: position.percent, endReason: undefined });
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

function mismatch(
  req: ResumeRequest,
  record: DeploymentRecord,
  alias: AliasInfo,
  decision: Extract<ResumeDecision, { kind: 'mismatch' }>,
): UnsafeError | ConflictError {
  const { functionName: fn, alias: name } = req;
  if (isPromoteUnconfirmed(record)) return refuseUnconfirmedResume(req, record, describeAliasState(alias));
  const message =
    `Alias ${name} of function ${fn} routes ${describeAliasState(alias)}, which does not match deployment ${record.id} ` +
    `(version ${record.stableVersion} → ${record.targetVersion}, ${record.phase}): someone else moved it, so lshift will not resume; a human must look.`;
  const hint =
    `Decide where traffic should be. To put it all on version ${record.stableVersion} and close the deployment: ` +
    `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` (or by hand: ${buildFixCommand(fn, name, record.stableVersion)}).`;
  const context = { functionName: fn, alias: name };
  return decision.split
    ? new UnsafeError('ALIAS_MISMATCH', message, { hint, context })
    : new ConflictError('ALIAS_MISMATCH', message, { hint, context });
}

/** Exit 4: lshift did not write that weight (it is more than one step past the record). */
function tooFarAhead(
  req: ResumeRequest,
  record: DeploymentRecord,
  decision: Extract<ResumeDecision, { kind: 'too-far-ahead' }>,
): UnsafeError {
  const { functionName: fn, alias: name } = req;
  const next =
    decision.nextPercent === undefined
      ? 'the record is already at its last step'
      : `the next step it could have written is ${formatWeight(decision.nextPercent)}`;
  return new UnsafeError(
    'ALIAS_AHEAD_OF_RECORD',
    `Alias ${name} of function ${fn} routes ${formatWeight(decision.aliasPercent)} to version ${record.targetVersion}, but deployment ${record.id} recorded ${formatWeight(decision.recordPercent)} (step ${record.stepIndex + 1}); ${next}. ` +
      'A crash leaves the alias at most one step ahead of its record, so someone else moved it; lshift will not resume from a weight it never wrote; a human must look.',
    {
      hint:
        `Decide where traffic should be. To put it all on version ${record.stableVersion} and close the deployment: ` +
        `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` (or by hand: ${buildFixCommand(fn, name, record.stableVersion)}), then deploy again.`,
      context: { functionName: fn, alias: name },
    },
  );
}

function checkInterval(req: ResumeRequest): void {
  checkPollInterval(req.pollIntervalSeconds, { functionName: req.functionName, alias: req.alias });
}
