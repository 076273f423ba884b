/**
 * A rollback that met its alias moved by someone else (a write refused with a 412 and the alias
 * re-read at a routing this deployment never wrote, or found so between retries: step-restore.ts)
 * leaves the alias where that person put it (a conflict, exit 5; a split, unsafe, exit 4). Its record said `rolling-back`:
 * left so, `lshift status` read a rollback whose runner died, and the next `lshift check`
 * "finished" it over the person's move (found by a hostile pass: a release's a2, put on version
 * 17 by hand during the release's rollback, was put back on 5 by a check minutes later). It is
 * closed the way a deploy closes a record whose alias was moved before its verdict (settle.ts
 * closeMovedByHand, record-view.ts closedByHand): `rolled-back (moved by hand to version 17)`,
 * which `status` shows and `check` leaves alone.
 *
 * The write reads the record first: a record claimed meanwhile (`lshift rollback`, a check) is
 * theirs and is left to them. A close that does not land (the store refused it, its ownership read
 * failed, or it hangs past the close wait) leaves the record `rolling-back`, which a check would
 * finish over the move: said, exit 4 (settle-rollback-close.ts), not a plain conflict.
 */
import type { DeployResult } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { markWaitMs } from './mark-wait.js';
import { closedByHand, isSplit } from './record-view.js';
import { recordCause } from './rollback-record-cause.js';
import { buildResult, stopTakenOver } from './settle-result.js';
import type { ShiftContext } from './shift-context.js';
import { type MovedClose, splitLeftCommands } from './split-left-commands.js';

/** The rollback's restore ended in a conflict (settle-rollback-restore.ts runRollbackProgram). */
export interface RollbackConflict {
  message: string;
  aliasState?: NonNullable<DeployResult['aliasState']>;
  /** The alias was moved by someone (not refused beside a stranger's CodeDeploy deployment). */
  byHand: boolean;
  /** Found by the refusal of the rollback's first write: moved before it (step-restore-types.ts). */
  beforeWrite?: true;
}

/**
 * The result of a rollback that met its alias moved: a conflict (exit 5) once its record is
 * closed as moved by hand onto one version; the taker's once the record was claimed meanwhile;
 * unsafe (exit 4) while the record still says `rolling-back` or the person's split is left. A stranger's CodeDeploy deployment on the group
 * (not a move by hand) is left as before: a conflict, the record unclosed.
 */
export async function endMovedDuringRollback(
  ctx: ShiftContext,
  conflict: RollbackConflict,
  after: OutcomeCause,
): Promise<DeployResult> {
  const { aliasState } = conflict;
  const close =
    conflict.byHand && aliasState ? await closeMovedDuringRollback(ctx, aliasState, after) : 'closed';
  if (close === 'taken-over') return stopTakenOver(ctx, after);
  const open = close === 'open' ? { recordOpen: true as const } : {};
  const status = conflict.byHand ? movedStatus(close, aliasState) : 'conflict';
  return buildResult(ctx, status, {
    ...(aliasState ? { aliasState } : {}),
    ...splitLeftCommands(ctx, close, aliasState),
    cause: causeOf('ROLLBACK_CONFLICT', {
      error: conflict.message,
      after,
      ...open,
      ...(conflict.beforeWrite ? { beforeRollbackWrite: true as const } : {}),
    }),
  });
}

export type { MovedClose } from './split-left-commands.js';

/**
 * Unsafe (exit 4) while the record is open, or when the alias is left split: a split someone made
 * during the rollback is not driven by anyone, and DESIGN.md §6 lets only exit 4 leave an alias
 * split (it was a conflict, exit 5, until session 67, as `lshift rollback`'s was: rollback.ts).
 * Moved whole onto one version by someone: a conflict (exit 5), nothing overwritten.
 */
export function movedStatus(
  close: MovedClose,
  aliasState: DeployResult['aliasState'],
): 'unsafe' | 'conflict' {
  if (close === 'open') return 'unsafe';
  return aliasState !== undefined && isSplit(aliasState.additionalWeights) ? 'unsafe' : 'conflict';
}

/**
 * `after`: why lshift was rolling it back, kept in the record (`y=`) when no `rolling-back` mark
 * stored it (the alias found moved before any weight: a pre-traffic hook that moved all traffic
 * onto the new version, then failed). Closed `promoted (moved by hand)` without it, `lshift
 * status` said the version whose own hook failed was promoted, exit 0 (session 66); with it,
 * status says lshift had decided to roll it back and exits 4 (cli/status-needs-operator.ts).
 */
export async function closeMovedDuringRollback(
  ctx: ShiftContext,
  aliasState: NonNullable<DeployResult['aliasState']>,
  after: OutcomeCause | undefined,
): Promise<MovedClose> {
  const record = ctx.recorder.current();
  // Never resumable: lshift had decided to roll it back (a failed gate or hook, an abort, a
  // signal). A split left `paused` was offered `deploy --resume`, which skipped the failed gate and
  // promoted the version it had failed (found by a hostile pass, session 66). `rolled-back` over a
  // split, its end reason `weights changed by hand` (as a CodeDeploy one's: record-view.ts), and
  // why lshift decided so (`y=`): status and check offer the rollback, and leave the split.
  const closed = closedByHand(record, aliasState, { resumable: false });
  const why = after ? recordCause(after, record) : {};
  const waitMs = markWaitMs(ctx.recorder.recordBehind() !== undefined);
  const end = await ctx.recorder.storeWithin(
    { ...closed, ...why, endedAt: ctx.deps.clock.now() },
    waitMs,
    { onlyIfRead: true },
    'ends',
  );
  if (end === 'landed') return 'closed';
  return end === 'lost' ? 'taken-over' : 'open';
}
