/**
 * The one interpreter: runs a program (src/domain/release-program.ts) from a step index. A
 * deploy runs its release program from 0; a resumed one from the index its record and alias
 * point at (resume-point.ts); a rollback is a program of `restore` steps run by the same loop;
 * supersede is a rollback program, then a release program. Each step reports how it ended; the
 * interpreter stops at the first that is not `done`, and settle.ts decides what that means.
 */
import { causeOf } from '../domain/outcome.js';
import type { Program, ReleaseStep, ReleaseTarget } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { formatWeight } from './deploy-result.js';
import type { FleetRun, ReleaseHookScope } from './fleet-runs.js';
import { runFleetStep } from './fleet-steps.js';
import { describeHookFailures, runHookPhase } from './hook-phase.js';
import { alarmsBeforeFirstWeight } from './pre-shift-alarms.js';
import { awaitRecordBefore, PROMOTION_GATE } from './record-wait.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { hookOptions, hookPayload, releaseHookPayload } from './shift-hooks.js';
import { abortedIn, checkOwnership, endedIn, hookStopOf, waitingWith } from './shift-waits.js';
import { type RestoreOptions, type RestoreOutcome, restoreTraffic } from './step-restore.js';
import { runHold, runPromote, runSetWeight } from './traffic-steps.js';
import { runWatched, type WaitWatch } from './wait-watch.js';
import { runBake, runSettle } from './watch-steps.js';

/** What a program runs against. `shift` is there for release programs (hooks, holds, records). */
export interface ProgramRun {
  traffic: TrafficDriver;
  /** Needed by holds and by restores that retry (absent: a one-write program, `lshift alias`). */
  clock?: Clock;
  cursor: TrafficCursor;
  restore?: RestoreOptions;
  shift?: ShiftContext;
  /** A release of several targets: each step goes to its target's run (fleet-steps.ts). */
  fleet?: FleetRun;
}

/** How a step ended: PhaseOutcome for release steps, and for a restore that could not finish. */
export type StepEnd = PhaseOutcome | Extract<RestoreOutcome, { kind: 'unsafe' | 'gone' }>;

export type ProgramOutcome = StepEnd & {
  /** The step that ended the run, or the program's length when every step was done. */
  index: number;
  /** The last restore, when the program had one. */
  restored?: Extract<RestoreOutcome, { kind: 'restored' }>;
  /** In a release of several targets: the target whose step ended the run. */
  target?: ReleaseTarget;
};

export async function runProgram(run: ProgramRun, program: Program, from = 0): Promise<ProgramOutcome> {
  if (run.shift?.req.signal?.aborted) return { kind: 'interrupted', index: from };
  let restored: ProgramOutcome['restored'];
  for (let index = from; index < program.steps.length; index++) {
    const step = program.steps[index]!;
    if (run.fleet && step.kind !== 'restore') {
      const ended = await runFleetStep(run.fleet, program.steps, index, runReleaseStep);
      if (ended.outcome.kind !== 'done') return { ...ended.outcome, index, restored, target: ended.target };
      index = ended.next - 1;
      continue;
    }
    if (step.kind === 'restore') {
      const outcome = await restoreTraffic(run, run.cursor, run.restore);
      if (outcome.kind === 'conflict') {
        const why = outcome.groupBusy ? causeOf('GROUP_BUSY', {}) : causeOf('ALIAS_CHANGED', {});
        const before = outcome.beforeWrite ? { beforeWrite: outcome.beforeWrite } : {};
        return {
          kind: 'conflict',
          cause: outcome.message,
          why,
          aliasState: outcome.aliasState,
          index,
          ...before,
        };
      }
      if (outcome.kind === 'unsafe' || outcome.kind === 'gone') return { ...outcome, index };
      restored = outcome;
      continue;
    }
    const outcome = await runReleaseStep(needShift(run, step), program.steps, index);
    if (outcome.kind !== 'done') return { ...outcome, index, restored };
  }
  return { kind: 'done', index: program.steps.length, restored };
}

/** A deployment's release program from `from` (0, or where a resume picks up). */
export async function runReleaseProgram(ctx: ShiftContext, from = 0): Promise<PhaseOutcome> {
  const ended = await runProgram(
    { traffic: ctx.traffic, clock: ctx.deps.clock, cursor: ctx.cursor, shift: ctx },
    ctx.program,
    from,
  );
  if (ended.kind === 'unsafe' || ended.kind === 'gone')
    throw new Error('a release program has no restore step');
  return ended;
}

function needShift(run: ProgramRun, step: ReleaseStep): ShiftContext {
  if (!run.shift) throw new Error(`a ${step.kind} step needs a running deployment`);
  return run.shift;
}

async function runReleaseStep(
  ctx: ShiftContext,
  steps: readonly ReleaseStep[],
  index: number,
  release?: ReleaseHookScope,
): Promise<PhaseOutcome> {
  const step = steps[index]!;
  ctx.programIndex = index;
  if ('target' in step && step.target) checkTarget(ctx, step.target);
  if (ctx.operator.promotingFully() && skippedByFullPromote(step)) return { kind: 'done' };
  if (skippedOnceServiceEnded(ctx, step)) return { kind: 'done' };
  switch (step.kind) {
    case 'hook':
      return runHookStep(ctx, step, nextWeight(steps, index), release);
    case 'setWeight':
      return runSetWeight(ctx, step.percent, step.planStep);
    case 'hold':
      return runHold(ctx, step.planStep);
    case 'promote':
      return runPromote(ctx, step.planStep);
    case 'bake':
      return runBake(ctx, step.seconds, steps[index + 1]?.kind === 'settle');
    case 'settle':
      return runSettle(ctx, step.before, lastWeightBefore(steps, index), step.extraMinutes ?? 0);
    case 'done':
      setAfterLastStep(ctx);
      // Not declared promoted while its record lags (record-wait.ts): an abort sent during the
      // post-traffic hooks, or as 100% was written, with ListTags failing went unseen. A release's
      // runs waited together before this step (fleet-steps.ts).
      return (
        checkOwnership(ctx) ??
        (ctx.inRelease ? undefined : await awaitRecordBefore(ctx, PROMOTION_GATE)) ?? { kind: 'done' }
      );
    case 'restore':
      throw new Error('restore steps are run by runProgram');
  }
}

/**
 * `lshift promote --full` skips every remaining weight, hold, settle, step hook and bake: the
 * next step run is the promote (100%), then the post-traffic hooks.
 */
function skippedByFullPromote(step: ReleaseStep): boolean {
  if (step.kind === 'hook') return step.phase === 'step';
  return step.kind === 'setWeight' || step.kind === 'hold' || step.kind === 'settle' || step.kind === 'bake';
}

/**
 * A driver on its own schedule (CodeDeploy) whose deployment already ended — Succeeded, seen by the
 * follow of a step below 100% (a failure or a stop ends the run instead) — moves nothing more: the
 * remaining weights, holds and step hooks are skipped, the promote finds it done, and the settle,
 * bake and post-traffic hooks run. It held that step for its whole time at 100% ("step 1/2: still
 * holding at 100%", the 2 hours of a 2-hour canary) before its promote read what it knew.
 */
function skippedOnceServiceEnded(ctx: ShiftContext, step: ReleaseStep): boolean {
  if (!ctx.traffic.ownSchedule || ctx.cursor.deploymentEnded !== true) return false;
  if (step.kind === 'hook') return step.phase === 'step';
  return step.kind === 'setWeight' || step.kind === 'hold';
}

/** Each run drives one target (one cursor, one record); fleet-steps.ts picks the run of a step. */
function checkTarget(ctx: ShiftContext, target: { functionName: string; alias: string }): void {
  if (target.functionName !== ctx.cursor.functionName || target.alias !== ctx.cursor.alias) {
    throw new Error(
      `step for ${target.functionName}:${target.alias} in the run of ${ctx.cursor.functionName}:${ctx.cursor.alias}`,
    );
  }
}

/** The weight the next setWeight/promote moves to (for a step hook's failure message). */
function nextWeight(steps: readonly ReleaseStep[], index: number): number | undefined {
  for (const s of steps.slice(index + 1)) {
    if (s.kind === 'setWeight') return s.percent;
    if (s.kind === 'promote') return 100;
  }
  return undefined;
}

/** The plan step held before the promote that follows `index` (the step the settle watches). */
function lastWeightBefore(steps: readonly ReleaseStep[], index: number): number {
  // A settle after the promote (a driver on its own schedule) watches the same last weight.
  const promote =
    steps.slice(index).find((s) => s.kind === 'promote') ??
    [...steps.slice(0, index)].reverse().find((s) => s.kind === 'promote');
  return promote && promote.kind === 'promote' ? Math.max(0, promote.planStep - 1) : 0;
}

/** `inPostHooks`: a rollback or an interrupt meanwhile says "during the post-traffic hooks". */
function setAfterLastStep(ctx: ShiftContext, inPostHooks = false): void {
  const last = ctx.req.plan.steps.at(-1);
  const during = inPostHooks ? { during: 'post-hook' as const } : {};
  ctx.position = { kind: 'after-step', index: last?.index ?? 0, percent: ctx.cursor.percent, ...during };
}

async function runHookStep(
  ctx: ShiftContext,
  step: Extract<ReleaseStep, { kind: 'hook' }>,
  next: number | undefined,
  /** A hook of the whole release: its events and payload are the release's, not this run's function's. */
  release?: ReleaseHookScope,
): Promise<PhaseOutcome> {
  if (step.specs.length === 0) return { kind: 'done' };
  if (step.phase === 'step') {
    // A step's hold counts from after its hooks, not from the end of the previous hold.
    ctx.holdEnd = undefined;
  } else {
    if (step.phase === 'post') setAfterLastStep(ctx, true);
    const recordPhase = step.phase === 'pre' ? 'pre-hook' : 'post-hook';
    if (!(await ctx.recorder.write({ phase: recordPhase }))) return checkOwnership(ctx) ?? { kind: 'done' };
  }
  const deps = { ...ctx.deps, events: release?.events ?? ctx.deps.events };
  const payload = release
    ? releaseHookPayload(release.releaseId, release.members, step.phase)
    : hookPayload(ctx, step.phase);
  // Any function of a release taken over (or deleted) ends the hook: a hook of the whole release is about
  // every function, and while a function's own hook runs the others wait for it (waitingWith).
  const watched = release?.members ?? waitingWith(ctx);
  const run = (watch: WaitWatch | undefined) =>
    runHookPhase(deps, step.specs, payload, {
      ...hookOptions(ctx, watched),
      ...(watch && { unhealthy: watch.unhealthy }),
    });
  // Health is watched beside a step or post-traffic hook (wait-watch.ts): traffic has moved.
  const during = step.phase === 'step' ? 'step-hook' : step.phase === 'post' ? 'post-hook' : undefined;
  const { result: outcome, health } = during
    ? await runWatched(watched, during, run, {
        closes: (ended) => ended.kind === 'ok' && hookStopOf(watched) === undefined,
      })
    : { result: await run(undefined), health: undefined };
  // Said by the rollback and the result: "before any traffic moved, during the pre-traffic hook".
  const duringPreHook = (): void => {
    if (step.phase === 'pre' && ctx.position.kind === 'before-traffic') {
      ctx.position = { kind: 'before-traffic', during: 'pre-hook' };
    }
  };
  if (outcome.kind === 'interrupted') {
    duringPreHook();
    return { kind: 'interrupted' };
  }
  // Health that failed while the hook ran ended it: the rollback is for the health, not the hook.
  if (health) return health;
  // An abort obeyed while the hook ran ended it — or, obeyed by a beat as the hook finished, is
  // acted on now: answered `done`, it must roll back, and after the post-traffic hooks no poll
  // would act on it.
  const aborted = endedIn(watched) ? undefined : abortedIn(watched);
  if (aborted) {
    if (outcome.kind === 'stopped') duringPreHook();
    return aborted;
  }
  if (outcome.kind === 'stopped' || outcome.kind === 'unhealthy')
    return endedIn(watched) ?? { kind: 'interrupted' };
  if (outcome.kind === 'failed') {
    const cause = describeHookFailures(step.phase, outcome.failures);
    const before =
      step.phase === 'step' && next !== undefined ? ` (before moving to ${formatWeight(next)})` : '';
    const output = outcome.failures[0]?.output;
    const hooks = outcome.failures.map((f) => f.hook);
    const why = causeOf('HOOK_FAILED', { phase: step.phase, hooks, ...(output ? { output } : {}) });
    return { kind: 'failed', cause: `${cause}${before}`, why };
  }
  if (step.phase === 'step') return { kind: 'done' };
  const ended = endedIn(watched);
  // The post-traffic hooks are over: what follows (the promotion) is no longer "during" them.
  if (!ended && step.phase === 'post') setAfterLastStep(ctx);
  if (ended || step.phase !== 'pre') return ended ?? { kind: 'done' };
  // Nothing was watched while the pre-traffic hooks ran: an alarm that fired meanwhile stops the
  // shift before its first weight (pre-shift-alarms.ts).
  return (await alarmsBeforeFirstWeight(release?.members ?? [ctx])) ?? { kind: 'done' };
}
