/**
 * Before a lockstep level's weight writes (fleet-steps.ts), every function's alias is read: one
 * GetAlias each, at most the level's writes in flight at once, paced by the shared limiter with
 * everything else. One that someone else moved since lshift's last write (`aws lambda
 * update-alias`, the console, `lshift alias`) is taken over: the release stops for it
 * (ALIAS_CHANGED, exit 5) before any function is moved further. Found only by its own write's 412
 * before (a hostile pass), the level's other writes — up to 32 in flight — had already moved
 * every other function one step further, to be rolled back from there. A move between a
 * function's read and its write is still found by that write's 412.
 *
 * The cost is one request a function a level (a level already sends three: the alias write, the
 * record's read and write): at 100 functions and Lambda's 15 a second, 6.7 s of requests. So
 * they do not hold the writes back by that long, the reads of a level that follows a hold start
 * before the hold ends: as long before as the previous level's writes took (the same number of
 * requests through the same limiter), so they end about when the hold does (startReadAhead).
 * Reads started longer ago than that, plus READ_AHEAD_SLACK_MS, are not trusted (a hold that ran
 * on, a record the level waited for): the level reads again.
 */
import { describeAliasMovedBefore } from './alias-step.js';
import { mapBounded } from './bounded.js';
import type { ShiftContext } from './shift-context.js';

/** How much later than planned a level may start and still trust the reads made ahead of it. */
export const READ_AHEAD_SLACK_MS = 5_000;

/** A function found moved: its run, and what the read found. */
export interface MovedAlias {
  ctx: ShiftContext;
  cause: string;
}

/** A level's alias reads, started before the hold ahead of it ends (startReadAhead). */
export interface ReadAhead {
  /** The program index of the level's first write. */
  index: number;
  /** When the reads were sent (`clock.elapsedMs()`); unset while they wait for their time. */
  startedAt?: number;
  /** How long the previous level's writes took: how early these were to start. */
  spanMs: number;
  /** The moved function, `null` when none was; undefined when the reads never started. */
  reads: Promise<MovedAlias | null | undefined>;
  /** The hold ended: reads not started yet never start (the level reads for itself). */
  cancel: () => void;
}

/**
 * The level: its functions, the program index of its first write, and what the reads come before
 * (`the release's weight writes of step 2 (50%)`, `fb's turn (its step 1 (50%))`).
 */
export interface LevelReads {
  index: number;
  members: readonly ShiftContext[];
  where: string;
  inFlight: number;
}

/**
 * Every function's alias of the level, read now (one GetAlias each): the first found moved, or
 * null. A `--stagger` turn's reads are every function still waiting for its turn (fleet-steps.ts).
 */
export async function readLevelAliases(level: LevelReads): Promise<MovedAlias | null> {
  const read = await mapBounded(
    level.inFlight,
    level.members,
    async (ctx) =>
      ctx.traffic.ownSchedule
        ? undefined
        : await describeAliasMovedBefore(ctx.deps.lambda, ctx.cursor, level.where, !ctx.trafficMoved),
    (moved) => moved !== undefined,
  );
  const at = read.findIndex((moved) => moved !== undefined);
  return at < 0 ? null : { ctx: level.members[at]!, cause: read[at]! };
}

/**
 * The first weight write of a function of a `--stagger` release (its turn), with others beside
 * it: the aliases of every function whose traffic the release has not moved yet — this one and
 * those still waiting — are read (one GetAlias each), so one moved by hand (the console,
 * `aws lambda update-alias`, `lshift alias`) stops the release before any more traffic moves.
 * Before, only that function's own first write met the 412, after every function before it had
 * walked to 100% — all rolled back for nothing. The first turn's reads are the release's
 * pre-flight: every function's alias, just before the first weight write of the release (after
 * its pre-traffic hooks). A lockstep release reads every function before each level instead
 * (fleet-steps.ts, levelReads). Undefined when this is no turn's start: a function already moving, or alone.
 */
export function turnReads(
  members: readonly ShiftContext[],
  ctx: ShiftContext,
  step: { index: number; where: string; inFlight: number },
): LevelReads | undefined {
  if (members.length < 2 || ctx.trafficMoved) return undefined;
  const waiting = members.filter((m) => !m.trafficMoved);
  const fn = ctx.cursor.functionName;
  const where = members.some((m) => m.trafficMoved)
    ? `${fn}'s turn (its first weight write, ${step.where})`
    : `the release's first weight write (${fn}'s ${step.where})`;
  return { index: step.index, members: waiting, where, inFlight: step.inFlight };
}

/**
 * Starts the level's reads `spanMs` before `holdEnd` (both on `clock.elapsedMs()`), or at once
 * when that is past: a background timer (Clock.every, fired once), which never moves a test clock
 * by itself. Undefined without a span to go by (the first level, a level after a hook) or a
 * timer: the level reads for itself.
 */
export function startReadAhead(
  level: LevelReads,
  holdEnd: number | undefined,
  spanMs: number | undefined,
): ReadAhead | undefined {
  if (holdEnd === undefined || spanMs === undefined || level.members.length < 2) return undefined;
  const clock = level.members[0]!.deps.clock;
  if (!clock.every) return undefined;
  let start!: () => void;
  let cancel!: () => void;
  const ahead: ReadAhead = {
    index: level.index,
    spanMs,
    reads: new Promise<MovedAlias | null | undefined>((resolve) => {
      let fired = false;
      start = () => {
        if (fired) return;
        fired = true;
        stop?.();
        ahead.startedAt = clock.elapsedMs();
        resolve(readLevelAliases(level));
      };
      cancel = () => {
        if (fired) return;
        fired = true;
        stop?.();
        resolve(undefined);
      };
    }),
    cancel: () => cancel(),
  };
  const wait = holdEnd - spanMs - clock.elapsedMs();
  let stop: (() => void) | undefined;
  if (wait <= 0) start();
  else stop = clock.every(wait, () => start());
  return ahead;
}

/**
 * The function of the level whose alias someone else moved, if any: from the reads made ahead of
 * it when they are this level's and recent enough, else from reads made now.
 */
export async function findMovedAlias(
  level: LevelReads,
  ahead: ReadAhead | undefined,
): Promise<MovedAlias | undefined> {
  if (ahead?.index === level.index) {
    const early = await ahead.reads;
    // A move found is found, however long ago: its write would meet the 412.
    if (early) return early;
    const clock = level.members[0]!.deps.clock;
    const fresh =
      early === null &&
      ahead.startedAt !== undefined &&
      clock.elapsedMs() - ahead.startedAt <= ahead.spanMs + READ_AHEAD_SLACK_MS;
    if (fresh) return undefined;
  }
  return (await readLevelAliases(level)) ?? undefined;
}
