/**
 * A rollback left unfinished (`rolling-back`, its runner gone) whose alias someone has since moved
 * onto a version the deployment never wrote (3, or 3 beside 1). `lshift rollback` refuses to guess
 * where its traffic goes (NOTHING_TO_ROLL_BACK, record-trust.ts) and offers `--to` its stable
 * version or `lshift alias`; `lshift check` called the record one that "does not add up" and, with
 * an alarm in ALARM, advised deleting it with `aws lambda untag-resource` — the record was right, a
 * person had moved the alias — while `lshift status` said "the next `lshift check` finishes it",
 * which it did not (session 70). Now both say it was moved, STALLED (exit 4), and give the
 * rollback's two ways out. (Moved further towards the new version instead: rollback-overtaken.ts.)
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { findAliasMismatch, findRecordProblems } from '../domain/record-validation.js';
import { describeAliasState } from './deploy-result.js';
import { isSplit } from './record-view.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

/** `the alias was moved since its rollback stopped: …`, or undefined when it was not moved so. */
export function describeRollbackMovedAway(
  record: DeploymentRecord,
  alias: Routing,
  now: number,
): string | undefined {
  if (record.phase !== 'rolling-back' || record.engine === 'codedeploy') return undefined;
  // A record wrong in itself is not a person's move: RECORD_INVALID says what is wrong with it.
  if (findRecordProblems(record, { now }).length > 0) return undefined;
  if (findAliasMismatch(record, alias) === undefined) return undefined;
  const foreign = routedVersions(alias).filter(
    (v) => v !== record.stableVersion && v !== record.targetVersion,
  );
  const which = foreign.length === 1 ? `version ${foreign[0]}` : `versions ${foreign.join(' and ')}`;
  const routes = isSplit(alias.additionalWeights)
    ? describeAliasState(alias)
    : `all traffic to version ${alias.functionVersion}`;
  return `the alias was moved since its rollback stopped: it routes ${routes}, and this deployment (version ${record.stableVersion} → ${record.targetVersion}) never wrote ${which}, so someone moved it`;
}

/** What closes it, as `lshift rollback` without `--to` offers when it refuses (movedByHandRefusal). */
export function describeMovedAwayWaysOut(
  fn: string,
  aliasName: string,
  record: Pick<DeploymentRecord, 'stableVersion'>,
  alias: Routing,
): string {
  const back = `put all traffic back on its stable version ${record.stableVersion} and close the deployment with \`lshift rollback ${fn} --alias ${aliasName} --to ${record.stableVersion}\``;
  // Split with its stable version first: all on that version is the same way out, said once.
  if (alias.functionVersion === record.stableVersion) return back;
  const keep = isSplit(alias.additionalWeights)
    ? `put all traffic on version ${alias.functionVersion} and close it with \`lshift alias ${fn} ${aliasName} ${alias.functionVersion}\``
    : `keep version ${alias.functionVersion} and close it with \`lshift alias ${fn} ${aliasName} ${alias.functionVersion}\``;
  return `${back}, or ${keep}`;
}

function routedVersions(alias: Routing): string[] {
  return [
    alias.functionVersion,
    ...Object.entries(alias.additionalWeights)
      .filter(([, weight]) => weight > 0)
      .map(([version]) => version),
  ];
}
