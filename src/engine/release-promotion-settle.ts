/**
 * A release's promotion is read back as a single deploy's is (promotion-settle.ts), once for the
 * whole release. Each function's last record writes (its 100% step, `promoted`) read its record
 * and then write it — tags have no conditional write — so a `lshift rollback fb` or `rollback
 * --release` claim that landed in between was written over unseen: the release said "promoted"
 * (exit 0) and the rollback, which looks at its claim and claims again at once (check-claim.ts:
 * each function's claim on its own, so it is back within PROMOTION_SETTLE_MS of the write that
 * went over it whatever the number of functions), then put fb (or all) back on the stable version
 * (release-promote-claim.test.ts, release-rollback-readback-margin.test.ts). So once every
 * function's `promoted` landed, the release waits
 * PROMOTION_SETTLE_MS once — not once per function: five seconds each, a hundred functions — then
 * reads every promoted function's record and alias back, at most `concurrency` at a time through
 * the shared Lambda limiter (two requests a function: a hundred functions add ~13 s at 15/s).
 *
 * What it finds ends the release as the same finding one level earlier would have: a function
 * taken over (at its promotion write, or found claimed now) or whose alias moved is the function
 * the release stops for (a `conflict` naming it: release-settle.ts). Every other function the
 * release promoted is rolled back for it, so no function is left on the new version while the one
 * claimed goes back; the one claimed is followed until its claimer has put it back
 * (`ROLLED_BACK_BY_OTHER`: the release exits 3), the one moved is a conflict (exit 5). A function
 * a later deployment has taken up since (its record, another id) stays promoted and is not
 * touched: the alias is that deployment's to move.
 */
import type { DeployResult } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { mapBounded } from './bounded.js';
import type { ProgramOutcome } from './interpreter.js';
import { PROMOTION_SETTLE_MS, type PromotionReadBack, readPromotionBack } from './promotion-settle.js';
import { outcomeFor } from './release-verdict.js';
import type { PhaseOutcome, ShiftContext } from './shift-context.js';

/** How each function of a release ends: its outcome, or (`kept`) a result that stands as it is. */
export interface SettlePlan {
  outcomes: PhaseOutcome[];
  kept: (DeployResult | undefined)[];
}

/** Every function's promotion stands, or the release stops for `ended.target` (release-settle.ts). */
export type ReleasePromotion =
  | { kind: 'promoted'; results: DeployResult[] }
  | {
      kind: 'stopped';
      /** The conflict of the first function found taken over or moved, naming it. */
      ended: Extract<ProgramOutcome, { kind: 'conflict' }>;
      /**
       * Taken over or moved: its own conflict; taken over at its promotion write, or a later
       * deployment's now: kept as it is; else rolled back for `ended` (release-verdict.ts).
       */
      plan: SettlePlan;
    };

type Conflict = Extract<PhaseOutcome, { kind: 'conflict' }>;

type Finding = PromotionReadBack | { kind: 'taken-at-write' } | { kind: 'not-promoted' };

export async function readReleasePromotionBack(
  members: readonly { ctx: ShiftContext }[],
  results: readonly DeployResult[],
  done: ProgramOutcome,
  concurrency: number,
): Promise<ReleasePromotion> {
  const promoted = results.map((r) => r.status === 'promoted');
  if (!promoted.some(Boolean)) return { kind: 'promoted', results: [...results] };
  const lead = members[0]!.ctx;
  // Ctrl-C during the wait: every `promoted` is written, nothing is rolled back; the reads go ahead.
  await lead.deps.clock.sleep(PROMOTION_SETTLE_MS, signalOf(members)).catch(() => undefined);
  const findings = await mapBounded(
    concurrency,
    members,
    async (m, i): Promise<Finding> =>
      promoted[i]
        ? readPromotionBack(m.ctx)
        : { kind: m.ctx.recorder.lostReason() === undefined ? 'not-promoted' : 'taken-at-write' },
  );
  const first = findings.findIndex((f) => isStop(f));
  if (first < 0) return { kind: 'promoted', results: confirmedAt(results, lead.deps.clock.now()) };
  const own = members.map((m, i) => ownEnding(m.ctx, findings[i]));
  const at = own[first] ?? conflictOf(members[first]!.ctx);
  const ended = { ...at, index: done.index, target: targetOf(members[first]!.ctx) };
  // Every other function the release promoted rolls back for the one it stops for.
  const outcomes = members.map((m, i) => own[i] ?? outcomeFor(m.ctx, ended));
  const kept = results.map((r, i) => (keeps(findings[i]) ? r : undefined));
  return { kind: 'stopped', ended, plan: { outcomes, kept } };
}

/** The members share the CLI's one signal (a Ctrl-C, a SIGTERM). */
function signalOf(members: readonly { ctx: ShiftContext }[]): AbortSignal | undefined {
  return members.find((m) => m.ctx.req.signal)?.ctx.req.signal;
}

function isStop(f: Finding | undefined): boolean {
  return f?.kind === 'taken-over' || f?.kind === 'moved' || f?.kind === 'taken-at-write';
}

/** Left as it ended: taken over before the read-back (followed later), or a later deployment's now. */
function keeps(f: Finding | undefined): boolean {
  return f?.kind === 'taken-at-write' || f?.kind === 'later';
}

function ownEnding(ctx: ShiftContext, f: Finding | undefined): Conflict | undefined {
  if (f?.kind === 'taken-over') return conflictOf(ctx);
  if (f?.kind === 'moved') return { kind: 'conflict', cause: f.cause, why: f.why };
  return undefined;
}

/** Taken over: left to its new owner, named by identity (shift-waits.ts, takenOverConflict). */
function conflictOf(ctx: ShiftContext): Conflict {
  const cause = ctx.recorder.lostReason() ?? 'its deployment record was taken over';
  return { kind: 'conflict', cause, why: causeOf('TAKEN_OVER', {}), takenOver: targetOf(ctx) };
}

function targetOf(ctx: ShiftContext): ReleaseTarget {
  return { functionName: ctx.cursor.functionName, alias: ctx.cursor.alias };
}

/** A promotion ends when it was read back, as a single deploy's result says. */
function confirmedAt(results: readonly DeployResult[], now: number): DeployResult[] {
  return results.map((r) => (r.status === 'promoted' ? { ...r, endedAt: now } : r));
}
