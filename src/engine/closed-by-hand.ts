/**
 * A deployment record closed because someone moved its alias by hand: how it is closed
 * (closedByHand) and how its end reason is read back (record-view.ts re-exports them). Pure.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatPercent } from '../domain/duration.js';
import { KEPT_BY_HAND } from '../domain/record-end-reason.js';
import { isSplit, locateAlias, weightToPercent } from './alias-position.js';

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
