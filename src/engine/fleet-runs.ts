/**
 * The runs of a release's targets and how a step runs across them (fleet-steps.ts): one target's
 * step that may end the release, a `--stagger` hold that watches the others alongside, and a step
 * every target runs at once whose first failure ends every other watch.
 */
import { formatTarget, type ReleaseStep, type ReleaseTarget } from '../domain/release-program.js';
import type { EventSink } from '../ports/event-sink.js';
import type { ReadAhead } from './level-alias-reads.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { watchAlongside } from './watch-steps.js';

/** The runs of a release's targets, and what ends every watch once one target failed. */
export interface FleetRun {
  members: ShiftContext[];
  /** The release's bound on calls at once (its preflights and rollbacks, release.ts). */
  concurrency: number;
  /**
   * Weight writes of a level in flight at once (default LEVEL_WRITES_IN_FLIGHT). The shared
   * limiter paces them at Lambda's 15 requests a second; this only has to cover round trips.
   */
  writeConcurrency?: number;
  /** Aborted on the first failed verdict: every other target's watch ends there. */
  verdict: AbortController;
  /**
   * The release a step of the whole release (its hooks) is about: its events name the release and
   * its payload every function, where the first target's run (which executes it) would name that
   * function alone.
   */
  release?: ReleaseScope;
  /** How long the last lockstep level's writes took (`clock.elapsedMs()`): readAheadOfNextLevel. */
  writeSpanMs?: number;
  /** The next level's alias reads, started before the hold ahead of it ends (level-alias-reads.ts). */
  readAhead?: ReadAhead;
}

/** The release itself: its id, and the sink of its own events (release.ts, releaseEvents). */
export interface ReleaseScope {
  releaseId: string;
  events: EventSink;
}

/** What a hook of the whole release is told: the release, and the run of every function. */
export interface ReleaseHookScope extends ReleaseScope {
  members: readonly ShiftContext[];
}

/** How a group of steps ended, and the target that ended it (when one did). */
export interface FleetStepEnd {
  outcome: PhaseOutcome;
  target?: ReleaseTarget;
  /** The next step to run. */
  next: number;
}

export type RunOneStep = (
  ctx: ShiftContext,
  steps: readonly ReleaseStep[],
  index: number,
  /** The release a hook of the whole release is about (FleetRun.release). */
  release?: ReleaseHookScope,
) => Promise<PhaseOutcome>;

/** A step's end before the next step is known. */
export type StepEnd = Omit<FleetStepEnd, 'next'>;

/**
 * How a step ended because a function was taken over or found deleted (a heartbeat of its wait
 * found it: a hook, hook-phase.ts; a wait for provisioned concurrency) — any function of the
 * release, not only the one whose run executes the step: it ends the release as that function's
 * own next step would have. A deleted one fails, and the others roll back for it. The conflict is that function's — left to its new owner — and the others roll back for it
 * (release-verdict.ts, outcomeFor). The conflict names it (`takenOver`, shift-context.ts
 * checkOwnership): not its cause's text, which two functions' reasons may share and another
 * conflict may happen to equal. Undefined for any other ending (a failed hook of the whole release
 * has no target: every function rolls back for it).
 */
export function endedByOther(fleet: FleetRun, outcome: PhaseOutcome): StepEnd | undefined {
  // A function taken over, found deleted, or whose health failed while a hook ran (wait-watch.ts).
  const target =
    outcome.kind === 'conflict'
      ? outcome.takenOver
      : outcome.kind === 'failed'
        ? outcome.failedIn
        : undefined;
  if (target === undefined) return undefined;
  fleet.verdict.abort();
  return { outcome, target };
}

export async function runTargeted(
  fleet: FleetRun,
  target: ReleaseTarget,
  steps: readonly ReleaseStep[],
  index: number,
  runOne: RunOneStep,
): Promise<StepEnd> {
  const outcome = await runOne(memberOf(fleet, target), steps, index);
  // A wait of this target's step (its own hook, its provisioned concurrency) may have found
  // another target taken over or deleted: the release stops for that one.
  const taken = endedByOther(fleet, outcome);
  if (taken) return taken;
  if (outcome.kind === 'failed' || outcome.kind === 'conflict') fleet.verdict.abort();
  return outcome.kind === 'done' ? { outcome } : { outcome, target };
}

/**
 * A hold or settle of one target (`--stagger`): every other target is watched alongside until it
 * ends (traffic-steps.ts, watchAlongside). Without it a promoted function went unwatched while the
 * later ones walked — its alarm could fire and the release still promoted — and every record but
 * the walking one's went without a heartbeat, looking abandoned after `--stale-after`.
 */
export async function watchingTheOthers(
  fleet: FleetRun,
  target: ReleaseTarget,
  own: () => Promise<StepEnd>,
): Promise<StepEnd> {
  const holder = memberOf(fleet, target);
  const gridFrom = holder.current?.countFrom;
  const held = new AbortController();
  let failed: StepEnd | undefined;
  const others = fleet.members
    .filter((m) => m !== holder)
    .map(async (ctx) => {
      const outcome = await watchAlongside(ctx, held.signal, gridFrom);
      if (outcome.kind !== 'failed' && outcome.kind !== 'conflict') return;
      failed ??= { outcome, target: { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias } };
      fleet.verdict.abort();
    });
  const ended = await own();
  held.abort();
  await Promise.all(others);
  // The holder stopped by another's failure reports `interrupted`, which never hides that failure.
  return ended.outcome.kind === 'done' || ended.outcome.kind === 'interrupted' ? (failed ?? ended) : ended;
}

/**
 * Every target runs the step at once (a hold, a settle, the bake, done, a wait for records); the
 * first that does not end `done` ends the others' watch and is the outcome. A target stopped that
 * way reports `interrupted`, which never hides the failure that stopped it. `watchesHealth`: one
 * done early is watched alongside until the last one is, not left at its weight unwatched — and
 * its record keeps its heartbeat, its commands their reader.
 */
export async function runEveryTarget(
  fleet: FleetRun,
  run: (ctx: ShiftContext) => Promise<PhaseOutcome>,
  watchesHealth: boolean,
): Promise<StepEnd> {
  let first: StepEnd | undefined;
  let interrupted: StepEnd | undefined;
  const report = (ctx: ShiftContext, outcome: PhaseOutcome) => {
    if (outcome.kind === 'done') return;
    const target = { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
    if (outcome.kind === 'interrupted') {
      interrupted ??= { outcome, target };
      return;
    }
    first ??= { outcome, target };
    fleet.verdict.abort();
  };
  const allEnded = new AbortController();
  let running = fleet.members.length;
  await Promise.all(
    fleet.members.map(async (ctx) => {
      const outcome = await run(ctx);
      running -= 1;
      if (running === 0) allEnded.abort();
      if (outcome.kind !== 'done' || !watchesHealth || allEnded.signal.aborted) return report(ctx, outcome);
      report(ctx, await watchAlongside(ctx, allEnded.signal, ctx.current?.countFrom));
    }),
  );
  return first ?? interrupted ?? { outcome: { kind: 'done' } };
}

export function targetOf(ctx: ShiftContext): ReleaseTarget {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}

export function memberOf(fleet: FleetRun, target: ReleaseTarget): ShiftContext {
  const key = formatTarget(target);
  const member = fleet.members.find((m) => formatTarget(m.cursor) === key);
  if (!member) throw new Error(`the program names ${key}, which is not a target of this release`);
  return member;
}
