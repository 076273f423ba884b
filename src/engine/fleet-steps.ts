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
import type { ReleaseStep } from '../domain/release-program.js';
import { mapBounded } from './bounded.js';
import {
  endedByOther,
  type FleetRun,
  type FleetStepEnd,
  memberOf,
  type RunOneStep,
  runEveryTarget,
  runTargeted,
  type StepEnd,
  targetOf,
  watchingTheOthers,
} from './fleet-runs.js';
import {
  findMovedAlias,
  type LevelReads,
  type MovedAlias,
  readLevelAliases,
  startReadAhead,
  turnReads,
} from './level-alias-reads.js';
import type { RecordGate } from './record-lag-notice.js';
import { holdForRecord, PROMOTION_GATE, recordLags, retryLaggingRecord, weightGate } from './record-wait.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';
import { scheduledHoldEnd } from './traffic-steps.js';

/**
 * Enough writes in flight for the limiter, not the round trip, to set a level's pace: 15 a second
 * with up to 2 s per round trip (a loaded runner, a far region, or a sandbox whose compressed
 * clock makes every real millisecond count ×10). With 8, a 150 ms round trip at 10× made a
 * 100-function level take 19 simulated seconds instead of the limiter's 6.
 */
export const LEVEL_WRITES_IN_FLIGHT = 32;

export async function runFleetStep(
  fleet: FleetRun,
  steps: readonly ReleaseStep[],
  index: number,
  runOne: RunOneStep,
): Promise<FleetStepEnd> {
  const step = steps[index]!;
  if (step.kind === 'setWeight' || step.kind === 'promote') {
    const { end, members: level, percent } = levelAt(fleet, steps, index);
    const indexes = Array.from({ length: end - index }, (_, i) => index + i);
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
  const { members, percent, planStep } = levelAt(fleet, steps, index);
  const inFlight = fleet.writeConcurrency ?? LEVEL_WRITES_IN_FLIGHT;
  return {
    index,
    members,
    where: `the release's weight writes of step ${planStep + 1} (${percent}%)`,
    inFlight,
  };
}

/** The lockstep level whose first write is at `index`: where it ends, its runs, its weight. */
function levelAt(fleet: FleetRun, steps: readonly ReleaseStep[], index: number) {
  const first = steps[index] as Extract<ReleaseStep, { kind: 'setWeight' | 'promote' }>;
  let end = index + 1;
  while (sameLevel(steps[end], first)) end++;
  const members = steps
    .slice(index, end)
    .flatMap((s) => ('target' in s && s.target ? [memberOf(fleet, s.target)] : []));
  const percent = first.kind === 'promote' ? 100 : first.percent;
  return { end, members, percent, planStep: first.planStep };
}

/** A function found moved by someone else: the release stops for it, a conflict (exit 5). */
function stopForMoved(fleet: FleetRun, moved: MovedAlias): StepEnd {
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
): Promise<StepEnd | undefined> {
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
): Promise<StepEnd> {
  if (step.target) return runTargeted(fleet, step.target, steps, index, runOne);
  const release = fleet.release && { ...fleet.release, members: fleet.members };
  const outcome = await runOne(fleet.members[0]!, steps, index, release);
  return endedByOther(fleet, outcome) ?? { outcome };
}

function sameLevel(next: ReleaseStep | undefined, step: Extract<ReleaseStep, { planStep: number }>): boolean {
  return (
    next !== undefined && next.kind === step.kind && 'planStep' in next && next.planStep === step.planStep
  );
}

async function runBounded(
  limit: number,
  indexes: number[],
  run: (index: number) => Promise<StepEnd>,
): Promise<StepEnd> {
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
