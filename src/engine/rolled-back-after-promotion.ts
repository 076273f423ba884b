/**
 * The end reason of a promoted deployment rolled back to a version that is not its stable one
 * (`lshift rollback --to 3`): it said "rolled back to version 3 … stopped at step 1", as if the
 * shift had been stopped, under its deploy's owner (found by a hostile pass). The detail (after
 * `: `) is dropped by the codec when the record has no room for it (record-encode.ts), and
 * versionLeftOn (record-view.ts) reads the version before it.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describePromotedBy, sentByRollbackTo } from './rollback-to-taker.js';

const AFTER_PROMOTION = ': after it was promoted';

/**
 * `rolled back to version 3: after it was promoted`. Who did it is the record's owner (`o=`), not
 * repeated here: the codec cut the owner to fit the longer head ("owner roll", found by trying it).
 */
export function rolledBackAfterPromotion(to: string): string {
  return `rolled back to version ${to}${AFTER_PROMOTION}`;
}

/**
 * How status and history say the end: `…: after it was promoted, by <its owner>`, or `promoted by
 * \`lshift rollback --to 2\` of <its owner>` for that close (rollback-to-taker.ts), not "moved by hand".
 */
export function describeRecordEnd(
  record: Pick<
    DeploymentRecord,
    'phase' | 'endReason' | 'owner' | 'endedAt' | 'rollbackTo' | 'targetVersion'
  >,
): string | undefined {
  const sent = sentByRollbackTo(record);
  if (sent) return describePromotedBy(sent);
  if (!isRolledBackAfterPromotion(record) || !record.owner) return record.endReason;
  return `${record.endReason}, by ${record.owner}`;
}

/** A rolled-back record that ran all its steps and was promoted first. */
export function isRolledBackAfterPromotion(record: Pick<DeploymentRecord, 'phase' | 'endReason'>): boolean {
  return record.phase === 'rolled-back' && record.endReason?.includes(AFTER_PROMOTION) === true;
}
