/**
 * A deployment whose alias is all back on its stable version although its record says traffic
 * had moved — or shows no weight over an alias written since it started (record-revision.ts):
 * someone put it back, by hand or by a rollback whose record writes never landed. `deploy
 * --resume` refuses to undo that (resume-point.ts `moved-back`), so whatever names the ways out of
 * such a record must not offer that resume (preflight-record.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { aliasWrittenSinceStart } from '../domain/record-revision.js';
import type { AliasInfo } from '../ports/lambda.js';
import { locateAlias } from './record-view.js';

export function isMovedBack(
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> & { revisionId?: string },
): boolean {
  if (locateAlias(alias, record).kind !== 'stable') return false;
  return record.percent > 0 || aliasWrittenSinceStart(record, alias);
}
