/**
 * `runDeploy`: [--supersede: run a rollback program on the deployment holding the alias] →
 * preflight → record → the release program, run by the interpreter from step 0 (hooks, weights,
 * holds, promote, bake); how it ended settles through settle.ts (a rollback program, a conflict
 * stop, or a pause). Preflight
 * refusals throw (nothing was written); once the record is written, every expected outcome is a
 * DeployResult, never a throw. `resumeDeploy` (resume.ts) continues one whose runner died.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { OperationError, UsageError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import { checkPollInterval } from '../domain/poll-interval.js';
import { refuseHolderSincePreflight } from './claim-race.js';
import {
  draftRecord,
  engineFields,
  initialRecord,
  type MemberOptions,
  recordScope,
  releaseKey,
} from './deploy-record.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { emitEvent } from './emit.js';
import { runReleaseProgram } from './interpreter.js';
import { alarmsAfterWarm } from './pre-shift-alarms.js';
import { type PreflightDeps, type PreflightResult, runPreflight } from './preflight.js';
import { isEnded } from './record-view.js';
import { settleDeployment } from './settle.js';
import { createShiftContext, type PhaseOutcome, type ShiftContext } from './shift-context.js';
import { abortableWait, internalFailure } from './shift-waits.js';
import { type Superseded, supersedeDeployment } from './supersede.js';
import { coolDown, planWarm, remindToMoveWarm, WARM_WAIT, warmUp } from './warm.js';

export type { MemberOptions } from './deploy-record.js';
export type { DeployDeps, DeployHooks, DeployRequest } from './deploy-types.js';

export async function runDeploy(deps: DeployDeps, req: DeployRequest): Promise<DeployResult> {
  const prepared = await prepareDeploy(deps, req);
  if (prepared.kind === 'nothing') return finish(deps, prepared.result);
  announceShift(prepared);
  // The record must exist before the first weight write: a crash after it may leave a split
  // alias, and without the record no other machine could tell whose it is. So a failure here
  // stops the deploy with nothing changed, unlike later record writes, which only warn.
  if (!req.supersede) await refuseHolderSincePreflight(deps, req);
  await claimUnlessInterrupted(prepared.ctx, req);
  const { warm } = prepared;
  const target = { functionName: req.functionName, version: req.targetVersion, signal: req.signal };
  // warmUp removes its config itself when it stops the deployment; any other ending leaves it to us.
  let warmLeft = false;
  const outcome = await runGuarded(async () => {
    const cold =
      warm === undefined
        ? undefined
        : await warmUp(deps, target, warm, WARM_WAIT, abortableWait(prepared.ctx));
    warmLeft = warm !== undefined && cold === undefined;
    // Minutes of --warm wait with nothing watched: the alarms are read again before the first weight.
    const alarmed = warmLeft ? await alarmsAfterWarm(prepared.ctx) : undefined;
    return cold ?? alarmed ?? (await runReleaseProgram(prepared.ctx));
  });
  const settled = await settlePrepared(prepared, outcome);
  // Taken over: the record (`w=`) makes its new owner remove the config (rollback.ts, resume.ts)
  // — not `lshift alias`, which closes the record `moved by hand` and removes nothing: then this
  // run does (it stayed allocated and billed: found by a hostile pass).
  const taker = prepared.ctx.recorder.lostTo();
  const leftToTaker = prepared.ctx.recorder.lostReason() !== undefined && !(taker && isClosedByHand(taker));
  if (warmLeft && warm !== undefined && !leftToTaker) {
    await coolDown(deps, target, warm);
    if (settled.status === 'promoted') remindToMoveWarm(deps, req, prepared.pre.stableVersion);
  }
  return finish(deps, settled);
}

/** Closed by `lshift alias` (or a move by hand it recorded): no owner that removes a `--warm` config. */
function isClosedByHand(record: DeploymentRecord): boolean {
  return isEnded(record) && record.endReason?.startsWith('moved by hand') === true;
}

export type PreparedDeploy =
  | { kind: 'nothing'; result: DeployResult }
  | { kind: 'ready'; ctx: ShiftContext; pre: PreflightResult; warm?: number };

/**
 * [--supersede] → preflight → the shift's context: everything before the record is claimed and
 * `shift.started` is said (announceShift). A refusal throws with nothing written.
 */
export async function prepareDeploy(
  deps: DeployDeps,
  req: DeployRequest,
  member: MemberOptions = {},
): Promise<PreparedDeploy> {
  checkRequest(req);
  const startedAt = deps.clock.now();
  const draft = draftRecord(req, startedAt, recordScope(deps, member));
  const superseded = req.supersede ? await supersedeDeployment(deps, req, draft) : undefined;
  const pre = await preflightTarget(deps, req, draft);
  if (pre.nothingToDeploy) return { kind: 'nothing', result: nothingToDeploy(deps, req, pre, startedAt) };
  const warm = pre.warmFrom === undefined ? undefined : await planWarmFor(deps, req, pre, pre.warmFrom);
  stopIfInterrupted(req, superseded);
  const ctx = createShiftContext(deps, req, {
    record: {
      ...initialRecord(req, pre, startedAt, warm),
      ...releaseKey(member),
      ...engineFields(deps, pre),
    },
    alias: pre.alias,
    percent: 0,
    startedAt,
    trafficMoved: false,
    position: { kind: 'before-traffic' },
    watchSignal: member.watchSignal,
  });
  return { kind: 'ready', ctx, pre, ...(warm === undefined ? {} : { warm }) };
}

/**
 * `shift.started`, once the deployment is prepared and will claim its record next — for a
 * release, once every function is prepared: a function whose mate is then refused was never
 * shifted, and no line may say it was (a renderer prints `shift: d-… fn:alias 1 → 2`).
 */
export function announceShift(prepared: Extract<PreparedDeploy, { kind: 'ready' }>): void {
  const { ctx, pre } = prepared;
  const { req } = ctx;
  emitEvent(ctx.deps, {
    type: 'shift.started',
    deploymentId: req.deploymentId,
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: pre.stableVersion,
    targetVersion: req.targetVersion,
    plan: req.plan,
  });
}

/** A bug or an unexpected port failure mid-shift: the alias may be split, so roll back. */
export async function runGuarded(run: () => Promise<PhaseOutcome>): Promise<PhaseOutcome> {
  try {
    return await run();
  } catch (error) {
    return internalFailure(error);
  }
}

/** How the program ended → the alias, the record and the result (settle.ts). */
export async function settlePrepared(
  prepared: Extract<PreparedDeploy, { kind: 'ready' }>,
  outcome: PhaseOutcome,
): Promise<DeployResult> {
  const settled = await settleDeployment(prepared.ctx, outcome);
  return prepared.pre.image ? { ...settled, image: prepared.pre.image } : settled;
}

/**
 * The record's first write. Ctrl-C abandons it when it hangs (the CLI aborts the calls in flight):
 * nothing moved, so it is INTERRUPTED (exit 1) with the record closed if the write landed — not
 * the write's own STATE_UNWRITABLE (its hint is about permissions). Shared with a release's claims.
 */
export async function claimUnlessInterrupted(ctx: ShiftContext, req: DeployRequest): Promise<void> {
  try {
    await ctx.recorder.claim({ phase: 'started' });
  } catch (error) {
    if (!req.signal?.aborted) throw error;
    await ctx.recorder.closeAbandonedClaim();
    const why = req.signal.reason instanceof Error ? req.signal.reason.message : 'interrupted';
    throw new OperationError(
      'INTERRUPTED',
      `${why} while writing the deployment record, before any traffic moved: alias ${req.alias} is unchanged (the record is closed if its write landed).`,
      {
        context: { functionName: req.functionName, alias: req.alias },
        hint: 'Run the deploy again when ready.',
      },
    );
  }
}

/**
 * Interrupted during preflight: nothing of this deployment was written yet, so stop (exit 1)
 * instead of claiming the record only to roll back a shift that never moved traffic. A
 * `--supersede` rollback is never cut short (its write, or CodeDeploy's rollback, finishes):
 * interrupted after it, the message says what it left rather than "unchanged".
 */
function stopIfInterrupted(req: DeployRequest, superseded: Superseded | undefined): void {
  if (!req.signal?.aborted) return;
  const why = req.signal.reason instanceof Error ? req.signal.reason.message : 'interrupted';
  const what = superseded
    ? `after --supersede ${superseded.closedOnly ? `closed ${superseded.what} (all traffic was already on version ${superseded.version})` : `rolled ${superseded.what} back (all traffic is on version ${superseded.version})`}, before this deployment wrote anything`
    : `before any write; alias ${req.alias} and its record are unchanged`;
  throw new OperationError('INTERRUPTED', `${why} during preflight, ${what}.`, {
    context: { functionName: req.functionName, alias: req.alias },
    hint: 'Run the deploy again when ready.',
  });
}

async function planWarmFor(deps: DeployDeps, req: DeployRequest, pre: PreflightResult, stableAmount: number) {
  const first = req.plan.steps[0]?.percent ?? 100;
  return planWarm(
    deps,
    { functionName: req.functionName, alias: req.alias },
    { stable: pre.stableVersion, target: req.targetVersion },
    first,
    stableAmount,
  );
}

/**
 * The read-only checks of a deployment whose version exists, with the record it will write: the
 * deploy's, its dry run's and a mixed release's early check (src/cli/run-release.ts) are one.
 */
export function preflightTarget(
  deps: PreflightDeps,
  req: DeployRequest,
  draft: ReturnType<typeof draftRecord>,
): Promise<PreflightResult> {
  return runPreflight(deps, {
    functionName: req.functionName,
    alias: req.alias,
    targetVersion: req.targetVersion,
    alarms: req.alarms,
    ignoreInitialAlarms: req.ignoreInitialAlarms,
    staleAfterSeconds: req.staleAfterSeconds,
    owner: req.owner,
    hooks: req.hooks,
    engineHooks: req.engineHooks,
    draftRecord: draft,
    warm: req.warm,
  });
}

function nothingToDeploy(
  deps: DeployDeps,
  req: DeployRequest,
  pre: PreflightResult,
  startedAt: number,
): DeployResult {
  return {
    status: 'nothing_to_deploy',
    deploymentId: req.deploymentId,
    functionName: req.functionName,
    alias: req.alias,
    fromVersion: pre.stableVersion,
    toVersion: req.targetVersion,
    strategy: req.strategy.name,
    steps: [],
    verdicts: [],
    cause: causeOf('NOTHING_TO_DO', {}),
    startedAt,
    endedAt: deps.clock.now(),
  };
}

export function finish(deps: DeployDeps, result: DeployResult): DeployResult {
  emitEvent(deps, { type: 'deploy.finished', result });
  return result;
}

function checkRequest(req: DeployRequest): void {
  const steps = req.plan.steps;
  const context = { functionName: req.functionName, alias: req.alias };
  const bad = steps.find((s) => !(s.percent > 0 && s.percent <= 100) || !(s.holdSeconds >= 0));
  if (steps.length === 0 || steps.at(-1)?.percent !== 100 || bad) {
    throw new UsageError(
      'PLAN_INVALID',
      `The plan of strategy ${req.strategy.name} must be steps with weights in (0, 100] ending at 100%.`,
      {
        hint: 'Build the plan with planShift(parseStrategy(...)); run `lshift plan <strategy>` to see it.',
        context,
      },
    );
  }
  checkPollInterval(req.pollIntervalSeconds, context);
}
