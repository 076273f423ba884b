/**
 * Small pure readings of alias routing and deployment records shared by preflight, status and
 * rollback.
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import { formatPercent } from '../domain/duration.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import {
  KEEP_MOVE_STEP_OVER_REASON,
  KEEP_MOVE_SUCCEEDED_FIRST_REASON,
  KEEP_MOVE_UNCONFIRMED_REASON,
  KEPT_BY_HAND,
} from '../domain/record-end-reason.js';
import { aliasWrittenSinceStart } from '../domain/record-revision.js';
import { isFinished, isSplit, locateAlias } from './alias-position.js';
import { isClosedOnSplit, WEIGHTS_BY_HAND } from './closed-by-hand.js';

// Moved to alias-position.ts and closed-by-hand.ts (session 69, files under ~300 lines); their
// importers still find them here.
export {
  type AliasPosition,
  foreignSplitVersions,
  isFinished,
  isRollbackDecided,
  isSplit,
  locateAlias,
  splitRollbackVersion,
  weightToPercent,
} from './alias-position.js';
export {
  closedByHand,
  isByHandReason,
  isClosedByHand,
  isClosedOnSplit,
  isClosedOverSplit,
  isDecidedSplitMovedWhole,
  isHandSplitAfterRollbackDecision,
  WEIGHTS_BY_HAND,
} from './closed-by-hand.js';

/** Phases after which nobody is driving the deployment any more. */
export const ENDED_PHASES: readonly DeploymentPhase[] = ['promoted', 'rolled-back', 'failed', 'paused'];

export function isEnded(record: DeploymentRecord): boolean {
  return ENDED_PHASES.includes(record.phase);
}

/**
 * The end reason a deploy writes when every step passed but it could not confirm the alias on
 * the new version alone (promote-guard.ts, PROMOTE_UNCONFIRMED): the record keeps its last phase
 * — it is not promoted — and its runner has exited (exit 4).
 */
export const PROMOTE_UNCONFIRMED_REASON = 'promote unconfirmed';

/** A deployment whose promote could not be confirmed: unfinished, and nobody drives it. */
export function isPromoteUnconfirmed(record: DeploymentRecord): boolean {
  return record.endReason === PROMOTE_UNCONFIRMED_REASON && !isEnded(record);
}

/**
 * The end reason a CodeDeploy deploy writes on its open record as it stops its deployment WITHOUT
 * the rollback, to keep a person's move of the alias (settle-conflict.ts stopOnConflict), and leaves when
 * that stop is not seen to end (refused, lost, or a second signal exited first): CodeDeploy may
 * still move the alias over the move, with nobody watching. Found by a hostile pass (session 64):
 * the record said `shifting` (or closed "moved by hand") and CodeDeploy's later Succeeded over the
 * move read as a promotion. The stop seen to end closes the record "moved by hand" over it. Written
 * in the tag as a code (domain/record-end-reason.ts).
 */
export {
  KEEP_MOVE_STEP_OVER_REASON,
  KEEP_MOVE_SUCCEEDED_FIRST_REASON,
  KEEP_MOVE_UNCONFIRMED_REASON,
  KEPT_BY_HAND,
};

/**
 * A CodeDeploy deployment lshift asked to stop without its rollback and did not see end. `paused`
 * too: a `--detach`ed deploy leaves its record `paused` (CodeDeploy drives it) and `lshift wait`
 * writes the mark on it; read as ended, status said exit 0 "`lshift wait` closes its record" and
 * that wait said UNSAFE again, a loop (found by a hostile pass, session 65).
 */
export function isKeepMoveUnconfirmed(record: Pick<DeploymentRecord, 'phase' | 'endReason'>): boolean {
  const marked =
    record.endReason === KEEP_MOVE_UNCONFIRMED_REASON ||
    record.endReason === KEEP_MOVE_SUCCEEDED_FIRST_REASON ||
    record.endReason === KEEP_MOVE_STEP_OVER_REASON;
  if (!marked) return false;
  return record.phase === 'paused' || !ENDED_PHASES.includes(record.phase);
}

/** The mark says CodeDeploy had already ended the deployment Succeeded when its run came to stop it. */
export function isSucceededBeforeKeepStop(record: Pick<DeploymentRecord, 'endReason'>): boolean {
  return record.endReason === KEEP_MOVE_SUCCEEDED_FIRST_REASON;
}

/**
 * What became of the stop the mark names, after "someone moved alias … by hand and ": a stop not
 * seen to end, or one CodeDeploy refused (or that failed) because it had already Succeeded — said
 * "did not see the stop end" until 5 December 2026 (session 65's note).
 */
export function describeKeepMoveStop(record: Pick<DeploymentRecord, 'endReason'>, id: string): string {
  if (record.endReason === KEEP_MOVE_STEP_OVER_REASON)
    return `lshift stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move and saw the stop end, but CodeDeploy's own later step had written over the move first: the move was not kept`;
  return isSucceededBeforeKeepStop(record)
    ? `when lshift came to stop AWS CodeDeploy deployment ${id} without its rollback to keep that move, CodeDeploy had already ended it Succeeded, its last step moving the alias over that move (nothing was stopped)`
    : `lshift stopped AWS CodeDeploy deployment ${id} without its rollback to keep that move, but did not see the stop end`;
}

/** After describeKeepMoveStop, how CodeDeploy's Succeeded is said ("; …"). */
export function describeSucceededOverKeptMove(record: Pick<DeploymentRecord, 'endReason'>): string {
  return isSucceededBeforeKeepStop(record)
    ? 'nobody has closed its record'
    : 'CodeDeploy then ended it Succeeded, moving the alias over that move';
}

/**
 * A deployment still driven by a live process: not ended, not given up by its runner (a promote
 * it could not confirm), and a heartbeat younger than `staleMs` and not from beyond the skew
 * limit (heartbeat-age.ts).
 */
export function isLiveRecord(record: DeploymentRecord, now: number, staleMs: number): boolean {
  return (
    !isEnded(record) &&
    !isPromoteUnconfirmed(record) &&
    judgeHeartbeatAge(record.heartbeatAt, now, staleMs) === 'fresh'
  );
}

/** Keeps the record tag small: the codec drops older entries anyway when space runs out. */
export const MAX_HISTORY = 5;

/**
 * An unfinished deployment whose alias someone moved by hand (the console, another tool): the
 * alias routes to a version the record does not know (`elsewhere`), or all traffic is back on
 * the stable version although the record says traffic had moved, or shows no weight over an
 * alias written since it started (`back-on-stable`; lshift's own rollback records `rolling-back`
 * first, unless that write hung past mark-wait.ts's bound). Nobody will finish such a deployment, so `--resume`
 * is not the way out. Undefined while the alias may still be the deployment's (a crash can
 * leave it one step ahead of its record).
 */
export function aliasMovedAway(
  record: DeploymentRecord,
  alias: { functionVersion: string; additionalWeights: Record<string, number>; revisionId?: string },
): 'elsewhere' | 'back-on-stable' | undefined {
  if (isFinished(record) || record.phase === 'rolling-back') return undefined;
  const position = locateAlias(alias, record);
  if (position.kind === 'elsewhere') return 'elsewhere';
  // No weight recorded, but the alias was written since it started: its first weight may have
  // been put back by a rollback whose mark never landed (record-revision.ts).
  if (position.kind === 'stable' && (record.percent > 0 || aliasWrittenSinceStart(record, alias)))
    return 'back-on-stable';
  return undefined;
}

/**
 * The version a finished deployment left all traffic on: its target when promoted, its stable
 * version (or the `--to` version its end reason names) when rolled back; undefined otherwise,
 * and for one closed by hand over a split (no version has all traffic).
 */
export function versionLeftOn(record: DeploymentRecord): string | undefined {
  if (record.phase === 'promoted') return record.targetVersion;
  if (record.phase !== 'rolled-back') return undefined;
  // Closed over a split someone made (onto a split the record does not place; or a CodeDeploy
  // deployment's weights changed by hand: closedByHand): it left none alone.
  if (isClosedOnSplit(record) || record.endReason === WEIGHTS_BY_HAND) return undefined;
  return versionNamedByEnd(record.endReason) ?? record.stableVersion;
}

/**
 * The version an end reason says all traffic was left on (`rolled back to version 3`, `moved by
 * hand to version 5`), with or without a detail after `: ` (rolled-back-after-promotion.ts).
 */
export function versionNamedByEnd(endReason: string | undefined): string | undefined {
  return /^(?:rolled back|moved by hand) to version ([^\s:]+)(?:$|: )/.exec(endReason ?? '')?.[1];
}

/**
 * A finished deployment whose alias is no longer where it left it: something other than an
 * lshift deployment moved it since (`lshift alias`, the console, `aws lambda update-alias`).
 * Returns the version the record left all traffic on, or undefined when the alias is still there.
 * A promoted record over a split alias is not this: its runner stopped before its last write
 * (promoted-split.ts).
 */
export function aliasMovedSinceEnd(
  record: DeploymentRecord,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): string | undefined {
  const left = versionLeftOn(record);
  if (left === undefined) return undefined;
  const split = isSplit(alias.additionalWeights);
  if (record.phase === 'promoted' && split) return undefined;
  return split || alias.functionVersion !== left ? left : undefined;
}

/**
 * The record's percent is what its runner last wrote; a runner that lost its credentials or
 * died between a weight write and the record's can leave the alias elsewhere. Says where
 * (`; the alias routes 10% to version 2 now`), or '' when the record says it.
 */
export function describeDrift(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'targetVersion' | 'percent'>,
): string {
  const onTarget =
    alias.functionVersion === record.targetVersion
      ? 100
      : (alias.additionalWeights[record.targetVersion] ?? 0) * 100;
  const percent = Math.round(onTarget * 1e4) / 1e4;
  return percent === record.percent
    ? ''
    : `; the alias routes ${formatPercent(percent)} to version ${record.targetVersion} now`;
}
