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

/** Phases after which nobody is driving the deployment any more. */
export const ENDED_PHASES: readonly DeploymentPhase[] = ['promoted', 'rolled-back', 'failed', 'paused'];

/** True when some traffic goes to an additional version (a weight of exactly 0 routes nothing). */
export function isSplit(additionalWeights: Record<string, number>): boolean {
  return Object.values(additionalWeights).some((w) => w > 0);
}

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
 * the rollback, to keep a person's move of the alias (settle.ts stopOnConflict), and leaves when
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
 * Nothing left to do for this deployment: it was promoted or rolled back. A `failed` rollback
 * or a `paused` deployment is ended (nobody drives it) but not finished: traffic may still be
 * on, or partly on, its target.
 */
export function isFinished(record: Pick<DeploymentRecord, 'phase'>): boolean {
  return record.phase === 'promoted' || record.phase === 'rolled-back';
}

/**
 * lshift decided to roll this deployment back and has not closed it: `rolling-back` (its runner's
 * Ctrl-C, a failed gate, a check's or a person's claim) or `failed` (that rollback failed). Under
 * AWS CodeDeploy the deployment may run on towards 100% meanwhile (a StopDeployment lost or
 * refused): such a record is never closed as promoted (found by a hostile pass, session 60:
 * `lshift wait` turned an operator's Ctrl-C into a promotion, exit 0).
 */
export function isRollbackDecided(record: DeploymentRecord): boolean {
  return !isFinished(record) && (record.phase === 'rolling-back' || record.phase === 'failed');
}

/**
 * Where an alias is relative to a deployment's two versions: all on the stable version, split
 * between stable (primary) and target only, all on the target — or anywhere else (someone else
 * moved it). `percent` is the target's share.
 */
export type AliasPosition =
  | { kind: 'stable'; percent: 0 }
  | { kind: 'split'; percent: number }
  | { kind: 'target'; percent: 100 }
  | { kind: 'elsewhere' };

export function locateAlias(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  versions: { stableVersion: string; targetVersion: string },
): AliasPosition {
  const extra = Object.entries(alias.additionalWeights).filter(([, w]) => w > 0);
  const { stableVersion: stable, targetVersion: target } = versions;
  if (extra.length === 0) {
    if (alias.functionVersion === stable) return { kind: 'stable', percent: 0 };
    if (alias.functionVersion === target) return { kind: 'target', percent: 100 };
    return { kind: 'elsewhere' };
  }
  const [only, ...more] = extra;
  if (alias.functionVersion !== stable || more.length > 0 || !only || only[0] !== target) {
    return { kind: 'elsewhere' };
  }
  return { kind: 'split', percent: weightToPercent(only[1]) };
}

/**
 * The version `lshift rollback` (no --to) puts a split alias on when the record does not place
 * the split (rollback-destination.ts), and what `status` says it will do: the split's primary, as
 * Lambda, CodeDeploy and lshift write a split (the alias points at the version traffic comes back
 * to, the weights carry the new one) — unless the primary is the record's new version, which a
 * rollback takes traffic away from (a split written the other way round by hand): then the
 * record's stable version. Found by a hostile pass: the primary alone put 100% on the new version
 * of an abandoned deployment and recorded it as rolled back.
 *
 * `undefined` — lshift will not guess — for a finished deployment's alias split since over a
 * version that is neither of its own, its primary not the deployment's stable version (a hand
 * canary of version 9 over promoted 8): the record says nothing of that split, and the stable
 * version undid the promoted release as well as the split — one release too far, the person's canary and the release before it gone at once
 * (found by a hostile pass, session 62: promoted 6 → 8, split by hand 8 + 7 at 50%, `lshift
 * rollback` put all on 6). `--to` chooses (rollback-destination.ts foreignSplitRefusal).
 */
export function splitRollbackVersion(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion' | 'phase'> | undefined,
): string | undefined {
  if (isGuess(alias, record)) return undefined;
  return record && alias.functionVersion === record.targetVersion
    ? record.stableVersion
    : alias.functionVersion;
}

/**
 * A finished deployment's split over a third version, whose primary is not the deployment's stable
 * version: the primary and the stable version are two answers, and nothing says which. On its
 * stable version (a hand canary over a rolled-back alias) both answers are that version.
 */
function isGuess(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion' | 'phase'> | undefined,
): boolean {
  if (!record || !isFinished(record) || alias.functionVersion === record.stableVersion) return false;
  return foreignSplitVersions(alias, record).length > 0;
}

/** The versions a split alias routes to that are neither the record's stable nor its new version. */
export function foreignSplitVersions(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion'>,
): string[] {
  const routed = [
    alias.functionVersion,
    ...Object.entries(alias.additionalWeights)
      .filter(([, weight]) => weight > 0)
      .map(([version]) => version),
  ];
  return routed.filter((version) => version !== record.stableVersion && version !== record.targetVersion);
}

/** 0.1 → 10, 0.005 → 0.5: the inverse of percentToWeight without float noise. */
export function weightToPercent(weight: number): number {
  return Math.round(weight * 1e8) / 1e6;
}

/** The end reasons closedByHand writes, which isClosedByHand reads back: one spelling for both. */
const MOVED_BY_HAND = 'moved by hand';
export const WEIGHTS_BY_HAND = 'weights changed by hand';
const MOVED_BY_HAND_TO = 'moved by hand to version ';
const MOVED_BY_HAND_TO_SPLIT = 'moved by hand to a split';

/**
 * How a deployment record is closed when its alias was moved by someone else (`lshift alias`,
 * the console): promoted when all traffic is on its target, rolled back otherwise, and `paused`
 * (resumable) when only its weights were changed; the reason says it was by hand. `resumable`
 * false (AWS CodeDeploy's deployment, which nothing resumes once it ended or was stopped): a
 * split by hand closes `rolled-back` — left `paused`, every command took it for a `--detach`ed
 * deployment CodeDeploy still shifts and refused or looped (found by a hostile pass, session 62).
 */
export function closedByHand(
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion' | 'percent'>,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  { resumable = true }: { resumable?: boolean } = {},
): Pick<DeploymentRecord, 'phase' | 'percent' | 'endReason'> {
  const position = locateAlias(alias, record);
  switch (position.kind) {
    case 'target':
      return { phase: 'promoted', percent: 100, endReason: MOVED_BY_HAND };
    case 'stable':
      return { phase: 'rolled-back', percent: 0, endReason: MOVED_BY_HAND };
    case 'split':
      return {
        phase: resumable ? 'paused' : 'rolled-back',
        percent: position.percent,
        endReason: WEIGHTS_BY_HAND,
      };
    case 'elsewhere':
      return {
        phase: 'rolled-back',
        percent: 0,
        endReason: isSplit(alias.additionalWeights)
          ? `${MOVED_BY_HAND_TO_SPLIT}: ${describeSplitShort(alias)}`
          : `${MOVED_BY_HAND_TO}${alias.functionVersion}`,
      };
  }
}

/**
 * `50% on 11, 50% on 2`: a split closedByHand met, said in its end reason. "moved by hand to
 * version 11" was said of 11 + {"2": 0.5}, which routes half of the traffic to version 2 (found by
 * a hostile pass). Short: the end reason is in the record's 256-character tag, and the codec drops
 * what follows its `: ` rather than refuse a record that would not fit (record-encode.ts).
 */
function describeSplitShort(alias: { functionVersion: string; additionalWeights: Record<string, number> }) {
  const extra = Object.entries(alias.additionalWeights).filter(([, w]) => w > 0);
  const primary = 1 - extra.reduce((sum, [, w]) => sum + w, 0);
  return [[alias.functionVersion, primary] as const, ...extra]
    .map(([version, w]) => `${formatPercent(weightToPercent(w))} on ${version}`)
    .join(', ');
}

/** A record a run closed because someone moved its alias by hand (closedByHand's end reasons). */
export function isClosedByHand(record: Pick<DeploymentRecord, 'endedAt' | 'endReason'>): boolean {
  return record.endedAt !== undefined && isByHandReason(record.endReason);
}

/** One of closedByHand's end reasons: the record was closed because someone moved the alias. */
export function isByHandReason(endReason: string | undefined): boolean {
  return (
    endReason === MOVED_BY_HAND ||
    endReason === WEIGHTS_BY_HAND ||
    endReason?.startsWith(KEPT_BY_HAND) === true ||
    endReason?.startsWith(MOVED_BY_HAND_TO) === true ||
    endReason?.startsWith(MOVED_BY_HAND_TO_SPLIT) === true
  );
}

/**
 * A deployment lshift had decided to roll back (a failed gate or hook, an abort, a signal: its
 * `y=` says which, when the tag had room) whose alias was then split by someone else (a hook, a
 * person) before or after lshift's rollback, and closed so (rollback-moved-close.ts):
 * `rolled-back`, `weights changed by hand` — which only that close writes for a native
 * deployment (a move by hand mid-shift closes `paused`: settle.ts). It is never resumed forward
 * (the resume skipped the gate that had failed and promoted the version it failed: found by a
 * hostile pass, session 66); its way out is the rollback, and the split is left to a person. A
 * CodeDeploy deployment's is judged with CodeDeploy (status-codedeploy.ts). An older lshift's
 * `paused (weights changed by hand)` is one only when it kept a `y=` (a rollback hook's split):
 * the others cannot be told from a plain pause by hand.
 */
export function isHandSplitAfterRollbackDecision(
  record: Pick<DeploymentRecord, 'phase' | 'endReason' | 'engine' | 'cause'>,
): boolean {
  if (record.endReason !== WEIGHTS_BY_HAND || record.engine === 'codedeploy') return false;
  // An older lshift closed it `paused`; one whose rollback hook split the alias kept the `y=` its
  // rollback's close had written, which no plain pause by hand carries (a resume's claim clears it).
  return record.phase === 'rolled-back' || (record.phase === 'paused' && record.cause !== undefined);
}

/**
 * A split by someone after lshift decided to roll it back (isHandSplitAfterRollbackDecision) that
 * someone has since moved whole onto the new version: not rolled back — the version lshift
 * decided to roll back serves everything, as a promotion over its rollback does (kept-over-
 * rollback.ts). `check` said "rolled back …; nothing to watch" and `status` exited 0 (session 67).
 */
export function isDecidedSplitMovedWhole(
  record: Pick<
    DeploymentRecord,
    'phase' | 'endReason' | 'engine' | 'cause' | 'stableVersion' | 'targetVersion'
  >,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): boolean {
  return (
    isHandSplitAfterRollbackDecision(record) &&
    !isSplit(alias.additionalWeights) &&
    alias.functionVersion === record.targetVersion &&
    record.targetVersion !== record.stableVersion
  );
}

/** A record closedByHand over a split alias: its end reason says the split, not a version. */
export function isClosedOnSplit(record: Pick<DeploymentRecord, 'endReason'>): boolean {
  return record.endReason?.startsWith(MOVED_BY_HAND_TO_SPLIT) === true;
}

/**
 * A record its run closed over a person's split and left it split, nothing resuming it: a split of
 * other versions than its own two (`moved by hand to a split: …`), or a CodeDeploy deployment's
 * weights changed by hand (its deployment stopped without its rollback to keep them). While the
 * alias is still split nobody drives it (split-left-closed.ts). Not a split after lshift's decided
 * rollback (isHandSplitAfterRollbackDecision: said so) nor a native `paused` one (resumable).
 */
export function isClosedOverSplit(record: Pick<DeploymentRecord, 'phase' | 'endReason' | 'engine'>): boolean {
  if (record.phase !== 'rolled-back') return false;
  return isClosedOnSplit(record) || (record.endReason === WEIGHTS_BY_HAND && record.engine === 'codedeploy');
}

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
