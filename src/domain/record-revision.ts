/**
 * A record that never recorded a weight, over an alias on its stable version: abandoned before any
 * traffic moved (a runner killed in its pre-traffic hook) — or its first weight landed, its
 * record write hung, and its rollback put the alias back before its `rolling-back` mark could
 * land (mark-wait.ts goes on after 5 s: the alias matters more), and then the runner died. The
 * record alone cannot tell the two apart; the alias can. Lambda gives an alias a new RevisionId
 * at every UpdateAlias (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html,
 * `RevisionId`), so the record keeps the start of the RevisionId the deployment found (`ar=`):
 * the same one now means nothing wrote the alias since; another means something did — this
 * deployment's weight and its rollback, or a person — and "no traffic moved" would be a guess.
 */
import type { DeploymentRecord } from './record-types.js';

/** Enough of a RevisionId (a UUID on AWS) to tell two apart, short enough for the tag's 256. */
export const ALIAS_REVISION_LENGTH = 8;

/** What a record keeps of the alias's RevisionId (`ar=`). */
export function aliasRevisionMark(revisionId: string): string {
  return revisionId.slice(0, ALIAS_REVISION_LENGTH);
}

/**
 * The record shows no weight yet, and the alias was written since the deployment started (its
 * RevisionId is no longer the one recorded). False when either is unknown (an older lshift's
 * record, an alias that could not be read), and for the CodeDeploy engine: the reader says what
 * it said before.
 */
export function aliasWrittenSinceStart(
  record: Pick<DeploymentRecord, 'percent' | 'aliasRevision' | 'engine'>,
  alias: { revisionId?: string } | undefined,
): boolean {
  // CodeDeploy writes the alias on its own schedule: its records are read from CodeDeploy.
  if (record.engine === 'codedeploy') return false;
  if (record.percent !== 0 || record.aliasRevision === undefined || !alias?.revisionId) return false;
  return aliasRevisionMark(alias.revisionId) !== record.aliasRevision;
}
