/**
 * A record that says `promoted` while its alias still splits traffic between two versions. A
 * release's last level promotes its functions one write at a time, so a crash there leaves some
 * aliases on the new version and some split; a runner that then recorded the split ones as
 * promoted (or a record edited by hand, or an alias split by hand after a promotion) says the
 * deployment is over when it is not, and nobody drives it. lshift neither resumes it nor calls it healthy: `deploy --resume`, `status` and
 * `check` report it stalled (exit 4) with the alias state and the two ways out.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UnsafeError } from '../domain/errors.js';
import { buildFixCommand, describeAliasState } from './deploy-result.js';
import { isMovedOverRollbackRecord } from './kept-over-rollback.js';
import { isSplit, splitRollbackVersion } from './record-view.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

export function isPromotedButSplit(record: DeploymentRecord, alias: Routing): boolean {
  return record.phase === 'promoted' && isSplit(alias.additionalWeights);
}

/** One line: what the record says, where traffic really is, that nobody drives it. */
export function describePromotedButSplit(
  target: { functionName: string; alias: string },
  record: DeploymentRecord,
  alias: Routing,
): string {
  return (
    `deployment ${record.id} of ${target.functionName} alias ${target.alias} is recorded promoted, but the alias still routes ${describeAliasState(alias)}: ` +
    // Which of the two lshift cannot tell: the tag and the alias keep no author.
    'either its runner stopped before the last weight landed (a crash in the last level) or the alias was split outside lshift since, and nobody drives it'
  );
}

/** Both ways out: finish the promotion, or put all traffic back; and the AWS CLI line. */
export function promotedButSplitFix(
  target: { functionName: string; alias: string },
  record: DeploymentRecord,
  alias: Routing,
): string {
  const { functionName: fn, alias: name } = target;
  return (
    `Finish it: \`lshift alias ${fn} ${name} ${record.targetVersion}\` (all traffic on version ${record.targetVersion}${keepsOverRollback(record)}); ` +
    `or undo it: ${describeUndo(fn, name, record, alias)}. ` +
    `Without lshift: \`${buildFixCommand(fn, name, record.targetVersion)}\``
  );
}

/**
 * Of a record whose target lshift had decided to roll back and someone else put all traffic on
 * (MOVED OVER LSHIFT'S ROLLBACK, then split since): finishing it keeps that version, and says so
 * (kept-over-rollback.ts). "Finish it" alone offered the version whose smoke test failed as if it
 * were a finish like any other (h3's pass, session 66).
 */
function keepsOverRollback(record: DeploymentRecord): string {
  if (record.engine === 'codedeploy' || !isMovedOverRollbackRecord(record)) return '';
  return `, the version lshift had decided to roll back: the record then says you keep it`;
}

/**
 * The version `lshift rollback` puts a split on (record-view.ts splitRollbackVersion): the
 * record's stable one only when the split's primary is its target. An alias split by hand over an
 * older version went there while this said the stable one (found by a hostile pass: two releases
 * back, unsaid); a split over a version that is neither of the record's is refused without --to,
 * so the command offered names it.
 */
function describeUndo(fn: string, name: string, record: DeploymentRecord, alias: Routing): string {
  const undoneTo = splitRollbackVersion(alias, record);
  if (undoneTo === undefined)
    return `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` (all traffic on version ${record.stableVersion}, its stable version)`;
  const primary = undoneTo === record.stableVersion ? '' : ', the split’s primary version';
  return `\`lshift rollback ${fn} --alias ${name}\` (all traffic on version ${undoneTo}${primary})`;
}

export function promotedButSplitError(
  target: { functionName: string; alias: string },
  record: DeploymentRecord,
  alias: Routing,
): UnsafeError {
  const what = describePromotedButSplit(target, record, alias);
  return new UnsafeError(
    'PROMOTED_BUT_SPLIT',
    `${what[0]!.toUpperCase()}${what.slice(1)}; lshift will not resume it: a human must decide where traffic goes.`,
    { hint: promotedButSplitFix(target, record, alias), context: target },
  );
}
