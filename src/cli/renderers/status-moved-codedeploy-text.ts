/**
 * `lshift status` of a CodeDeploy record whose alias someone moved by hand while AWS CodeDeploy
 * still runs its deployment. It said "someone moved it by hand, and nobody will finish it" and
 * offered `lshift alias` to record the move, beside its engine line's "follow it: `lshift wait`"
 * (h3's s71 brief): CodeDeploy drives the alias (codedeploy-split-rule.ts: `own`), its next step
 * writes over the move, and `lshift wait` meets the move (follow-hand-move.ts): it stops the
 * deployment WITHOUT its rollback, so the move stays, and closes the record as moved by hand.
 */

import { judgeSplitDriver } from '../../engine/codedeploy-split-rule.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import type { AliasStatus } from '../../engine/status.js';

type ShownRecord = NonNullable<AliasStatus['record']>;

/** Its own CodeDeploy deployment answered as running (not ended, not forgotten, not unreadable). */
export function isMovedUnderRunningCodeDeploy(status: AliasStatus, record: ShownRecord): boolean {
  const ownRunning =
    record.engine === 'codedeploy' &&
    record.codeDeployStatus !== undefined &&
    record.codeDeployEnded === undefined &&
    record.forgottenByCodeDeploy === undefined;
  return judgeSplitDriver({ ownRunning, split: status.split }) === 'own';
}

export function describeMovedUnderRunningCodeDeploy(status: AliasStatus, record: ShownRecord): string[] {
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
  const { functionName: fn, alias } = status;
  return [
    `    the alias no longer routes between this deployment's versions (it routes ${describeAliasState(status)}): someone moved it by hand while AWS CodeDeploy still runs deployment ${id} (${record.codeDeployStatus}), whose next step writes the alias again over the move`,
    `    to keep the move: \`lshift wait ${id}\` stops it WITHOUT its rollback and closes the record as moved by hand; to undo it: \`lshift rollback ${fn} --alias ${alias}\` stops it with auto-rollback`,
  ];
}

/**
 * A release's function moved so: its release's ways out follow (release-moved-member.ts), but it
 * read "someone moved it by hand, and nobody will finish it" while CodeDeploy's next step was to
 * write over the move towards the version the release may be rolled back from (h3's s71 round 2).
 * A check that rolls the release back stops it as `lshift wait` does (check-release-moved-stop.ts).
 */
export function describeMovedMemberUnderRunningCodeDeploy(record: ShownRecord): string {
  const id = record.codeDeployId ?? record.codeDeployIdFound ?? '';
  const release = record.releaseId ?? '';
  return `    the alias no longer routes between this deployment's versions: someone moved it by hand while AWS CodeDeploy still runs deployment ${id} (${record.codeDeployStatus}), whose next step writes the alias again over the move, towards version ${record.targetVersion}: \`lshift wait ${id}\` stops it WITHOUT its rollback (the move stays) and closes the record as moved by hand; a \`lshift check\` that rolls release ${release} back stops it so too`;
}
