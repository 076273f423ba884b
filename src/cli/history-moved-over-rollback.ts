/**
 * `lshift history` of a record lshift had decided to roll back (it keeps why: a pre-traffic hook
 * that failed, say) when someone else — the hook itself, or a person — put all traffic on its new
 * version, and lshift left that move (the record closed `promoted (moved by hand)`). History said
 * `PROMOTED … why: moved by hand`, no word of the failure or the decision, while `lshift status`
 * says MOVED OVER LSHIFT'S ROLLBACK (found by a hostile pass, session 66, F2). It says both.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';

import { describeRecordCause } from './describe-record-cause.js';

/** `moved by hand over lshift's rollback: lshift had decided to roll it back (…) when …`. */
export function describePromotedOverRollback(
  record: Pick<DeploymentRecord, 'cause' | 'endReason' | 'engine' | 'targetVersion'>,
): string {
  const why = record.cause ? describeRecordCause(record.cause, record.engine) : 'its record does not say why';
  return `${record.endReason} over lshift's rollback: lshift had decided to roll it back (${why}) when someone else (a hook, or a person) put all traffic on version ${record.targetVersion}, and lshift left that move`;
}
