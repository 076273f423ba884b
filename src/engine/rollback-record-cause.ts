/**
 * The record's `cause` (`y=`) for what a rollback is for, shared by the closes that write it
 * (settle-rollback-close.ts, rollback-moved-close.ts).
 */
import { type DeploymentRecord, recordCauseOf } from '../domain/deployment-record.js';
import type { OutcomeCause } from '../domain/outcome.js';

/**
 * None when no `y=` names it. A resume that only finishes an earlier run's rollback
 * (ROLLBACK_UNFINISHED) keeps that run's cause when the record has one (resume.ts keeps it
 * through its claim): why it rolled back, not who finished it.
 */
export function recordCause(after: OutcomeCause, record: DeploymentRecord): Pick<DeploymentRecord, 'cause'> {
  if (after.code === 'ROLLBACK_UNFINISHED' && record.cause !== undefined) return {};
  const cause = recordCauseOf(after);
  return cause === undefined ? {} : { cause };
}
