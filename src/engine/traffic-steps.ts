/**
 * The traffic steps of a release program: setWeight (write the weight through the driver with
 * the last seen revision, record it), hold (watch health for the step's time) and promote (all
 * traffic on the new version). The steps that watch without moving traffic (bake, settle, a
 * release's watch alongside) are in watch-steps.ts. Each reports a PhaseOutcome; none decides
 * what a failure means for the alias (settle.ts does).
 */
import { judgedHealthy } from '../domain/analysis/plan-check.js';
import { formatDuration } from '../domain/duration.js';
import type { StepOutcome } from '../domain/events.js';
import type { PlanStep } from '../domain/plan.js';
import { emitEvent, logInfo } from './emit.js';
import { awaitProvisionedConcurrencyReady, DEFAULT_PC_WAIT } from './provisioned-concurrency.js';
import { awaitRecordBefore, recordLags, retryLaggingRecord, weightGate } from './record-wait.js';
import { describeRecordLag } from './recorder-loss.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import {
  abortedIn,
  checkOwnership,
  endedIn,
  hookStopOf,
  keepAliveReadingAbort,
  waitingWith,
} from './shift-waits.js';
import { handedOffOr, stepResultOfWatch, stepResultOfWriteError } from './step-result.js';
import { runWatched, type WaitWatch } from './wait-watch.js';
import { recordLagCause, toPhaseOutcome, watchWindow } from './watch-steps.js';
import { weightWriteFailed } from './weight-write-failure.js';

function planStep(ctx: ShiftContext, index: number): PlanStep {
  const step = ctx.req.plan.steps[index];
  if (!step) throw new Error(`the program names plan step ${index}, which the plan does not have`);
  return step;
}

/**
 * A step's hold counts from the end of the previous hold (or from just before its own weight
 * write), not from after the write: the engine's own work between holds (the last poll, the
 * alias and record writes) would otherwise add to every step and stretch the schedule. The
 * catch-up is capped at 10% of the hold, so a slow API never cuts a step's watch short: the new
 * weight is watched at least 90% of the hold after its own write landed. In a lockstep level of
 * a release every function counts from the level's start (fleet-steps.ts), so they all end
 * together, and the last function's write, up to 10% of the hold after the first, is watched
 * that much less. Both are `clock.elapsedMs()` readings: the schedule of holds is durations the
 * engine measures, which a stepped wall clock must not shorten or stretch.
 */
function holdAfterCatchUp(step: PlanStep, countFrom: number, writtenAt: number): number {
  const catchUpMs = Math.min(Math.max(0, writtenAt - countFrom), step.holdSeconds * 100);
  return step.holdSeconds - catchUpMs / 1000;
}

export async function runSetWeight(ctx: ShiftContext, percent: number, index: number): Promise<PhaseOutcome> {
  if (ctx.req.signal?.aborted) return { kind: 'interrupted' };
  const lost = checkOwnership(ctx);
  if (lost) return lost;
  const unrecorded = await recordLagBeforeWrite(ctx, percent);
  if (unrecorded) return unrecorded;
  const { deps, cursor } = ctx;
  const step = planStep(ctx, index);
  const countFrom = ctx.holdEnd ?? deps.clock.elapsedMs();
  ctx.shiftFrom ??= countFrom;
  emitEvent(deps, {
    type: 'step.started',
    index: step.index,
    total: ctx.req.plan.steps.length,
    percent,
    holdSeconds: step.holdSeconds,
    target: { functionName: cursor.functionName, alias: cursor.alias },
  });
  const positionBefore = ctx.position;
  ctx.position = { kind: 'step', index: step.index, percent };
  // A release's record is written behind its alias (below): before the next alias write, the
  // record writes asked for so far must have landed, so the record is never more than this one
  // step behind its alias — what a crash may leave and `--resume` accepts (resume-point.ts). A
  // hold is normally far longer than a record write; a slow store (or a sandbox at 600×) is not.
  if (ctx.inRelease) await ctx.recorder.settled();
  const movedBefore = ctx.trafficMoved;
  ctx.trafficMoved = true;
  const began = deps.clock.now();
  try {
    await ctx.traffic.setWeight(cursor, percent, {
      onPoll: () => ctx.recorder.heartbeat(ctx.heartbeatMs),
      onStarted: async (ref) => {
        await ctx.recorder.write({ codeDeployId: ref });
      },
    });
  } catch (error) {
    // A service (CodeDeploy) may run the shift already: the record must name its deployment.
    if (cursor.deploymentRef) await ctx.recorder.write({ codeDeployId: cursor.deploymentRef });
    const result = handedOffOr(
      stepResultOfWriteError(error, ctx.req.signal?.aborted === true),
      ctx.req.signal,
    );
    // A service's step (CodeDeploy) ran from the follow's start ("stopped after 0s" said of a
    // step followed for minutes); a native write is one call.
    const failedAt = deps.clock.now();
    const outcome = recordStep(ctx, step, percent, ctx.traffic.ownSchedule ? began : failedAt, result);
    outcome.endedAt = failedAt;
    return weightWriteFailed(ctx, error, percent, movedBefore, positionBefore);
  }
  const ref = cursor.deploymentRef ? { codeDeployId: cursor.deploymentRef } : {};
  const patch = { phase: 'shifting', stepIndex: step.index, percent, ...ref } as const;
  // The record follows the alias write at once, before any wait for READY (minutes): a record
  // one step behind its alias for that long made `status` and `check` report the step before,
  // and a crash then left it one step behind. A release's functions do not wait for their
  // record: the level's other alias writes go first (100 alias writes and 100 record writes
  // would take 13 s of Lambda's 15/s, not 6.7 s). The record lands in order during the wait or
  // the hold; after a crash it may be one step behind the alias, never ahead, as a single
  // deploy's may (resume-point.ts).
  // The write reads the record first, although our own alias write just landed: `lshift
  // rollback` claims the record before it writes the alias, so a claim can land between the two
  // (seconds in a release, where the write queues behind the level's; a round trip for a single
  // deploy). Written blind, ours went over the claim, the rollback met a 412 on its alias write
  // and gave up, and the shift went on to promote. Read first, the claim stands and the shift
  // stops for it at its next poll (release-level-claim.test.ts, deploy-step-claim.test.ts). One
  // `ListTags` more per function per step, after the level's alias writes (they go first).
  if (ctx.inRelease) ctx.recorder.writeBehind(patch);
  else await ctx.recorder.write(patch);
  // Issue 14: the hold counts once the alias's provisioned concurrency is READY again.
  // The alias is split at the new weight meanwhile (minutes): its health is watched (wait-watch.ts).
  const { health } = await runWatched([ctx], 'provisioned-concurrency', (watch) => awaitPcReady(ctx, watch), {
    startsWhenWaiting: true,
    // A wait that timed out or could not read goes on to the hold (a warning): closed as READY is.
    // One ended by an operator's abort, a takeover or a deletion rolls back or stops instead.
    closes: (ended) =>
      ended.kind !== 'lost' &&
      ended.kind !== 'gone' &&
      ended.kind !== 'aborted' &&
      hookStopOf(waitingWith(ctx)) === undefined &&
      abortedIn(waitingWith(ctx)) === undefined,
  });
  const outcome = recordStep(ctx, step, percent, deps.clock.now(), health ? 'failed' : 'completed');
  if (health) {
    outcome.endedAt = deps.clock.now();
    return health;
  }
  const writtenAt = deps.clock.elapsedMs();
  // Taken over during the wait (this run, or in a release one of the others, which waited for
  // this write: a lockstep level ends with its last one): the release stops for it
  // (fleet-steps.ts), and the record, already written, is left to its new owner. A function of
  // the release found deleted meanwhile ends it the same way, failed.
  const takenOver = endedIn(waitingWith(ctx));
  if (takenOver) {
    outcome.result = 'stopped';
    outcome.endedAt = outcome.startedAt;
    return takenOver;
  }
  // An operator's abort obeyed during the wait (in a release, by any function waiting with it)
  // ended it — or, obeyed by its last beat, is acted on now: answered `done`, it must roll back.
  const aborted = abortedIn(waitingWith(ctx));
  if (aborted) {
    outcome.result = 'stopped';
    outcome.endedAt = deps.clock.now();
    return aborted;
  }
  ctx.current = { countFrom, writtenAt, outcome };
  return { kind: 'done' };
}

/**
 * No weight write while the deployment record lags (recorder-write-path.ts, recordLag): a hold
 * before a write waits for it (health-monitor-types.ts, RecordLagWatch); a write that follows a wait
 * (`--warm`'s, a hook's) or a hold of 0 s tries the record once more (an unread record is read by
 * an operator poll, so a takeover or an abort it finds ends the step as a hold's would). Once
 * traffic moved, a single deploy whose record still lags then holds the weight it is at until it
 * catches up, as a hold's end does (record-wait.ts; a step hook before 100% rolled back at once,
 * however briefly ListTags had failed); a release's runs did so together before the level
 * (fleet-steps.ts). Before traffic moved, still unwritten (or unread), it ends here: nothing is
 * split and nothing is rolled back. Not under CodeDeploy, whose shift is its own.
 */
async function recordLagBeforeWrite(ctx: ShiftContext, percent: number): Promise<PhaseOutcome | undefined> {
  if (!recordLags(ctx)) return undefined;
  if (ctx.trafficMoved && !ctx.inRelease) return awaitRecordBefore(ctx, weightGate(percent));
  const ended = await retryLaggingRecord(ctx);
  if (ended) return ended;
  const lag = ctx.recorder.recordLag();
  if (!lag) return undefined;
  const seconds = Math.round(lag.sinceMs / 1000);
  const cause = describeRecordLag(ctx.cursor, lag, seconds, 'did not write the next weight');
  return { kind: 'failed', cause, why: recordLagCause(lag.kind, seconds) };
}

/**
 * The wait for the alias's provisioned concurrency after a weight write, ended by a health failure
 * or an operator's abort (its beats read one: shift-waits.ts keepAliveReadingAbort).
 */
function awaitPcReady(ctx: ShiftContext, watch: WaitWatch | undefined) {
  const { deps, cursor } = ctx;
  const signals = [ctx.req.signal, watch?.unhealthy].filter((s) => s !== undefined);
  const target = {
    functionName: cursor.functionName,
    alias: cursor.alias,
    ...(signals.length > 0 && { signal: AbortSignal.any(signals) }),
  };
  const keepAlive = { ...keepAliveReadingAbort(ctx), ...(watch && { waiting: watch.waiting }) };
  return awaitProvisionedConcurrencyReady(deps, target, deps.clock, DEFAULT_PC_WAIT, keepAlive);
}

/**
 * When the hold of the weight just written ends (on `clock.elapsedMs()`): `hold` (after the
 * catch-up) after the write landed. Undefined before a weight was written.
 */
export function scheduledHoldEnd(ctx: ShiftContext, index: number): number | undefined {
  const current = ctx.current;
  if (!current) return undefined;
  const hold = holdAfterCatchUp(planStep(ctx, index), current.countFrom, current.writtenAt);
  return current.writtenAt + hold * 1000;
}

export async function runHold(ctx: ShiftContext, index: number): Promise<PhaseOutcome> {
  const current = ctx.current;
  if (!current) throw new Error('a hold must follow a weight step');
  const step = planStep(ctx, index);
  const { outcome } = current;
  // The hold ends `hold` after the write landed, however long the record write (or, in a
  // release, the level's other writes) took before the watch began — or at the level's shared
  // end (fleet-steps.ts), never earlier. A hold past its end before it began still makes its
  // end-of-step poll.
  const endAt = Math.max(scheduledHoldEnd(ctx, index)!, ctx.levelEnd ?? 0);
  ctx.levelEnd = undefined;
  const left = (endAt - ctx.deps.clock.elapsedMs()) / 1000;
  const watchFor = step.holdSeconds > 0 ? Math.max(0.001, left) : 0;
  const grid = ctx.inRelease ? { gridFrom: current.countFrom } : {};
  const window = watchWindow(ctx, 'shift', step.index, outcome.startedAt);
  const endsStep = succeededMeanwhile(ctx, step);
  const watched = await ctx.monitor.watch(window, watchFor, undefined, {
    ...grid,
    ...(endsStep ? { endsStepWhen: endsStep } : {}),
    ...(outcome.percent < 100 ? { recordGate: { next: 'weight' } } : {}),
  });
  outcome.endedAt = ctx.deps.clock.now();
  // Nothing more moves: the remaining weights and holds are skipped (interpreter.ts), the promote
  // reads the end, the settle, bake and post-traffic hooks run.
  if (watched.kind === 'healthy' && ctx.traffic.ownSchedule && ctx.traffic.succeeded?.(ctx.cursor)) {
    ctx.cursor.deploymentEnded = true;
    const left = Math.round((endAt - ctx.deps.clock.elapsedMs()) / 1000);
    if (left > 0)
      logInfo(
        ctx.deps,
        `codedeploy: ${ctx.cursor.deploymentRef} Succeeded: the hold at ${outcome.percent}% ends ${formatDuration(left)} early (all traffic is on the new version)`,
      );
  }
  if (watched.kind !== 'healthy') {
    outcome.result = handedOffOr(
      stepResultOfWatch(watched, ctx.req.signal?.aborted === true),
      ctx.req.signal,
    );
    return toPhaseOutcome(watched);
  }
  emitEvent(ctx.deps, {
    type: 'step.completed',
    index: step.index,
    percent: outcome.percent,
    target: { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias },
    ...(judgedHealthy(ctx.monitor.latestVerdicts()) ? {} : { unjudged: true as const }),
  });
  // An operator's promote or pause moved the end: the next step counts from now, not the plan.
  ctx.holdEnd = watched.early ? ctx.deps.clock.elapsedMs() : endAt;
  return { kind: 'done' };
}

/**
 * A driver on its own schedule (CodeDeploy) whose deployment Succeeded while lshift held a step
 * below 100% ends that hold with an end-of-step poll right after the poll that read it (its
 * judgement as at the planned end: WatchOptions.endsStepWhen; session 63's notes: a follow that saw the
 * step late held it for its whole time, minutes past CodeDeploy's end, all traffic on the target).
 * Not before the plan's own end of the step, counted from the shift's start (CodeDeploy's schedule
 * starts no earlier): a config that ran faster than the plan (one of another schedule) is still
 * watched for the time the plan asked, as before — an alarm in it still rolls back.
 */
function succeededMeanwhile(ctx: ShiftContext, step: PlanStep): (() => boolean) | undefined {
  const { traffic, shiftFrom } = ctx;
  if (!traffic.ownSchedule || !traffic.succeeded || shiftFrom === undefined) return undefined;
  const notBefore = shiftFrom + (step.offsetSeconds + step.holdSeconds) * 1000;
  return () => traffic.succeeded?.(ctx.cursor) === true && ctx.deps.clock.elapsedMs() >= notBefore;
}

/** All traffic to the new version (routing cleared), held for the plan's last step (0 s). */
export async function runPromote(ctx: ShiftContext, index: number): Promise<PhaseOutcome> {
  const written = await runSetWeight(ctx, 100, index);
  if (written.kind !== 'done') return written;
  return runHold(ctx, index);
}

function recordStep(
  ctx: ShiftContext,
  step: PlanStep,
  percent: number,
  startedAt: number,
  result: StepOutcome['result'],
): StepOutcome {
  const outcome: StepOutcome = {
    index: step.index,
    percent,
    holdSeconds: step.holdSeconds,
    startedAt,
    result,
  };
  ctx.steps.push(outcome);
  return outcome;
}
