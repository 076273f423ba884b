/**
 * The rollback that puts back a split an ended CodeDeploy deployment left (`lshift status`:
 * STALLED, "nobody to finish it"; `deploy --resume`: CODEDEPLOY_NOT_RESUMABLE, exit 4). The plain
 * `lshift rollback` refuses a CodeDeploy record whose alias routes a version its deployment never
 * wrote (RECORD_INVALID, rollback-claim.ts claimWouldNotAddUp: someone moved it onto one), and both
 * offered it all the same (session 70); `--to` its stable version works, and leaves the record
 * open (rollback-destination.ts trustRecord), which the next status closes.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { findAliasMismatch } from '../domain/record-validation.js';
import type { RoutingState } from '../ports/traffic-driver.js';

export function describeLeftSplitRollback(
  fn: string,
  alias: string,
  record: DeploymentRecord,
  routing: RoutingState,
): string {
  const back = `puts all traffic back on version ${record.stableVersion}`;
  if (findAliasMismatch({ ...record, phase: 'rolling-back' }, routing) === undefined)
    return `\`lshift rollback ${fn} --alias ${alias}\` ${back}`;
  return `\`lshift rollback ${fn} --alias ${alias} --to ${record.stableVersion}\` ${back} (without --to it is refused: the split routes a version its deployment never wrote; its record is left open, and \`lshift status ${fn} --alias ${alias}\` then says what closes it)`;
}
