/**
 * The `y=` a rollback's closing write keeps (record-cause.ts): its own file, so that the close of
 * a rollback (settle-rollback-close.ts) and the close of one that met its alias moved by hand
 * (rollback-moved-close.ts) both write it without importing each other.
 */
import { type DeploymentRecord, recordCauseOf } from '../domain/deployment-record.js';
import type { OutcomeCause } from '../domain/outcome.js';

/**
 * The record's `cause` for what a rollback is for: none when no `y=` names it. A resume that only
 * finishes an earlier run's rollback (ROLLBACK_UNFINISHED) keeps that run's cause when the record
 * has one (resume.ts keeps it through its claim): why it rolled back, not who finished it.
 */
export function recordCause(after: OutcomeCause, record: DeploymentRecord): Pick<DeploymentRecord, 'cause'> {
  if (after.code === 'ROLLBACK_UNFINISHED' && record.cause !== undefined) return {};
  const cause = recordCauseOf(after);
  return cause === undefined ? {} : { cause };
}
