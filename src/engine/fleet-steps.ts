/**
 * A release program with several targets (issue 13), run by the same interpreter: each target
 * has its own run (cursor, record, health monitor), and a step goes to the run of its target.
 * What several targets add:
 * - a lockstep level (the weight writes of one plan step, one per target) is written in
 *   parallel, at most `concurrency` at a time, each with its own RevisionId guard; the level
 *   ends when every write did, and a failed write starts no further one of that level;
 * - a lockstep level has one clock: every target's hold counts from the level's start (the end
 *   of the previous level's hold, or now) and polls on one grid from there; all end together,
 *   at start + hold, or later when a write landed more than 10% of the hold after the start:
 *   every new weight is watched at least 90% of the hold after its own write (traffic-steps.ts,
 *   holdAfterCatchUp), so the level ends 90% of the hold after its last write;
 * - before a lockstep level's writes every target's alias is read, and before a `--stagger`
 *   turn every target still waiting for its turn (level-alias-reads.ts): one moved by someone
 *   else stops the release before any more traffic moves;
 * - a hold, settle or bake without a target watches every target at once, and the first target
 *   whose health fails gives the verdict of the whole release (the others stop watching);
 * - a hook without a target runs once for the release (in the run of the first target): its
 *   events and its payload are the release's (`release`), not that first target's;
 * - a hook, of the release or a target's own, ends when any target is taken over or found
 *   deleted (the others wait for it, and their records beat from its wait): the release stops
 *   for that target.
 */
import { causeOf } from '../domain/outcome.js';
import { formatTarget, type ReleaseStep, type ReleaseTarget } from '../domain/release-program.js';
import type { EventSink } from '../ports/event-sink.js';
import { mapBounded } from './bounded.js';
import {
  findMovedAlias,
  type LevelReads,
  type MovedAlias,
  type ReadAhead,
  readLevelAliases,
  startReadAhead,
  turnReads,
} from './level-alias-reads.js';
import type { RecordGate } from './record-lag-notice.js';
import { holdForRecord, PROMOTION_GATE, recordLags, retryLaggingRecord, weightGate } from './record-wait.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { scheduledHoldEnd } from './traffic-steps.js';
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

/**
 * Enough writes in flight for the limiter, not the round trip, to set a level's pace: 15 a second
 * with up to 2 s per round trip (a loaded runner, a far region, or a sandbox whose compressed
 * clock makes every real millisecond count ×10). With 8, a 150 ms round trip at 10× made a
 * 100-function level take 19 simulated seconds instead of the limiter's 6.
 */
export const LEVEL_WRITES_IN_FLIGHT = 32;

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

export async function runFleetStep(
  fleet: FleetRun,
  steps: readonly ReleaseStep[],
  index: number,
  runOne: RunOneStep,
): Promise<FleetStepEnd> {
  const step = steps[index]!;
  if (step.kind === 'setWeight' || step.kind === 'promote') {
    let end = index + 1;
    while (sameLevel(steps[end], step)) end++;
    const indexes = Array.from({ length: end - index }, (_, i) => index + i);
    const level = steps
      .slice(index, end)
      .flatMap((s) => ('target' in s && s.target ? [memberOf(fleet, s.target)] : []));
    const percent = step.kind === 'promote' ? 100 : step.percent;
    const ahead = fleet.readAhead;
    fleet.readAhead = undefined;
    const held = await awaitRecordsBefore(fleet, level, weightGate(percent));
    if (held) return { ...held, next: end };
    const inFlight = fleet.writeConcurrency ?? LEVEL_WRITES_IN_FLIGHT;
    if (indexes.length > 1) {
      // Someone else moved an alias since the last level: stopped before any function moves on.
      const moved = await findMovedAlias(levelReads(fleet, steps, index), ahead);
      if (moved) return { ...stopForMoved(fleet, moved), next: end };
      shareLevelClock(fleet, steps.slice(index, end));
    } else {
      // A `--stagger` turn starts: every function still waiting for its turn is read first.
      const where = `step ${step.planStep + 1} (${percent}%)`;
      const turn = turnReads(fleet.members, level[0]!, { index, where, inFlight });
      const moved = turn && (await readLevelAliases(turn));
      if (moved) return { ...stopForMoved(fleet, moved), next: end };
    }
    const clock = level[0]!.deps.clock;
    const writesFrom = clock.elapsedMs();
    const ended = await runBounded(inFlight, indexes, (i) => {
      const s = steps[i] as Extract<ReleaseStep, { kind: 'setWeight' | 'promote' }>;
      return runTargeted(fleet, s.target, steps, i, runOne);
    });
    if (indexes.length > 1) fleet.writeSpanMs = clock.elapsedMs() - writesFrom;
    return { ...ended, next: end };
  }
  if (step.kind === 'hook') return { ...(await runHook(fleet, step, steps, index, runOne)), next: index + 1 };
  if ('target' in step && step.target) {
    const target = step.target;
    const own = () => runTargeted(fleet, target, steps, index, runOne);
    const watched = step.kind === 'hold' || step.kind === 'settle';
    const ended =
      watched && fleet.members.length > 1 ? await watchingTheOthers(fleet, target, own) : await own();
    return { ...ended, next: index + 1 };
  }
  if (step.kind === 'hold') {
    shareLevelEnd(fleet, step.planStep);
    readAheadOfNextLevel(fleet, steps, index);
  }
  if (step.kind === 'done') {
    const held = await awaitRecordsBefore(fleet, fleet.members, PROMOTION_GATE);
    if (held) return { ...held, next: index + 1 };
  }
  // A settle ends for each function when its own data have arrived (a hold or bake may end a
  // poll apart): one done early is watched alongside until the last one is.
  const watchesHealth = ['hold', 'settle', 'bake'].includes(step.kind);
  const run = (ctx: ShiftContext) => runOne(ctx, steps, index);
  const ended = await runEveryTarget(fleet, run, watchesHealth);
  // Ended early (skipped, failed): reads not started yet are left to the level itself.
  fleet.readAhead?.cancel();
  return { ...ended, next: index + 1 };
}

/** The lockstep level whose first write is at `index`: its runs and words (level-alias-reads.ts). */
function levelReads(fleet: FleetRun, steps: readonly ReleaseStep[], index: number): LevelReads {
  const first = steps[index] as Extract<ReleaseStep, { kind: 'setWeight' | 'promote' }>;
  let end = index + 1;
  while (sameLevel(steps[end], first)) end++;
  const members = steps
    .slice(index, end)
    .flatMap((s) => ('target' in s && s.target ? [memberOf(fleet, s.target)] : []));
  const percent = first.kind === 'promote' ? 100 : first.percent;
  const inFlight = fleet.writeConcurrency ?? LEVEL_WRITES_IN_FLIGHT;
  return {
    index,
    members,
    where: `the release's weight writes of step ${first.planStep + 1} (${percent}%)`,
    inFlight,
  };
}

/** A function found moved by someone else: the release stops for it, a conflict (exit 5). */
function stopForMoved(fleet: FleetRun, moved: MovedAlias): Omit<FleetStepEnd, 'next'> {
  fleet.verdict.abort();
  const outcome = { kind: 'conflict', cause: moved.cause, why: causeOf('ALIAS_CHANGED', {}) } as const;
  return { outcome, target: targetOf(moved.ctx) };
}

/**
 * A hold followed at once by a lockstep level (no hook between): that level's alias reads start
 * before the hold ends, as long before as the last level's writes took (level-alias-reads.ts).
 */
function readAheadOfNextLevel(fleet: FleetRun, steps: readonly ReleaseStep[], holdIndex: number): void {
  fleet.readAhead?.cancel();
  fleet.readAhead = undefined;
  const hold = steps[holdIndex] as Extract<ReleaseStep, { kind: 'hold' }>;
  const next = steps[holdIndex + 1];
  if (next?.kind !== 'setWeight' && next?.kind !== 'promote') return;
  const held = fleet.members.filter((m) => m.current?.outcome.index === hold.planStep);
  const ends = held.flatMap((m) => [scheduledHoldEnd(m, hold.planStep), m.levelEnd].flatMap((e) => e ?? []));
  const holdEnd = ends.length > 0 ? Math.max(...ends) : undefined;
  fleet.readAhead = startReadAhead(levelReads(fleet, steps, holdIndex + 1), holdEnd, fleet.writeSpanMs);
}

/**
 * Before a level's weight writes, or the release's `done` (declared promoted): every function of
 * `gated` whose record lags (record-wait.ts) tries it once more, and those that still lag hold
 * their weight together until each caught up — the others watched alongside, as in a hold — or
 * the release rolls back at the stale limit. Waited for inside the level, a function's wait
 * would leave the others' new weights unwatched. Before any traffic moved, each write tries once
 * more and refuses (traffic-steps.ts).
 */
async function awaitRecordsBefore(
  fleet: FleetRun,
  gated: readonly ShiftContext[],
  gate: RecordGate,
): Promise<Omit<FleetStepEnd, 'next'> | undefined> {
  if (!fleet.members.some((m) => m.trafficMoved)) return undefined;
  const tried = await Promise.all(
    gated.filter(recordLags).map(async (ctx) => ({ ctx, ended: await retryLaggingRecord(ctx) })),
  );
  const found = tried.find((t) => t.ended !== undefined);
  if (found?.ended) {
    fleet.verdict.abort();
    return endedByOther(fleet, found.ended) ?? { outcome: found.ended, target: targetOf(found.ctx) };
  }
  const lagging = tried.flatMap((t) => (t.ctx.recorder.recordLag() ? [t.ctx] : []));
  if (lagging.length === 0) return undefined;
  const hold = (ctx: ShiftContext): Promise<PhaseOutcome> =>
    lagging.includes(ctx) ? holdForRecord(ctx, gate) : Promise.resolve({ kind: 'done' });
  const ended = await runEveryTarget(fleet, hold, true);
  return ended.outcome.kind === 'done' ? undefined : ended;
}

/**
 * A hook: of the whole release (no target) in the first function's run, about the release; a
 * function's own in that function's run.
 */
async function runHook(
  fleet: FleetRun,
  step: Extract<ReleaseStep, { kind: 'hook' }>,
  steps: readonly ReleaseStep[],
  index: number,
  runOne: RunOneStep,
): Promise<Omit<FleetStepEnd, 'next'>> {
  if (step.target) return runTargeted(fleet, step.target, steps, index, runOne);
  const release = fleet.release && { ...fleet.release, members: fleet.members };
  const outcome = await runOne(fleet.members[0]!, steps, index, release);
  return endedByOther(fleet, outcome) ?? { outcome };
}

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
function endedByOther(fleet: FleetRun, outcome: PhaseOutcome): Omit<FleetStepEnd, 'next'> | undefined {
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

function sameLevel(next: ReleaseStep | undefined, step: Extract<ReleaseStep, { planStep: number }>): boolean {
  return (
    next !== undefined && next.kind === step.kind && 'planStep' in next && next.planStep === step.planStep
  );
}

async function runTargeted(
  fleet: FleetRun,
  target: ReleaseTarget,
  steps: readonly ReleaseStep[],
  index: number,
  runOne: RunOneStep,
): Promise<Omit<FleetStepEnd, 'next'>> {
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
async function watchingTheOthers(
  fleet: FleetRun,
  target: ReleaseTarget,
  own: () => Promise<Omit<FleetStepEnd, 'next'>>,
): Promise<Omit<FleetStepEnd, 'next'>> {
  const holder = memberOf(fleet, target);
  const gridFrom = holder.current?.countFrom;
  const held = new AbortController();
  let failed: Omit<FleetStepEnd, 'next'> | undefined;
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
async function runEveryTarget(
  fleet: FleetRun,
  run: (ctx: ShiftContext) => Promise<PhaseOutcome>,
  watchesHealth: boolean,
): Promise<Omit<FleetStepEnd, 'next'>> {
  let first: Omit<FleetStepEnd, 'next'> | undefined;
  let interrupted: Omit<FleetStepEnd, 'next'> | undefined;
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

async function runBounded(
  limit: number,
  indexes: number[],
  run: (index: number) => Promise<Omit<FleetStepEnd, 'next'>>,
): Promise<Omit<FleetStepEnd, 'next'>> {
  const ended = await mapBounded(limit, indexes, run, (e) => e.outcome.kind !== 'done');
  return ended.find((e) => e !== undefined && e.outcome.kind !== 'done') ?? { outcome: { kind: 'done' } };
}

/**
 * One hold clock for a lockstep level: each target's hold counts from the latest scheduled end
 * of the previous level's holds (they all ended before this level began), or from now when one
 * has none (the first level, after a hook, after a resume). Without it each target would count
 * from its own previous end, and a level whose writes take seconds would end seconds later for
 * the last targets at every step.
 */
function shareLevelClock(fleet: FleetRun, level: readonly ReleaseStep[]): void {
  const members = level.flatMap((s) => ('target' in s && s.target ? [memberOf(fleet, s.target)] : []));
  const ends = members.map((m) => m.holdEnd);
  const known = ends.filter((e): e is number => e !== undefined);
  const from = known.length === ends.length ? Math.max(...known) : members[0]!.deps.clock.elapsedMs();
  for (const m of members) m.holdEnd = from;
}

/**
 * Every target of a level ends its hold at the latest of their scheduled ends: they would
 * otherwise wait idle for the last one anyway, and ending together puts their last polls in
 * one round (one batch of CloudWatch reads) instead of one per late write.
 */
function shareLevelEnd(fleet: FleetRun, planStep: number): void {
  const level = fleet.members.filter((m) => m.current?.outcome.index === planStep);
  const ends = level.flatMap((m) => scheduledHoldEnd(m, planStep) ?? []);
  if (ends.length < 2) return;
  const end = Math.max(...ends);
  for (const m of level) m.levelEnd = end;
}

function targetOf(ctx: ShiftContext): ReleaseTarget {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}

function memberOf(fleet: FleetRun, target: ReleaseTarget): ShiftContext {
  const key = formatTarget(target);
  const member = fleet.members.find((m) => formatTarget(m.cursor) === key);
  if (!member) throw new Error(`the program names ${key}, which is not a target of this release`);
  return member;
}
