/**
 * `lshift wait`'s exit code and its `--json` result. A deployment stopped without its rollback
 * for a person's move (`outcome: "moved_by_hand"`) is a conflict (exit 5) when the alias is left
 * on one version, and exit 4 when it is left split: nobody drives that split (describe-follow.ts
 * isSplitByHandLeft). `--json` said `moved_by_hand` either way, and a CI job reading it could not
 * tell the split left from a person's move that stands (h3's brief, session 69): the result says
 * `stalled: true` then, the word `lshift check --json` and `lshift status --json` use for a split
 * nobody drives.
 */
import { ExitCode } from '../domain/errors.js';
import type { FollowResult } from '../engine/follow-codedeploy.js';
import { isSplitByHandLeft } from './describe-follow.js';

const EXITS: Record<FollowResult['outcome'], ExitCode> = {
  succeeded: ExitCode.Success,
  rolled_back: ExitCode.RolledBack,
  unsafe: ExitCode.Unsafe,
  left: ExitCode.Success,
  moved_by_hand: ExitCode.Conflict,
};

/** The wait's result as `--json` prints it: `stalled: true` beside a person's split left to nobody. */
export type WaitResult = FollowResult & { stalled?: true };

export function waitResult(r: FollowResult): WaitResult {
  return isSplitByHandLeft(r) ? { ...r, stalled: true } : r;
}

/** Exit 4 for a split nobody drives (`stalled`), else by its outcome. */
export function exitCodeForWait(r: WaitResult): ExitCode {
  return r.stalled ? ExitCode.Unsafe : EXITS[r.outcome];
}
