/**
 * A release is a program: a typed list of steps computed purely from the strategy, the deploy
 * options and the targets — the way Argo Rollouts' canary steps are a one-of
 * (https://argo-rollouts.readthedocs.io/en/stable/features/canary/). `lshift plan` and
 * `deploy --dry-run` print it before anything is written.
 *
 * The forward walk is: pre-traffic hooks → for each plan step below 100%: [step hooks] →
 * setWeight → hold (judged) → [step hooks] → [settle] → promote (100%, routing cleared) →
 * [bake (judged)] → [settle] → post-traffic hooks → done. Every weight step addresses one target,
 * so a release of several functions is more setWeight steps per level, not another loop.
 */
import { formatDuration, formatPercent } from './duration.js';
import { formatHookSpec, type HookSpec } from './hook-spec.js';
import { type Plan, planShift } from './plan.js';
import type { Strategy } from './strategy-shape.js';

/** One alias of one function whose traffic the release moves. */
export interface ReleaseTarget {
  functionName: string;
  alias: string;
}

/** What judges a hold: the health signals (alarms, canary analysis) polled while it lasts. */
export type HoldJudge = 'health';

/**
 * Steps without a `target` belong to the whole release: a hold or settle then watches every
 * target at once (lockstep), a hook runs once for the release. With `target` (a per-function
 * hook, or a hold of `--stagger`) only that target's run executes it.
 */
export type ReleaseStep =
  | { kind: 'hook'; phase: 'pre' | 'step' | 'post'; specs: HookSpec[]; target?: ReleaseTarget }
  | { kind: 'setWeight'; target: ReleaseTarget; percent: number; planStep: number }
  | { kind: 'hold'; seconds: number; judge: HoldJudge; planStep: number; target?: ReleaseTarget }
  /**
   * Hold the last weight until the metrics of the last minutes have arrived, at most
   * `maxSeconds` (issue 11; executed by the engine's settle wait).
   */
  | {
      kind: 'settle';
      maxSeconds: number;
      before: 'promote' | 'done';
      /** Before the promote: whole minutes also held (and awaited) at the last weight. */
      extraMinutes?: number;
      target?: ReleaseTarget;
    }
  /** All traffic to the target: FunctionVersion = target, routing cleared. */
  | { kind: 'promote'; target: ReleaseTarget; planStep: number }
  | { kind: 'bake'; seconds: number; judge: HoldJudge }
  /** All traffic back on `version`, routing cleared: the step of a rollback program. */
  | { kind: 'restore'; target: ReleaseTarget; version: string }
  | { kind: 'done' };

export type ReleaseStepKind = ReleaseStep['kind'];

type PhaseHooks = { pre?: HookSpec[]; step?: HookSpec[]; post?: HookSpec[] };

export interface ReleaseOptions {
  /** Hooks of the whole release: they run once, not once per target. */
  hooks?: PhaseHooks;
  /** Hooks of one target (key: `function:alias`, formatTarget), run for that target only. */
  targetHooks?: Record<string, PhaseHooks>;
  /**
   * Several targets: one after the other (each walks the whole plan, canary first) instead of
   * in lockstep (every target at each weight before the next weight).
   */
  stagger?: boolean;
  /** Seconds to keep watching after 100% (0: no bake). */
  bakeSeconds?: number;
  /**
   * Longest settle wait (`--settle`); absent: the plan's default (planShift), 0: none. A plan
   * handed over ready-made (planReleaseOf) carries its own.
   */
  settleSeconds?: number;
  /**
   * The driver moves traffic on its own schedule (CodeDeploy): lshift cannot keep the last
   * weight while late metrics arrive, so the settle wait runs after the promote instead of
   * before it, still judging the last weight's minutes (a failure then rolls back from 100%).
   */
  settleAfterPromote?: boolean;
}

/** Any program the interpreter runs: a release, or a rollback. */
export interface Program {
  targets: ReleaseTarget[];
  steps: ReleaseStep[];
}

export interface ReleaseProgram extends Program {
  strategy: Strategy;
  /** The weight schedule the program was built from. */
  plan: Plan;
}

export function planRelease(
  strategy: Strategy,
  options: ReleaseOptions,
  targets: ReleaseTarget[],
): ReleaseProgram {
  return planReleaseOf(planShift(strategy, { settleSeconds: options.settleSeconds }), options, targets);
}

/** The program of an already computed plan (the engine is handed one; resume rebuilds it). */
export function planReleaseOf(plan: Plan, options: ReleaseOptions, targets: ReleaseTarget[]): ReleaseProgram {
  const strategy = plan.strategy;
  const steps: ReleaseStep[] = [];
  const hooks = (phase: 'pre' | 'step' | 'post', only?: ReleaseTarget) => {
    const specs = options.hooks?.[phase] ?? [];
    if (specs.length > 0) steps.push({ kind: 'hook', phase, specs });
    for (const target of only ? [only] : targets) {
      const own = options.targetHooks?.[formatTarget(target)]?.[phase] ?? [];
      if (own.length > 0) steps.push({ kind: 'hook', phase, specs: own, target });
    }
  };
  const settle = (before: 'promote' | 'done', on: { target?: ReleaseTarget } = {}) => {
    const max = plan.settleSeconds ?? 0;
    const extra = before === 'promote' ? (plan.settleExtraMinutes ?? 0) : 0;
    if (max > 0)
      steps.push({
        kind: 'settle',
        maxSeconds: max,
        before,
        ...(extra > 0 ? { extraMinutes: extra } : {}),
        ...on,
      });
  };
  // A single target's holds name none: they are the release's (and programs stay as before).
  const staggered = options.stagger === true && targets.length > 1;
  const walk = (moved: ReleaseTarget[], holder?: ReleaseTarget) => {
    const on = holder ? { target: holder } : {};
    for (const [position, step] of plan.steps.entries()) {
      // Step hooks run before every weight increase after the first one.
      if (position > 0) hooks('step', holder);
      if (step.percent >= 100) {
        // Nothing precedes an all-at-once 100%: no step of it whose metrics to await.
        if (!options.settleAfterPromote && position > 0) settle('promote', on);
        for (const target of moved) steps.push({ kind: 'promote', target, planStep: step.index });
        continue;
      }
      for (const target of moved) {
        steps.push({ kind: 'setWeight', target, percent: step.percent, planStep: step.index });
      }
      steps.push({ kind: 'hold', seconds: step.holdSeconds, judge: 'health', planStep: step.index, ...on });
    }
  };
  hooks('pre');
  if (staggered) for (const target of targets) walk([target], target);
  else walk(targets);
  const bake = options.bakeSeconds ?? 0;
  if (bake > 0) steps.push({ kind: 'bake', seconds: bake, judge: 'health' });
  const shifted = plan.steps.length > 1;
  if (bake > 0 || (options.settleAfterPromote === true && shifted)) settle('done');
  hooks('post');
  steps.push({ kind: 'done' });
  return { strategy, plan, targets, steps };
}

/**
 * A rollback is a program too: every target back on the stable version of its deployment,
 * routing cleared — run by the same interpreter as a release, with the same RevisionId guard,
 * retries and events.
 */
export function planRollback(record: { stableVersion: string }, target: ReleaseTarget): Program {
  return { targets: [target], steps: [{ kind: 'restore', target, version: record.stableVersion }] };
}

/**
 * `lshift alias`: a one-step program — all traffic on `version` now, routing cleared — run by
 * the same interpreter and driver as a rollback, but once, with no retry (RestoreOptions.once).
 */
export function planMoveAlias(target: ReleaseTarget, version: string): Program {
  return planRollback({ stableVersion: version }, target);
}

/** Where a deployment picks up, from what its record and the alias say (resume-point.ts). */
export type ResumeFrom =
  /** Pre-traffic hooks (unless `preHooks` is false), then the plan from `fromStep`. */
  | { kind: 'shift'; fromStep: number; preHooks: boolean }
  /** All traffic is on the target: the bake (if any), post-traffic hooks, done. */
  | { kind: 'bake' }
  /** The bake is over: post-traffic hooks, done. */
  | { kind: 'post' };

/** The program index a deployment resumes at: the step index the interpreter runs from. */
export function resumeIndex(program: ReleaseProgram, from: ResumeFrom): number {
  const steps = program.steps;
  const find = (test: (s: ReleaseStep) => boolean) => {
    const at = steps.findIndex(test);
    return at < 0 ? steps.length - 1 : at;
  };
  let afterPromote = 0;
  steps.forEach((s, i) => {
    if (s.kind === 'promote') afterPromote = i + 1;
  });
  switch (from.kind) {
    case 'shift': {
      if (from.fromStep === 0 && from.preHooks) return 0;
      const at = find((s) => (s.kind === 'setWeight' || s.kind === 'promote') && s.planStep >= from.fromStep);
      // A promote resumed is settled first, as on the way there (its step hooks are not run again).
      return steps[at - 1]?.kind === 'settle' ? at - 1 : at;
    }
    case 'bake':
      return afterPromote;
    case 'post': {
      const post = steps.findIndex((s, i) => i >= afterPromote && s.kind === 'hook' && s.phase === 'post');
      return post < 0 ? find((s) => s.kind === 'done') : post;
    }
  }
}

/** Scheduled seconds of the program: holds and bake (hooks and settle waits are unbounded here). */
export function programSeconds(program: ReleaseProgram): number {
  return program.steps.reduce((sum, s) => sum + (s.kind === 'hold' || s.kind === 'bake' ? s.seconds : 0), 0);
}

const HOOK_LABELS = { pre: 'pre-traffic hooks', step: 'step hooks', post: 'post-traffic hooks' };

/** One line per step, for `lshift plan` and `deploy --dry-run`. */
export function describeReleaseStep(step: ReleaseStep): string {
  switch (step.kind) {
    case 'hook':
      return `${HOOK_LABELS[step.phase]}${forTarget(step.target)}: ${step.specs.map(formatHookSpec).join(', ')}`;
    case 'setWeight':
      return `set ${formatTarget(step.target)} to ${formatPercent(step.percent)} on the new version`;
    case 'hold':
      return `hold ${formatDuration(step.seconds)}${forTarget(step.target)}, judged by health`;
    case 'settle':
      return (step.extraMinutes ?? 0) > 0
        ? `settle${forTarget(step.target)}: hold ${step.extraMinutes} more minute${step.extraMinutes === 1 ? '' : 's'} and wait for late metrics, at most ${formatDuration(step.maxSeconds)}`
        : `settle${forTarget(step.target)}: wait for late metrics, at most ${formatDuration(step.maxSeconds)}`;
    case 'promote':
      return `promote ${formatTarget(step.target)}: 100% on the new version, routing cleared`;
    case 'bake':
      return `bake ${formatDuration(step.seconds)} at 100%, judged by health`;
    case 'restore':
      return `restore ${formatTarget(step.target)}: all traffic on version ${step.version}, routing cleared`;
    case 'done':
      return 'done: record the deployment as promoted';
  }
}

function forTarget(target: ReleaseTarget | undefined): string {
  return target ? ` (${formatTarget(target)})` : '';
}

export function formatTarget(target: ReleaseTarget): string {
  return `${target.functionName}:${target.alias}`;
}

/**
 * The function of a release whose record carries operator commands (`lshift abort --release`):
 * the first by name, so the runner and the operator pick the same one without telling each other.
 * Its runner reads that record at every poll; the others only with their heartbeats (every 60 s).
 */
export function commandReaderOf<T extends ReleaseTarget>(targets: readonly T[]): T | undefined {
  let first: T | undefined;
  for (const t of targets) if (first === undefined || formatTarget(t) < formatTarget(first)) first = t;
  return first;
}

/** The program as JSON-ready data (hook specs shown without secrets). */
export function serializeReleaseStep(step: ReleaseStep): Record<string, unknown> {
  if (step.kind === 'hook') {
    const target = step.target ? { target: step.target } : {};
    return { kind: 'hook', phase: step.phase, specs: step.specs.map(formatHookSpec), ...target };
  }
  return { ...step };
}
