/**
 * Everything `deploy --resume` checks before its first write (resume.ts): the record is
 * resumable, the alias matches it, this run's guards are the first run's (resume-guards.ts),
 * the checks that still make sense pass, and the runner is gone. Refusals throw; nothing is
 * written here.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { type ConflictError, OperationError, PreflightError } from '../domain/errors.js';
import type { GuardFingerprint } from '../domain/guard-fingerprint.js';
import { planShift } from '../domain/plan.js';
import { checkPollInterval } from '../domain/poll-interval.js';
import { parseStrategy } from '../domain/strategy.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { DeployDeps, DeployHooks, DeployRequest } from './deploy-types.js';
import { describeError, emitEvent, logWarn } from './emit.js';
import { readAlias, readTarget } from './preflight.js';
import { checkAlarms, checkSameConfig, guard, notFound, pass, refuse } from './preflight-checks.js';
import { checkHookFunctions } from './preflight-hooks.js';
import { readRecord } from './preflight-record.js';
import { isPromotedButSplit, promotedButSplitError } from './promoted-split.js';
import { isFinished, isHandSplitAfterRollbackDecision } from './record-view.js';
import { mismatch, movedBack, rollbackOvertaken, tooFarAhead } from './resume-alias-refusals.js';
import { refuseCodeDeployResume } from './resume-codedeploy.js';
import { checkResumeGuards } from './resume-guards.js';
import { describeLiveRunnerHint } from './resume-live-runner.js';
import { chooseResumePoint, type ResumeDecision, type ResumePoint } from './resume-point.js';
import { confirmRunnerGone } from './resume-runner-gone.js';
import {
  leaveOutHint,
  rollbackDecidedSplit,
  splitLeftClosedRefusal,
  warnResumedPaused,
} from './resume-words.js';
import { createShiftContext, type ShiftContext } from './shift-context.js';
import { isSplitLeftClosed } from './split-left-closed.js';

/**
 * A deploy request without what the record decides: target, strategy, plan, deployment id. The
 * plan is rebuilt from the recorded strategy with this run's `--settle` (`settleSeconds`; absent:
 * the default), like the other health options, which the record does not keep either.
 */
export type ResumeRequest = Omit<
  DeployRequest,
  'targetVersion' | 'strategy' | 'plan' | 'deploymentId' | 'supersede'
> & { settleSeconds?: number };

export interface PreparedResume {
  ctx: ShiftContext;
  record: DeploymentRecord;
  decision: Extract<ResumeDecision, { kind: 'resume' }>;
  /** The guards the takeover records (resume-guards.ts): this run's, or the record's for a rollback. */
  guards: GuardFingerprint | undefined;
  /**
   * All its traffic was back on stable although its record says traffic had moved: the refusal a
   * release resume throws unless the release is rolling back (its rollback restored it).
   */
  movedBack?: ConflictError;
}

/** Every check of a resume, and its shift's context: refusals throw, nothing is written yet. */
export async function prepareResume(
  deps: DeployDeps,
  req: ResumeRequest,
  /**
   * `onRecord`: told the record as soon as it is read, before any check that may refuse it (a
   * release resume asks it whether the release was a --stagger one: release-resume.ts).
   */
  member: {
    watchSignal?: AbortSignal;
    onRecord?: (record: DeploymentRecord) => void;
    /** A release's function: a moved-back alias is judged with the release (PreparedResume.movedBack). */
    deferMovedBack?: boolean;
    /** Releases whose command reader's record holds an obeyed or sent `promote --full` (release-promoted-full.ts). */
    fullReleases?: ReadonlySet<string>;
  } = {},
): Promise<PreparedResume> {
  checkInterval(req);
  const { functionName: fn, alias: name } = req;
  emitEvent(deps, { type: 'preflight.started', functionName: fn, alias: name });
  await guard(deps, 'function', () => deps.lambda.getFunction(fn), notFound(fn));
  pass(deps, 'function', `function ${fn} exists`);
  const alias = await readAlias(deps, req);
  const record = await readResumable(deps, req, alias);
  member.onRecord?.(record);
  const full = buildRequest(req, record);
  const releasePromotedFull =
    record.releaseId !== undefined && member.fullReleases?.has(record.releaseId) === true;
  const decision = chooseResumePoint(record, alias, full.plan, { releasePromotedFull });
  // Its runner may still run: it meets the move itself; only `lshift status` again is offered.
  const live = describeLiveRunnerHint(deps.clock.now(), req, record, alias);
  if (decision.kind === 'mismatch')
    refuse(deps, 'alias-matches-record', mismatch(req, record, alias, decision, live));
  if (decision.kind === 'too-far-ahead')
    refuse(deps, 'alias-matches-record', tooFarAhead(req, record, alias, decision, live));
  if (decision.kind === 'rollback-overtaken')
    refuse(deps, 'alias-matches-record', rollbackOvertaken(req, record, alias));
  let movedBackError: ConflictError | undefined;
  if (decision.kind === 'moved-back') {
    movedBackError = movedBack(req, record, alias);
    if (!member.deferMovedBack) refuse(deps, 'alias-matches-record', movedBackError);
  }
  const point = decision.kind === 'moved-back' ? decision.resume : decision;
  if (point.found) logWarn(deps, point.found, 'record');
  pass(deps, 'alias-matches-record', `deployment ${record.id} resumes ${point.summary}`);
  // Finishing a rollback only puts traffic back: it is never refused for watching less.
  const guards = point.start.kind === 'rollback' ? record.guards : checkResumeGuards(deps, full, record);
  if (point.start.kind !== 'rollback') await recheck(deps, full, record, point);
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
    percent: point.position.percent,
    startedAt: record.startedAt,
    trafficMoved: point.position.kind !== 'stable' || rollbackAfterTraffic(record, point),
    ...(point.position.kind === 'stable' && rollbackAfterTraffic(record, point)
      ? { backOnStable: { recordedPercent: record.percent } }
      : {}),
    position: { kind: 'resuming', deploymentId: record.id, summary: point.summary },
    watchSignal: member.watchSignal,
  });
  if (ctx.operator.paused()) warnResumedPaused(deps, req, record);
  return { ctx, record, decision: point, guards, ...(movedBackError ? { movedBack: movedBackError } : {}) };
}

/**
 * A rollback to finish whose record shows a weight written (its last recorded weight above 0):
 * traffic had moved, even though the alias is back on the stable version now (the crashed run's
 * rollback write landed). Judged from the alias alone, the resume said "no traffic had moved to
 * the new version" and "Not started … unchanged … no traffic was moved" of a canary that had run
 * at 10% for minutes (found by a hostile pass). Nothing is written again for it (backOnStable).
 */
function rollbackAfterTraffic(record: DeploymentRecord, point: { start: ResumePoint }): boolean {
  return point.start.kind === 'rollback' && record.percent > 0;
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
  if (record && isHandSplitAfterRollbackDecision(record))
    refuse(deps, 'deployment-record', rollbackDecidedSplit(req, record, alias));
  // Closed over a split it met and left (status and check: STALLED, the rollback), not "start anew".
  if (record && isSplitLeftClosed(alias, record))
    refuse(deps, 'deployment-record', splitLeftClosedRefusal(req, record, alias));
  if (!record || isFinished(record)) {
    const what = record
      ? `Deployment ${record.id} of ${fn} alias ${name} is ${record.phase}`
      : `No deployment is recorded on ${fn} alias ${name}`;
    const release = record?.releaseId;
    refuse(
      deps,
      'deployment-record',
      new PreflightError(
        'NOTHING_TO_RESUME',
        `${what}: there is nothing to resume${release ? ` (it is a function of release ${release})` : ''}.`,
        {
          // A function of a release closed alone (`lshift rollback fb`): a new deployment of the
          // release is refused while its other functions hold their aliases; go on without it.
          hint: release
            ? leaveOutHint(fn, release, req.releaseFunctions)
            : `See the alias with \`lshift status ${fn} --alias ${name}\`; start a new deployment without --resume.`,
          context,
        },
      ),
    );
  }
  // Exit 4 once CodeDeploy ended it over a split nobody drives (resume-codedeploy.ts).
  if (record.engine === 'codedeploy') {
    refuse(deps, 'deployment-record', await refuseCodeDeployResume(deps, req, record, alias));
  }
  // Whether its runner is gone is watched last (resume-runner-gone.ts): it takes up to 2 minutes.
  pass(deps, 'deployment-record', `deployment ${record.id} is ${record.phase}`);
  return record;
}

export function buildRequest(req: ResumeRequest, record: DeploymentRecord): DeployRequest {
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

function checkInterval(req: ResumeRequest): void {
  checkPollInterval(req.pollIntervalSeconds, { functionName: req.functionName, alias: req.alias });
}
